/**
 * The projection's writes. Each is one transaction of idempotent upserts: timeline entries
 * keyed by (incident, number) are inserted once; the incident row takes a write's fields
 * only when the write's newest entry is newer than the row's; alert rows are folded from
 * newly inserted entries only. Any sequence of writes, retried, replayed or delivered out of
 * order, leaves the rows the in-order, once-only sequence leaves.
 */
import { createHash } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import { canonicalAlertIdentity } from '../core/model/alert';
import type { IncidentMetrics } from '../core/model/incident';
import type { RecordExecutionInput, RecordIncidentInput, RecordedTimelineEntry } from './projection';
import type { RecordDatabase } from './schema';
import { cleanJson, cleanString } from './text';

/** Distinct alerts the record keeps per incident; later ones still count on the timeline. */
export const RECORD_ALERTS_PER_INCIDENT = 200;
/** Text search reads at most this much of notes and of the postmortem (tsvector's limit is 1 MB). */
const SEARCH_TEXT_CHARS = 200_000;
/** The text search configuration: English stemming and stop words; other scripts are kept as words. */
export const SEARCH_CONFIG = 'english';

const seconds = (from: string, to: string | undefined) => (to === undefined ? null : Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000));
const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);
const text = (value: string | undefined) => (value === undefined ? null : cleanString(value));

/** Milestones a write recorded for the first time: each is reported by exactly one write. */
export interface RecordedMilestones {
  severity: string;
  metrics: IncidentMetrics;
  newlyReached: Array<keyof IncidentMetrics>;
}

const MILESTONES = [
  ['acknowledged_at', 'timeToAcknowledgeSeconds', 'tta_seconds'],
  ['mitigated_at', 'timeToMitigateSeconds', 'ttm_seconds'],
  ['resolved_at', 'timeToResolveSeconds', 'ttr_seconds'],
] as const;

export async function writeIncident(db: Kysely<RecordDatabase>, input: RecordIncidentInput): Promise<RecordedMilestones> {
  const { incident, lastSeq } = input;
  return db.transaction().execute(async (trx) => {
    // Locked for the transaction: of two writes racing, one sees the other's milestones.
    const before = await trx
      .selectFrom('incidents')
      .select(['acknowledged_at', 'mitigated_at', 'resolved_at', 'last_seq'])
      .where('id', '=', incident.id)
      .forUpdate()
      .executeTakeFirst();
    const row = {
      id: incident.id,
      title: cleanString(incident.title),
      summary: text(incident.summary),
      status: incident.status,
      severity: incident.severity,
      priority: orNull(incident.priority),
      service: text(incident.service),
      route: text(incident.route),
      dedup_key: text(incident.dedupKey),
      opened_at: incident.openedAt,
      acknowledged_at: orNull(incident.acknowledgedAt),
      mitigated_at: orNull(incident.mitigatedAt),
      resolved_at: orNull(incident.resolvedAt),
      closed_at: orNull(incident.closedAt),
      opened_by: cleanString(incident.openedBy),
      commander: text(incident.commander),
      alert_count: incident.alertCount,
      last_seq: lastSeq,
      tta_seconds: seconds(incident.openedAt, incident.acknowledgedAt),
      ttm_seconds: seconds(incident.openedAt, incident.mitigatedAt),
      ttr_seconds: seconds(incident.openedAt, incident.resolvedAt),
    };
    const fields = Object.keys(row).filter((name) => name !== 'id');
    await trx
      .insertInto('incidents')
      .values(row)
      .onConflict((conflict) =>
        conflict
          .column('id')
          .doUpdateSet({
            ...Object.fromEntries(fields.map((name) => [name, sql.ref(`excluded.${name}`)])),
            updated_at: sql`now()`,
          })
          .where('incidents.last_seq', '<', sql.ref<number>('excluded.last_seq')),
      )
      .execute();

    const added = await insertEntries(trx, incident.id, input.entries);
    await foldAlerts(trx, incident.id, added.filter((entry) => entry.kind === 'alert'));
    if (input.postmortem !== undefined) {
      await trx
        .updateTable('incidents')
        .set({ postmortem: cleanString(input.postmortem), postmortem_seq: lastSeq })
        .where('id', '=', incident.id)
        .where('postmortem_seq', '<', lastSeq)
        .execute();
    }
    // A function of what the rows now hold, so any order of writes leaves the same document.
    await refreshSearch(trx, incident.id);

    const applied = !before || before.last_seq < lastSeq;
    const metrics: IncidentMetrics = {};
    const newlyReached: Array<keyof IncidentMetrics> = [];
    for (const [column, metric, duration] of MILESTONES) {
      const value = row[duration];
      if (value === null) continue;
      metrics[metric] = value;
      if (applied && (!before || before[column] === null)) newlyReached.push(metric);
    }
    return { severity: incident.severity, metrics, newlyReached };
  });
}

/** Inserts the entries not recorded yet; answers the ones this write added. */
async function insertEntries(trx: Transaction<RecordDatabase>, incidentId: string, entries: RecordedTimelineEntry[]): Promise<RecordedTimelineEntry[]> {
  if (entries.length === 0) return [];
  const inserted = await trx
    .insertInto('incident_events')
    .values(
      entries.map((entry) => ({
        incident_id: incidentId,
        seq: entry.seq,
        at: entry.at,
        kind: entry.kind,
        actor: cleanString(entry.actor),
        summary: cleanString(entry.summary),
        details: entry.details === undefined ? null : JSON.stringify(cleanJson(entry.details)),
      })),
    )
    .onConflict((conflict) => conflict.columns(['incident_id', 'seq']).doNothing())
    .returning('seq')
    .execute();
  const added = new Set(inserted.map((row) => row.seq));
  return entries.filter((entry) => added.has(entry.seq));
}

interface AlertFold {
  key: string;
  alertname: string | null;
  source: string;
  summary: string;
  labels: Record<string, string>;
  firstSeq: number;
  lastSeq: number;
  lastStatus: string;
  deliveries: number;
}

/** The alert an alert entry records, or undefined for entries about alerts in general. */
function alertOf(entry: RecordedTimelineEntry): Omit<AlertFold, 'firstSeq' | 'lastSeq' | 'deliveries'> | undefined {
  const details = entry.details ?? {};
  const labels = details.labels;
  const source = details.source;
  if (typeof source !== 'string' || labels === null || typeof labels !== 'object' || Array.isArray(labels)) return undefined;
  const stringLabels = Object.fromEntries(Object.entries(labels).filter((pair): pair is [string, string] => typeof pair[1] === 'string'));
  const summary = entry.summary.replace(/^Alert (firing|resolved): /, '');
  return {
    key: createHash('sha256').update(canonicalAlertIdentity(source, stringLabels)).digest('hex').slice(0, 32),
    alertname: cleanString(stringLabels.alertname ?? summary),
    source: cleanString(source),
    summary: cleanString(summary),
    labels: cleanJson(stringLabels) as Record<string, string>,
    lastStatus: typeof details.status === 'string' ? details.status : 'firing',
  };
}

/** Folds newly recorded alert entries into one row per distinct alert (commutative: counts add, the newest entry's status wins). */
async function foldAlerts(trx: Transaction<RecordDatabase>, incidentId: string, entries: RecordedTimelineEntry[]): Promise<void> {
  const folds = new Map<string, AlertFold>();
  for (const entry of entries) {
    const alert = alertOf(entry);
    if (!alert) continue;
    const fold = folds.get(alert.key);
    if (!fold) folds.set(alert.key, { ...alert, firstSeq: entry.seq, lastSeq: entry.seq, deliveries: 1 });
    else {
      fold.deliveries += 1;
      fold.firstSeq = Math.min(fold.firstSeq, entry.seq);
      if (entry.seq > fold.lastSeq) Object.assign(fold, { lastSeq: entry.seq, lastStatus: alert.lastStatus, summary: alert.summary });
    }
  }
  if (folds.size === 0) return;
  const known = await trx
    .selectFrom('incident_alerts')
    .select((eb) => [eb.fn.countAll<string>().as('count'), sql<string[]>`coalesce(array_agg(alert_key) FILTER (WHERE alert_key = ANY(${[...folds.keys()]})), '{}')`.as('present')])
    .where('incident_id', '=', incidentId)
    .executeTakeFirstOrThrow();
  const present = new Set(known.present);
  let room = RECORD_ALERTS_PER_INCIDENT - Number(known.count);
  const rows = [...folds.values()].filter((fold) => present.has(fold.key) || room-- > 0);
  if (rows.length === 0) return;
  await trx
    .insertInto('incident_alerts')
    .values(
      rows.map((fold) => ({
        incident_id: incidentId,
        alert_key: fold.key,
        alertname: fold.alertname,
        source: fold.source,
        summary: fold.summary,
        labels: JSON.stringify(fold.labels),
        first_seq: fold.firstSeq,
        last_seq: fold.lastSeq,
        last_status: fold.lastStatus,
        deliveries: fold.deliveries,
      })),
    )
    .onConflict((conflict) =>
      conflict.columns(['incident_id', 'alert_key']).doUpdateSet({
        first_seq: sql`least(incident_alerts.first_seq, excluded.first_seq)`,
        last_seq: sql`greatest(incident_alerts.last_seq, excluded.last_seq)`,
        last_status: sql`CASE WHEN excluded.last_seq > incident_alerts.last_seq THEN excluded.last_status ELSE incident_alerts.last_status END`,
        summary: sql`CASE WHEN excluded.last_seq > incident_alerts.last_seq THEN excluded.summary ELSE incident_alerts.summary END`,
        deliveries: sql`incident_alerts.deliveries + excluded.deliveries`,
      }),
    )
    .execute();
}

/** Rebuilds the incident's search document from what the record holds of it. */
async function refreshSearch(trx: Transaction<RecordDatabase>, incidentId: string): Promise<void> {
  const config = sql.lit(SEARCH_CONFIG);
  const limit = sql.lit(SEARCH_TEXT_CHARS);
  await sql`
    UPDATE incidents SET search =
      setweight(to_tsvector(${config}, title), 'A')
      || setweight(to_tsvector(${config}, coalesce(summary, '') || ' ' || coalesce(service, '')), 'B')
      || setweight(to_tsvector(${config}, left(coalesce((
           SELECT string_agg(a.summary || ' ' || coalesce((SELECT string_agg(value, ' ' ORDER BY key) FROM jsonb_each_text(a.labels)), ''), ' ' ORDER BY a.first_seq, a.alert_key)
           FROM incident_alerts a WHERE a.incident_id = incidents.id), ''), ${limit})), 'B')
      || setweight(to_tsvector(${config}, left(coalesce((
           SELECT string_agg(e.summary, ' ' ORDER BY e.seq) FROM incident_events e
           WHERE e.incident_id = incidents.id AND e.kind = 'note'), ''), ${limit})), 'C')
      || setweight(to_tsvector(${config}, left(coalesce(postmortem, ''), ${limit})), 'D')
    WHERE id = ${incidentId}`.execute(trx);
}

export async function writeExecution(db: Kysely<RecordDatabase>, { execution, revision }: RecordExecutionInput): Promise<void> {
  const row = {
    id: execution.id,
    runbook: execution.runbookId,
    incident_id: orNull(execution.incidentId),
    status: execution.status,
    dry_run: execution.dryRun,
    trigger: execution.trigger,
    launched_by: cleanString(execution.launchedBy),
    started_at: execution.startedAt,
    ended_at: orNull(execution.endedAt),
    duration_seconds: seconds(execution.startedAt, execution.endedAt),
    approvals: execution.approvals,
    approval_wait_seconds: execution.approvalWaitSeconds,
    compensations: execution.compensations,
    steps: execution.steps,
    error: text(execution.error),
    revision,
  };
  const fields = Object.keys(row).filter((name) => name !== 'id');
  await db
    .insertInto('executions')
    .values(row)
    .onConflict((conflict) =>
      conflict
        .column('id')
        .doUpdateSet({ ...Object.fromEntries(fields.map((name) => [name, sql.ref(`excluded.${name}`)])), updated_at: sql`now()` })
        .where('executions.revision', '<', sql.ref<number>('excluded.revision')),
    )
    .execute();
}
