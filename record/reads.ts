/**
 * What the record answers that Temporal cannot: one incident after its workflow is gone,
 * full-text search and lists over every incident ever recorded, and past incidents like one.
 */
import { type Kysely, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { IncidentSnapshot } from '../core/model/incident';
import type { IncidentStatus, Severity, TimelineEntry } from '../core/model/incident-model';
import type { Priority } from '../core/model/priority';
import type { RecordDatabase } from './schema';
import { SEARCH_CONFIG } from './writes';

/** Timeline entries an incident read from the record shows (the newest). */
export const RECORD_TIMELINE_WINDOW = 1_000;

/** An incident as the record keeps it, in the shape the live read answers, plus what only the record knows. */
export interface RecordedIncident extends IncidentSnapshot {
  /** Read from the record (the workflow is gone, or the read asked for it). */
  archived: true;
  /** Distinct alerts, newest first (at most RECORD_ALERTS_PER_INCIDENT). */
  recordedAlerts: Array<{ alertname?: string; source: string; summary: string; labels: Record<string, string>; lastStatus: string; deliveries: number }>;
}

export interface RecordedIncidentSummary {
  id: string;
  title: string;
  status: IncidentStatus;
  severity: Severity;
  service?: string;
  commander?: string;
  openedAt: string;
  resolvedAt?: string;
  /** Seconds from open to resolve, once resolved. */
  durationSeconds?: number;
  /** False once closed: its workflow has ended (and may be past Temporal's retention). */
  running: boolean;
}

export type RecordSort = 'opened' | 'duration';

export interface RecordListQuery {
  /** Web-search syntax: words, "a phrase", -without, or. */
  q?: string;
  status?: IncidentStatus;
  severity?: Severity;
  service?: string;
  commander?: string;
  openedAfter?: string;
  openedBefore?: string;
  sort: RecordSort;
  order: 'asc' | 'desc';
  pageSize: number;
  /** From an earlier page's `nextPageToken` of the same query. */
  after?: RecordCursor;
}

/** Where a page ended: the sort value and id of its last incident. */
export interface RecordCursor {
  value: string | number;
  id: string;
}

const iso = (value: Date | string | null): string | undefined => (value === null ? undefined : new Date(value).toISOString());
const opt = <T>(value: T | null): T | undefined => (value === null ? undefined : value);
const num = (value: number | string | null): number | undefined => (value === null ? undefined : Number(value));

/** The columns a listed incident is read from: a list page and the similar incidents both select them. */
interface ListedRow {
  id: string;
  title: string;
  status: string;
  severity: string;
  service: string | null;
  commander: string | null;
  opened_at: Date | string;
  resolved_at: Date | string | null;
  ttr_seconds: number | string | null;
}

function listedIncident(row: ListedRow): RecordedIncidentSummary {
  return {
    id: row.id,
    title: row.title,
    status: row.status as IncidentStatus,
    severity: row.severity as Severity,
    service: opt(row.service),
    commander: opt(row.commander),
    openedAt: iso(row.opened_at) as string,
    resolvedAt: iso(row.resolved_at),
    durationSeconds: num(row.ttr_seconds),
    running: row.status !== 'closed',
  };
}

/** The sort expression: unresolved incidents last in either direction when sorting by duration. */
function sortKey(sort: RecordSort, order: 'asc' | 'desc'): RawBuilder<Date | number> {
  if (sort === 'opened') return sql<Date>`opened_at`;
  return order === 'desc' ? sql<number>`coalesce(ttr_seconds, -1)` : sql<number>`coalesce(ttr_seconds, 'Infinity'::float8)`;
}

export async function listIncidents(db: Kysely<RecordDatabase>, query: RecordListQuery): Promise<{ incidents: RecordedIncidentSummary[]; next?: RecordCursor }> {
  let select: SelectQueryBuilder<RecordDatabase, 'incidents', object> = db.selectFrom('incidents');
  if (query.q) select = select.where(sql<boolean>`search @@ websearch_to_tsquery(${sql.lit(SEARCH_CONFIG)}, ${query.q})`);
  if (query.status) select = select.where('status', '=', query.status);
  if (query.severity) select = select.where('severity', '=', query.severity);
  if (query.service) select = select.where('service', '=', query.service);
  if (query.commander) select = select.where('commander', '=', query.commander);
  if (query.openedAfter) select = select.where('opened_at', '>=', new Date(query.openedAfter));
  if (query.openedBefore) select = select.where('opened_at', '<=', new Date(query.openedBefore));
  const key = sortKey(query.sort, query.order);
  const direction = query.order === 'desc' ? sql.raw('DESC') : sql.raw('ASC');
  if (query.after) {
    const compare = query.order === 'desc' ? sql.raw('<') : sql.raw('>');
    const value = query.sort === 'opened' ? sql`${String(query.after.value)}::timestamptz` : sql`${Number(query.after.value)}::float8`;
    select = select.where(sql<boolean>`(${key}, id) ${compare} (${value}, ${query.after.id})`);
  }
  const rows = await select
    .select(['id', 'title', 'status', 'severity', 'service', 'commander', 'opened_at', 'resolved_at', 'ttr_seconds'])
    .select(key.as('sort_value'))
    .orderBy(sql`${key} ${direction}`)
    .orderBy(sql`id ${direction}`)
    .limit(query.pageSize + 1)
    .execute();
  const page = rows.slice(0, query.pageSize);
  const last = page[page.length - 1];
  const sortValue = (value: unknown) => (value instanceof Date ? value.toISOString() : Number(value));
  return {
    incidents: page.map(listedIncident),
    next: rows.length > query.pageSize && last ? { value: sortValue(last.sort_value), id: last.id } : undefined,
  };
}

export async function readIncident(db: Kysely<RecordDatabase>, id: string): Promise<RecordedIncident | undefined> {
  const row = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const [events, alerts, executions] = await Promise.all([
    db
      .selectFrom('incident_events')
      .selectAll()
      .where('incident_id', '=', id)
      .orderBy('seq', 'desc')
      .limit(RECORD_TIMELINE_WINDOW)
      .execute(),
    db.selectFrom('incident_alerts').selectAll().where('incident_id', '=', id).orderBy('last_seq', 'desc').execute(),
    db.selectFrom('executions').select(['id', 'runbook', 'started_at', 'trigger']).where('incident_id', '=', id).orderBy('started_at').execute(),
  ]);
  events.reverse();
  const timeline: TimelineEntry[] = events.map((event) => ({
    at: iso(event.at) as string,
    kind: event.kind as TimelineEntry['kind'],
    actor: event.actor,
    summary: event.summary,
    ...(event.details === null ? {} : { details: event.details as Record<string, unknown> }),
  }));
  return {
    id: row.id,
    title: row.title,
    summary: opt(row.summary),
    status: row.status as IncidentStatus,
    severity: row.severity as Severity,
    priority: opt(row.priority) as Priority | undefined,
    service: opt(row.service),
    dedupKey: opt(row.dedup_key),
    openedAt: iso(row.opened_at) as string,
    openedBy: row.opened_by,
    acknowledgedAt: iso(row.acknowledged_at),
    mitigatedAt: iso(row.mitigated_at),
    resolvedAt: iso(row.resolved_at),
    closedAt: iso(row.closed_at),
    metrics: {
      timeToAcknowledgeSeconds: num(row.tta_seconds),
      timeToMitigateSeconds: num(row.ttm_seconds),
      timeToResolveSeconds: num(row.ttr_seconds),
    },
    roles: { commander: opt(row.commander), investigators: [] },
    alertCount: row.alert_count,
    firingAlerts: alerts.filter((alert) => alert.last_status === 'firing').length,
    alerts: [],
    actionItems: [],
    escalation: { state: 'idle', level: 0, round: 0, pages: 0 },
    runbooks: executions.map((execution) => ({
      runbookId: execution.runbook,
      executionId: execution.id,
      startedAt: iso(execution.started_at) as string,
      trigger: execution.trigger === 'route' ? 'route' : 'alert',
    })),
    timeline,
    timelineStart: events[0]?.seq ?? row.last_seq + 1,
    postmortem: opt(row.postmortem),
    continuedAsNew: 0,
    archived: true,
    recordedAlerts: alerts.map((alert) => ({
      alertname: opt(alert.alertname),
      source: alert.source,
      summary: alert.summary,
      labels: alert.labels as Record<string, string>,
      lastStatus: alert.last_status,
      deliveries: alert.deliveries,
    })),
  };
}

/** A past incident like another, with how it was resolved. */
export interface SimilarIncident extends RecordedIncidentSummary {
  /** Why it is similar: the same service, alert names in common, or both. */
  sameService: boolean;
  sharedAlerts: string[];
  /** The runbooks it ran and how each ended. */
  runbooks: Array<{ runbookId: string; executionId: string; status: string; durationSeconds?: number }>;
}

/** What makes incidents alike: a service, alert names; the incident itself is left out. */
export interface SimilarTo {
  id: string;
  service?: string;
  alertnames: string[];
  limit: number;
}

export async function similarIncidents(db: Kysely<RecordDatabase>, like: SimilarTo): Promise<SimilarIncident[]> {
  const names = like.alertnames.length > 0 ? like.alertnames : [''];
  const rows = await db
    .selectFrom('incidents as i')
    .select(['i.id', 'i.title', 'i.status', 'i.severity', 'i.service', 'i.commander', 'i.opened_at', 'i.resolved_at', 'i.ttr_seconds'])
    .select(sql<string[]>`array(SELECT DISTINCT a.alertname FROM incident_alerts a WHERE a.incident_id = i.id AND a.alertname = ANY(${names}) ORDER BY 1)`.as('shared'))
    .where('i.id', '<>', like.id)
    .where((eb) =>
      eb.or([
        ...(like.service ? [eb('i.service', '=', like.service)] : []),
        eb.exists(
          eb
            .selectFrom('incident_alerts as a')
            .select(sql.lit(1).as('one'))
            .whereRef('a.incident_id', '=', 'i.id')
            .where(sql<boolean>`a.alertname = ANY(${names})`),
        ),
      ]),
    )
    .orderBy('i.opened_at', 'desc')
    .limit(like.limit)
    .execute();
  const ids = rows.map((row) => row.id);
  const executions = ids.length
    ? await db
        .selectFrom('executions')
        .select(['id', 'incident_id', 'runbook', 'status', 'duration_seconds'])
        .where('incident_id', 'in', ids)
        .orderBy('started_at')
        .execute()
    : [];
  return rows.map((row) => ({
    ...listedIncident(row),
    sameService: like.service !== undefined && row.service === like.service,
    sharedAlerts: row.shared,
    runbooks: executions
      .filter((execution) => execution.incident_id === row.id)
      .map((execution) => ({ runbookId: execution.runbook, executionId: execution.id, status: execution.status, durationSeconds: num(execution.duration_seconds) })),
  }));
}

/** The service and alert names of a recorded incident: what {@link similarIncidents} compares. */
export async function similarityOf(db: Kysely<RecordDatabase>, id: string): Promise<{ service?: string; alertnames: string[] } | undefined> {
  const row = await db.selectFrom('incidents').select('service').where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const alerts = await db.selectFrom('incident_alerts').select('alertname').distinct().where('incident_id', '=', id).where('alertname', 'is not', null).execute();
  return { service: opt(row.service), alertnames: alerts.map((alert) => alert.alertname as string) };
}
