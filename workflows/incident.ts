import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { ReceivedAlert } from '../core/alert';
import { boundAlert, STATE_ALERT_LIMITS } from '../core/alert-bounds';
import type { CapabilityActivities } from '../core/capabilities/activities';
import { stepIdempotencyKey } from '../core/capabilities/keys';
import {
  IncidentFailure,
  type CarriedIncidentState,
  type IncidentActionResult,
  type IncidentAlert,
  type IncidentSnapshot,
  type IngestAlertsInput,
  type IngestAlertsResult,
  type OpenIncidentInput,
  type RecordEventInput,
} from '../core/incident';
import type * as IncidentActions from '../core/incident-actions';
import { BoundedIdSet, boundEntry, INCIDENT_LIMITS, SizedWindow } from '../core/incident-bounds';
import { compactId, jsonBytes } from '../core/text';
import type { IncidentAction, IncidentCommand } from '../core/incident-actions';
import { IncidentStatus, type Severity, type TimelineEntry } from '../core/incident-model';
import { checkTransition, hasReached, isOpen, REOPENED_STATUS } from '../core/incident-state-machine';
import { incidentActionUpdate, incidentQuery, ingestAlertsUpdate, recordEventSignal } from '../core/messages';
import { renderPostmortem } from '../core/postmortem';
import { publicStatusTitle } from '../core/status-page-bounds';
import type { RunbookLaunch } from '../core/runbook';
import type { runbookWorkflow } from './runbook';
import { heldListingKey, type IncidentListing, incidentSearchAttributes, listingKey } from '../core/search-attributes';

/**
 * The command schema, built when the first command arrives (most incidents take alerts
 * only). Not imported at the top: this module is shared by every workflow of a worker
 * thread, and zod schemas, which memoise into themselves, cannot be (workflow-bundle.ts).
 */
const incidentActionSchema = (): typeof IncidentActions.IncidentActionSchema =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('../core/incident-actions') as typeof IncidentActions).IncidentActionSchema;

/** History events after which an incident continues as new, unless its input says otherwise. */
export const DEFAULT_MAX_HISTORY_EVENTS = 10_000;

const { pagingPage, statusPageOpenIncident, statusPageUpdateIncident, ticketingCreateTicket } =
  proxyActivities<CapabilityActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
  });

const PAGE_SEVERITY: Record<Severity, 'critical' | 'error' | 'warning' | 'info'> = {
  SEV0: 'critical',
  SEV1: 'critical',
  SEV2: 'error',
  SEV3: 'warning',
  SEV4: 'info',
};

/** The status each lifecycle command moves to. */
const TARGET_STATUS = {
  acknowledge: IncidentStatus.Acknowledged,
  investigate: IncidentStatus.Investigating,
  mitigate: IncidentStatus.Mitigated,
  resolve: IncidentStatus.Resolved,
  close: IncidentStatus.Closed,
} as const;

function newIncident(input: OpenIncidentInput): IncidentSnapshot {
  return {
    id: input.incidentId,
    title: input.title,
    summary: input.summary,
    status: IncidentStatus.Triggered,
    severity: input.severity,
    priority: input.policy?.priority,
    service: input.service,
    dedupKey: input.dedupKey,
    openedAt: new Date().toISOString(),
    openedBy: input.openedBy,
    metrics: {},
    roles: { commander: input.commander, investigators: [] },
    policy: input.policy,
    alertCount: 0,
    firingAlerts: 0,
    alerts: [],
    actionItems: [],
    runbooks: [],
    escalation: input.policy?.escalation
      ? { policy: input.policy.escalation.name, state: 'paging', level: 0, round: 0, pages: 0, pagePending: true }
      : { state: 'idle', level: 0, round: 0, pages: 0 },
    timeline: [],
    timelineStart: 0,
    continuedAsNew: 0,
  };
}

const conflict = (message: string) => ApplicationFailure.nonRetryable(message, IncidentFailure.Conflict);

/**
 * An incident's whole life: alerts, commands, roles, escalation, status updates, the
 * postmortem and its action items. State lives here and is read by query; the API lists
 * incidents through the search attributes kept current. Long incidents continue as new,
 * carrying their state, so no history grows without bound.
 */
export async function incidentWorkflow(input: OpenIncidentInput): Promise<IncidentSnapshot> {
  const incident = input.carried?.snapshot ?? newIncident(input);
  // Bounded sets: long ids are held hashed (compacting is idempotent, so sets carried by
  // older runs, which held ids whole, are compacted the same way).
  const receipts = new BoundedIdSet(input.carried?.receipts ?? [], INCIDENT_LIMITS.receipts, compactId);
  const firing = new Set((input.carried?.firing ?? []).map(compactId));
  /** More distinct alerts fired than `firing` tracks: it undercounts, so nothing auto-mitigates. */
  let firingUntracked = input.carried?.firingUntracked ?? false;
  // Windows over the state's lists (runs from before held them whole: trimmed on first use).
  const timeline = new SizedWindow(incident.timeline);
  const recentAlerts = new SizedWindow(incident.alerts);
  /** The state's size as JSON (the postmortem aside), measured at each publish. */
  let stateBytes = 0;
  const workflowId = workflowInfo().workflowId;
  const maxHistoryEvents = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  const progress = incident.escalation;
  /** Activities in flight; the workflow continues as new only when none are. */
  let busy = 0;
  /** Bumped by the `escalate` command so the ladder moves on without waiting for the timeout. */
  let escalateRequests = 0;
  /** Runbooks decided on (by the API, from alerts and routes) and not started yet. */
  const launches: Array<RunbookLaunch & { trigger: 'alert' | 'route' }> = [
    ...(input.carried?.launches ?? []),
    ...(!input.carried ? (input.runbooks ?? []).map((launch) => ({ ...launch, trigger: 'route' as const })) : []),
  ];

  const record = (entry: Omit<TimelineEntry, 'at'>, at = new Date().toISOString()) => {
    timeline.push(boundEntry({ at, ...entry }));
    trimTimeline(INCIDENT_LIMITS.timelineBytes);
  };
  /** Drops the oldest entries past the window, counting them by kind. */
  const trimTimeline = (maxBytes: number) => {
    timeline.trim(INCIDENT_LIMITS.timelineEntries, maxBytes, (dropped) => {
      incident.timelineStart = (incident.timelineStart ?? 0) + 1;
      const counts = (incident.timelineDropped ??= {});
      counts[dropped.kind] = (counts[dropped.kind] ?? 0) + 1;
    });
  };
  trimTimeline(INCIDENT_LIMITS.timelineBytes);
  recentAlerts.trim(INCIDENT_LIMITS.alerts, INCIDENT_LIMITS.alertsBytes);
  const seconds = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 1000);

  // Recorded before any handler is set: setting one delivers the updates already waiting.
  if (!input.carried) {
    record({
      kind: 'status',
      actor: input.openedBy,
      summary: `Incident opened (${incident.severity}${incident.priority ? `, ${incident.priority}` : ''}): ${incident.title}`,
      details: { route: input.policy?.route },
    });
    if (incident.roles.commander) record({ kind: 'role', actor: input.openedBy, summary: `${incident.roles.commander} is the incident commander` });
  }

  /**
   * How this run publishes its search attributes, decided at its first publish:
   * - `held`: it starts from what its search attributes hold (a listed start sets them,
   *   continue-as-new carries them) and publishes only changes.
   * - `on-change`: runs whose first task recorded the patch marker; the first publish upserted.
   * - `always`: runs from before that, which upserted on every publish.
   */
  const publishingOf = (): 'held' | 'on-change' | 'always' => {
    // A listed start needs no marker (each costs a history event and a visibility write on
    // the alert's path). A replay still looks for one: a worker from before `listed` may
    // have run the first task, upserting as it knew.
    if (input.listed && !workflowInfo().unsafe.isReplaying) return 'held';
    if (patched('publish-search-attributes-on-change')) return 'on-change';
    return input.listed ? 'held' : 'always';
  };
  let publishing: ReturnType<typeof publishingOf> | undefined;
  /** What this incident is listed by now. */
  const listing = (): IncidentListing => ({
    status: incident.status,
    severity: incident.severity,
    service: incident.service,
    commander: incident.roles.commander,
  });
  /** The listing last published; re-publishing an equal one costs history and visibility writes. */
  let published: string | undefined;
  const publish = () => {
    if (publishing === undefined) {
      publishing = publishingOf();
      if (publishing === 'held') published = heldListingKey(workflowInfo().typedSearchAttributes);
    }
    const listed = listing();
    const values = listingKey(listed);
    if (publishing === 'always' || values !== published) upsertSearchAttributes(incidentSearchAttributes(listed));
    published = values;
    if (hasReached(incident.status, IncidentStatus.Resolved)) incident.postmortem = renderPostmortem(incident);
    stateBytes = measureState();
  };

  /**
   * The carried state's size as JSON, cheaply: the windows keep their own sizes, the id
   * sets are counted at their longest id, and only the small rest is serialised.
   */
  const measureState = () => {
    const rest = jsonBytes({ ...incident, timeline: [], alerts: [], postmortem: undefined });
    const idBytes = 44;
    return timeline.bytes + recentAlerts.bytes + (receipts.size + firing.size) * idBytes + jsonBytes(launches) + rest;
  };

  /** Runs an activity, counting it as in flight so continue-as-new waits for it. */
  const step = async <T>(run: () => Promise<T>): Promise<T> => {
    busy += 1;
    try {
      return await run();
    } finally {
      busy -= 1;
    }
  };

  const failureMessage = (error: unknown) =>
    error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);

  const moveTo = (status: IncidentStatus, actor: string, how: string) => {
    const now = new Date().toISOString();
    const from = incident.status;
    incident.status = status;
    if (hasReached(status, IncidentStatus.Acknowledged) && !incident.acknowledgedAt) {
      incident.acknowledgedAt = now;
      incident.metrics.timeToAcknowledgeSeconds = seconds(incident.openedAt, now);
    }
    if (hasReached(status, IncidentStatus.Mitigated) && !incident.mitigatedAt) {
      incident.mitigatedAt = now;
      incident.metrics.timeToMitigateSeconds = seconds(incident.openedAt, now);
    }
    if (hasReached(status, IncidentStatus.Resolved) && !incident.resolvedAt) {
      incident.resolvedAt = now;
      incident.metrics.timeToResolveSeconds = seconds(incident.openedAt, now);
    }
    if (status === IncidentStatus.Closed) incident.closedAt = now;
    record({ kind: 'status', actor, summary: `${how}: ${from} → ${status}` }, now);
    if (hasReached(status, IncidentStatus.Acknowledged)) stopEscalation(actor);
    if (hasReached(status, IncidentStatus.Resolved) && !hasReached(from, IncidentStatus.Resolved)) notifyPager('resolve');
  };

  // ---- paging and escalation -------------------------------------------------------------

  const notifyPager = (action: 'acknowledge' | 'resolve') => {
    if (progress.pages === 0) return;
    void step(() =>
      pagingPage({
        idempotencyKey: stepIdempotencyKey(workflowId, `page-${action}-${incident.continuedAsNew}-${(incident.timelineStart ?? 0) + incident.timeline.length}`),
        incidentId: incident.id,
        action,
        dedupKey: incident.dedupKey ?? incident.id,
        summary: incident.title,
        severity: PAGE_SEVERITY[incident.severity],
      }),
    ).then(
      () => record({ kind: 'notification', actor: 'firebreak', summary: `Pager told: ${action}` }),
      (error) => record({ kind: 'notification', actor: 'firebreak', summary: `Pager not told (${action}): ${failureMessage(error)}` }),
    );
  };

  const stopEscalation = (actor: string) => {
    if (progress.state !== 'paging') return;
    progress.state = 'stopped';
    progress.pagePending = false;
    progress.nextAt = undefined;
    record({ kind: 'notification', actor, summary: 'Escalation stopped: acknowledged' });
    notifyPager('acknowledge');
  };

  /** Moves to the next level, or the first level of the next round; false when none is left. */
  const advanceLevel = (): boolean => {
    const policy = incident.policy?.escalation;
    if (!policy) return false;
    if (progress.level + 1 < policy.levels.length) {
      progress.level += 1;
      return true;
    }
    if (progress.round < policy.repeat) {
      progress.round += 1;
      progress.level = 0;
      return true;
    }
    return false;
  };

  const pageCurrentLevel = async () => {
    const policy = incident.policy!.escalation!;
    const level = policy.levels[progress.level];
    progress.pagePending = false;
    progress.pages += 1;
    progress.nextAt = new Date(Date.now() + level.timeoutSeconds * 1000).toISOString();
    const where = `level ${progress.level + 1}${policy.repeat ? `, round ${progress.round + 1}` : ''}`;
    try {
      const result = await step(() =>
        pagingPage({
          idempotencyKey: stepIdempotencyKey(workflowId, `page-r${progress.round}-l${progress.level}-${progress.pages}`),
          incidentId: incident.id,
          action: 'trigger',
          dedupKey: incident.dedupKey ?? incident.id,
          summary: `[${incident.severity}] ${incident.title}`,
          severity: PAGE_SEVERITY[incident.severity],
          targets: level.targets,
          level: progress.level + 1,
        }),
      );
      record({
        kind: 'notification',
        actor: 'firebreak',
        summary: `Paged ${level.targets.join(', ')} (${where}, policy ${policy.name})`,
        details: { level: progress.level + 1, round: progress.round + 1, targets: level.targets, provider: result.provider },
      });
    } catch (error) {
      if (!patched('paging-fallback')) {
        record({ kind: 'notification', actor: 'firebreak', summary: `Paging ${where} failed: ${failureMessage(error)}` });
        return;
      }
      await pageThroughFallback(level.targets, where, failureMessage(error));
    }
  };

  /**
   * A level's page failed for good (the provider refused it, or was still failing after the
   * step's retries): an alarm on the timeline, then the page again through the built-in
   * local pager, which is always there, to the policy's `fallback` targets (else the level's
   * own). Keyed by the incident id, which every pager accepts whatever the dedup key.
   */
  const pageThroughFallback = async (levelTargets: string[], where: string, reason: string) => {
    const policy = incident.policy!.escalation!;
    const targets = policy.fallback ?? levelTargets;
    const level = progress.level + 1;
    record({
      kind: 'notification',
      actor: 'firebreak',
      summary: `ALARM: paging failed (${where}, policy ${policy.name}): ${reason}. Paging ${targets.join(', ')} through the built-in pager.`,
      details: { alarm: 'paging-failed', level, round: progress.round + 1, error: reason },
    });
    try {
      await step(() =>
        pagingPage({
          idempotencyKey: stepIdempotencyKey(workflowId, `page-fallback-r${progress.round}-l${progress.level}-${progress.pages}`),
          incidentId: incident.id,
          action: 'trigger',
          dedupKey: incident.id,
          summary: `[${incident.severity}] ${incident.title}`.slice(0, 1024),
          severity: PAGE_SEVERITY[incident.severity],
          targets,
          level,
          fallback: true,
        }),
      );
      record({
        kind: 'notification',
        actor: 'firebreak',
        summary: `Paged ${targets.join(', ')} through the fallback pager (${where}, policy ${policy.name})`,
        details: { level, round: progress.round + 1, targets, provider: 'local', fallback: true },
      });
    } catch (error) {
      record({ kind: 'notification', actor: 'firebreak', summary: `ALARM: the fallback page failed too (${where}): ${failureMessage(error)}` });
    }
  };

  const escalationLoop = async () => {
    for (;;) {
      await condition(() => progress.state === 'paging' || incident.status === IncidentStatus.Closed);
      if (incident.status === IncidentStatus.Closed) return;
      if (progress.pagePending) {
        await pageCurrentLevel();
        continue;
      }
      const requests = escalateRequests;
      const remaining = Math.max(0, Date.parse(progress.nextAt ?? new Date().toISOString()) - Date.now());
      await condition(() => progress.state !== 'paging' || escalateRequests !== requests, remaining);
      if (progress.state !== 'paging') continue;
      if (advanceLevel()) {
        progress.pagePending = true;
      } else {
        progress.state = 'exhausted';
        progress.nextAt = undefined;
        record({ kind: 'notification', actor: 'firebreak', summary: 'Escalation exhausted: every level was paged and nobody acknowledged' });
      }
    }
  };

  // ---- runbooks --------------------------------------------------------------------------

  /** Starts each decided runbook once per incident (unless its trigger says every alert). */
  const runbookLauncher = async () => {
    for (;;) {
      await condition(() => launches.length > 0 || incident.status === IncidentStatus.Closed);
      if (launches.length === 0) return;
      const launch = launches.shift()!;
      if (launch.refused) {
        record({ kind: 'runbook', actor: 'firebreak', summary: `Runbook ${launch.runbookId} not started: ${launch.refused}` });
        continue;
      }
      const already = incident.runbooks.some((run) => run.runbookId === launch.runbookId);
      if ((already && !launch.everyAlert) || !isOpen(incident.status) || !patched('incident-starts-runbooks')) continue;
      const executionId = `rbx-${uuid4().replace(/-/g, '').slice(0, 12)}`;
      incident.runbooks.push({ runbookId: launch.runbookId, executionId, startedAt: new Date().toISOString(), trigger: launch.trigger });
      trimRunbookList();
      record({ kind: 'runbook', actor: 'firebreak', summary: `Started runbook ${launch.runbookId} (${executionId}, ${launch.trigger})` });
      try {
        await step(() =>
          startChild<typeof runbookWorkflow>('runbookWorkflow', {
            workflowId: executionId,
            args: [{ runbookId: launch.runbookId, input: launch.input, incidentId: incident.id, launchedBy: launch.trigger, trigger: launch.trigger }],
            // Runs outlive this run of the incident (continue-as-new) and report by signal.
            parentClosePolicy: ParentClosePolicy.ABANDON,
          }),
        );
      } catch (error) {
        record({ kind: 'runbook', actor: 'firebreak', summary: `Runbook ${launch.runbookId} did not start: ${failureMessage(error)}` });
      }
    }
  };

  /**
   * Keeps the list of started runbooks bounded: past the limit, the oldest entry of a
   * runbook listed again later goes (each runbook keeps one, so "already ran" still holds).
   */
  const trimRunbookList = () => {
    while (incident.runbooks.length > INCIDENT_LIMITS.runbooks) {
      const repeated = incident.runbooks.findIndex((run, index) =>
        incident.runbooks.some((later, laterIndex) => laterIndex > index && later.runbookId === run.runbookId),
      );
      incident.runbooks.splice(Math.max(0, repeated), 1);
    }
  };

  // ---- alerts ----------------------------------------------------------------------------

  /** Runbook starts left out since the last report on the timeline (too many waiting). */
  let launchesDropped = 0;

  /** Queues a runbook start decided by the API, within the pending bounds. */
  const queueLaunch = (launch: RunbookLaunch & { trigger: 'alert' | 'route' }) => {
    // A start the launcher would skip when its turn came (the runbook ran or is about to): not held.
    const ranOrWaiting =
      incident.runbooks.some((run) => run.runbookId === launch.runbookId) ||
      launches.some((waiting) => !waiting.refused && waiting.runbookId === launch.runbookId);
    if (!launch.refused && !launch.everyAlert && ranOrWaiting) return;
    const full =
      launches.length >= INCIDENT_LIMITS.pendingLaunches ||
      jsonBytes(launches) + jsonBytes(launch) > INCIDENT_LIMITS.pendingLaunchesBytes;
    if (full && patched('bounded-runbook-launches')) {
      launchesDropped += 1;
      return;
    }
    launches.push(launch);
  };

  const recordAlert = ({ receiptId, receivedAt, receivedBy, alert, runbooks }: ReceivedAlert) => {
    for (const launch of runbooks ?? []) queueLaunch({ ...launch, trigger: 'alert' });
    // Held with its labels and annotations cut to the state limits; the window keeps the newest.
    const stored: IncidentAlert = boundAlert({ ...alert, receiptId, receivedAt }, STATE_ALERT_LIMITS);
    recentAlerts.push(stored);
    recentAlerts.trim(INCIDENT_LIMITS.alerts, INCIDENT_LIMITS.alertsBytes);
    incident.alertCount += 1;
    const identity = compactId(alert.fingerprint ?? alert.dedupKey + JSON.stringify(alert.labels));
    if (alert.status === 'firing') {
      if (firing.size < INCIDENT_LIMITS.firing || firing.has(identity) || !patched('bounded-firing-alerts')) {
        firing.add(identity);
      } else if (!firingUntracked) {
        firingUntracked = true;
        record({
          kind: 'alert',
          actor: 'firebreak',
          summary: `More than ${INCIDENT_LIMITS.firing} distinct alerts fired: the firing count is a lower bound, and the route no longer auto-mitigates this incident`,
        });
      }
    } else {
      firing.delete(identity);
    }
    incident.firingAlerts = firing.size;
    record(
      {
        kind: 'alert',
        actor: receivedBy,
        summary: `${alert.status === 'firing' ? 'Alert firing' : 'Alert resolved'}: ${alert.summary}`,
        details: { receiptId, source: alert.source, status: alert.status, labels: stored.labels },
      },
      receivedAt,
    );
  };

  setHandler(incidentQuery, () => incident);

  setHandler(
    ingestAlertsUpdate,
    ({ alerts }: IngestAlertsInput): IngestAlertsResult => {
      let recorded = 0;
      for (const received of alerts) {
        if (receipts.seen(received.receiptId)) continue;
        receipts.add(received.receiptId);
        recordAlert(received);
        recorded += 1;
      }
      if (launchesDropped > 0) {
        record({
          kind: 'runbook',
          actor: 'firebreak',
          summary: `${launchesDropped} runbook start(s) not made: ${INCIDENT_LIMITS.pendingLaunches} starts were already waiting`,
        });
        launchesDropped = 0;
      }
      const allResolved = recorded > 0 && firing.size === 0 && !firingUntracked;
      if (allResolved && incident.policy?.autoMitigate && !hasReached(incident.status, IncidentStatus.Mitigated)) {
        moveTo(IncidentStatus.Mitigated, 'firebreak', 'Every alert resolved; route auto-mitigates');
      }
      publish();
      return { incidentId: incident.id, recorded };
    },
    {
      validator: ({ alerts }: IngestAlertsInput) => {
        if (!Array.isArray(alerts) || alerts.length === 0) {
          throw ApplicationFailure.nonRetryable('an alert batch holds at least one alert', IncidentFailure.Invalid);
        }
        if (!isOpen(incident.status) && alerts.some(({ alert }) => alert.status === 'firing')) {
          throw ApplicationFailure.nonRetryable(
            `incident ${incident.id} is ${incident.status}; firing alerts open a new incident`,
            IncidentFailure.NotOpen,
          );
        }
      },
    },
  );

  // ---- commands --------------------------------------------------------------------------

  /** Why `action` is not allowed now, or undefined when it is. */
  const refusal = (action: IncidentAction): string | undefined => {
    if (Object.hasOwn(TARGET_STATUS, action.action)) {
      const check = checkTransition(incident.status, TARGET_STATUS[action.action as keyof typeof TARGET_STATUS]);
      return check.allowed ? undefined : check.reason;
    }
    if (action.action === 'reopen') {
      const check = checkTransition(incident.status, REOPENED_STATUS, true);
      return check.allowed ? undefined : check.reason;
    }
    if (incident.status === IncidentStatus.Closed) return 'the incident is closed';
    switch (action.action) {
      case 'escalate':
        if (!isOpen(incident.status)) return `the incident is ${incident.status}`;
        if (!incident.policy?.escalation) return 'the incident has no escalation policy';
        return undefined;
      case 'set-severity':
        return action.severity === incident.severity ? `the severity is already ${action.severity}` : undefined;
      case 'assign-role':
        if (action.remove && action.role !== 'investigator') return 'only investigators are removed; assign another person instead';
        if (action.remove && !incident.roles.investigators.includes(action.assignee)) {
          return `${action.assignee} is not an investigator`;
        }
        if (
          !action.remove &&
          action.role === 'investigator' &&
          !incident.roles.investigators.includes(action.assignee) &&
          incident.roles.investigators.length >= INCIDENT_LIMITS.investigators
        ) {
          return `the incident has ${INCIDENT_LIMITS.investigators} investigators, the most it holds; remove one first`;
        }
        return undefined;
      case 'add-action-item':
        return incident.actionItems.length >= INCIDENT_LIMITS.actionItems
          ? `the incident has ${INCIDENT_LIMITS.actionItems} action items, the most it holds`
          : undefined;
      default:
        return undefined;
    }
  };

  const postStatusUpdate = async (action: Extract<IncidentAction, { action: 'post-status-update' }>, actor: string) => {
    // The public page gets its own title, never the internal one; and each update its own key,
    // since counting timeline entries repeats a key once older entries leave the timeline.
    const publicUpdates = patched('public-status-page-updates');
    const updateKey = publicUpdates
      ? `status-page-update-${uuid4()}`
      : `status-page-update-${incident.timeline.filter((entry) => entry.kind === 'status-update').length + 1}`;
    const publicTitle = publicUpdates
      ? (action.title ?? publicStatusTitle(incident.service))
      : incident.title;
    try {
      if (!incident.statusPage) {
        const opened = await step(() =>
          statusPageOpenIncident({
            idempotencyKey: stepIdempotencyKey(workflowId, 'status-page-open'),
            incidentId: incident.id,
            title: publicTitle,
            status: action.status,
            message: action.message,
            components: action.components,
          }),
        );
        incident.statusPage = { statusIncidentId: opened.id, url: opened.url };
      } else {
        const statusIncidentId = incident.statusPage.statusIncidentId;
        await step(() =>
          statusPageUpdateIncident({
            idempotencyKey: stepIdempotencyKey(workflowId, updateKey),
            statusIncidentId,
            status: action.status,
            message: action.message,
            components: action.components,
          }),
        );
      }
    } catch (error) {
      record({ kind: 'status-update', actor, summary: `Status page update failed: ${failureMessage(error)}` });
      throw ApplicationFailure.nonRetryable(`status page update failed: ${failureMessage(error)}`, 'StatusPageFailed');
    }
    record({
      kind: 'status-update',
      actor,
      summary: `Status page (${action.status}): ${action.message}`,
      details: { components: action.components, statusIncidentId: incident.statusPage?.statusIncidentId },
    });
  };

  const apply = async ({ actor, action }: IncidentCommand) => {
    switch (action.action) {
      case 'acknowledge':
      case 'investigate':
      case 'mitigate':
      case 'resolve':
      case 'close': {
        const verb = { acknowledge: 'Acknowledged', investigate: 'Investigating', mitigate: 'Mitigated', resolve: 'Resolved', close: 'Closed' }[action.action];
        moveTo(TARGET_STATUS[action.action], actor, action.note ? `${verb} (${action.note})` : verb);
        return;
      }
      case 'reopen':
        incident.resolvedAt = undefined;
        incident.metrics.timeToResolveSeconds = undefined;
        moveTo(REOPENED_STATUS, actor, `Reopened: ${action.reason}`);
        return;
      case 'escalate':
        record({ kind: 'notification', actor, summary: `Escalated by hand${action.reason ? `: ${action.reason}` : ''}` });
        if (progress.state === 'paging') {
          escalateRequests += 1;
        } else {
          if (progress.state !== 'idle' && !advanceLevel()) {
            progress.level = 0;
            progress.round = 0;
          }
          progress.state = 'paging';
          progress.pagePending = true;
        }
        return;
      case 'set-severity':
        record({ kind: 'severity', actor, summary: `Severity ${incident.severity} → ${action.severity}${action.reason ? `: ${action.reason}` : ''}` });
        incident.severity = action.severity;
        return;
      case 'assign-role': {
        const { role, assignee } = action;
        if (role === 'investigator') {
          if (action.remove) incident.roles.investigators = incident.roles.investigators.filter((name) => name !== assignee);
          else if (!incident.roles.investigators.includes(assignee)) incident.roles.investigators.push(assignee);
        } else {
          incident.roles[role] = assignee;
        }
        record({ kind: 'role', actor, summary: action.remove ? `${assignee} is no longer an investigator` : `${assignee} is ${role === 'investigator' ? 'an investigator' : `the ${role === 'commander' ? 'incident commander' : role === 'communications' ? 'communications lead' : 'scribe'}`}` });
        return;
      }
      case 'add-note':
        record({ kind: 'note', actor, summary: action.text });
        return;
      case 'add-action-item': {
        const id = incident.actionItems.length + 1;
        incident.actionItems.push({ id, title: action.title, owner: action.owner, addedBy: actor });
        record({ kind: 'note', actor, summary: `Action item ${id}: ${action.title}${action.owner ? ` (owner: ${action.owner})` : ''}` });
        return;
      }
      case 'post-status-update':
        await postStatusUpdate(action, actor);
        return;
    }
  };

  setHandler(
    incidentActionUpdate,
    async (command: IncidentCommand): Promise<IncidentActionResult> => {
      const before = { ...incident.metrics };
      await apply(command);
      publish();
      const newlyReached = (Object.keys(incident.metrics) as Array<keyof typeof incident.metrics>).filter(
        (metric) => incident.metrics[metric] !== undefined && before[metric] === undefined,
      );
      return { incidentId: incident.id, status: incident.status, severity: incident.severity, metrics: incident.metrics, newlyReached };
    },
    {
      validator: (command: IncidentCommand) => {
        const parsed = incidentActionSchema().safeParse(command?.action);
        if (!parsed.success || typeof command.actor !== 'string' || command.actor.length === 0) {
          throw ApplicationFailure.nonRetryable(
            parsed.success ? 'a command names its actor' : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
            IncidentFailure.Invalid,
          );
        }
        const reason = refusal(parsed.data);
        if (reason) throw conflict(reason);
      },
    },
  );

  setHandler(recordEventSignal, ({ entry, heartbeat }: RecordEventInput) => {
    record(entry);
    if (heartbeat === 'recovered' && isOpen(incident.status)) {
      const onRecovery = incident.policy?.onRecovery ?? 'mitigate';
      if (onRecovery === 'mitigate' && !hasReached(incident.status, IncidentStatus.Mitigated)) {
        moveTo(IncidentStatus.Mitigated, 'firebreak', 'Heartbeat recovered; monitor policy mitigates');
      } else if (onRecovery === 'resolve') {
        moveTo(IncidentStatus.Resolved, 'firebreak', 'Heartbeat recovered; monitor policy resolves');
      }
    }
    publish();
  });

  // ---- life ------------------------------------------------------------------------------

  publish();

  const escalation = escalationLoop();
  const runbooks = runbookLauncher();
  const historyFull = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= maxHistoryEvents;
  // On state size too: what a run carries must stay far below Temporal's 2 MB payload
  // limit. Runs from before this only continued on history (the patch is asked only once
  // the state is large, so their replays take the same path).
  const maxStateBytes = input.maxStateBytes ?? INCIDENT_LIMITS.continueAtStateBytes;
  const startBytes = stateBytes;
  // Not before the run is a few seconds old: Temporal delays the first task (and so every
  // read) of a run that follows a run continued too soon, and the windows bound the state
  // meanwhile anyway.
  const stateFull = () =>
    stateBytes >= Math.max(maxStateBytes, startBytes + maxStateBytes / 4) &&
    Date.now() - workflowInfo().runStartTime.getTime() >= INCIDENT_LIMITS.minRunMsBeforeStateContinue &&
    patched('continue-as-new-on-state-size');
  await condition(() => incident.status === IncidentStatus.Closed || ((historyFull() || stateFull()) && !progress.pagePending));

  if (incident.status !== IncidentStatus.Closed) {
    // Continue as new once nothing is in flight; handlers that arrive meanwhile finish first.
    await condition(() => busy === 0 && allHandlersFinished());
    // The new run starts with half windows, so it has room to grow before it continues again;
    // the postmortem is written again from the state on its first publish.
    trimTimeline(Math.min(INCIDENT_LIMITS.carriedTimelineBytes, (maxStateBytes * 3) / 8));
    recentAlerts.trim(INCIDENT_LIMITS.alerts, Math.min(INCIDENT_LIMITS.carriedAlertsBytes, (maxStateBytes * 3) / 16));
    const carried: CarriedIncidentState = {
      snapshot: { ...incident, postmortem: undefined, continuedAsNew: incident.continuedAsNew + 1 },
      receipts: receipts.values(),
      firing: [...firing],
      ...(firingUntracked ? { firingUntracked } : {}),
      launches,
    };
    return continueAsNew<typeof incidentWorkflow>({ ...input, carried });
  }

  await escalation;
  await runbooks;
  await fileActionItemTickets();
  await condition(() => busy === 0 && allHandlersFinished());
  return incident;

  async function fileActionItemTickets() {
    for (const item of incident.actionItems.filter((candidate) => !candidate.ticket)) {
      try {
        const ticket = await step(() =>
          ticketingCreateTicket({
            idempotencyKey: stepIdempotencyKey(workflowId, `action-item-${item.id}`),
            incidentId: incident.id,
            summary: item.title,
            description: `Action item ${item.id} from incident ${incident.id}: ${incident.title}${item.owner ? `\nOwner: ${item.owner}` : ''}`,
            priority: incident.priority,
            labels: ['firebreak', 'postmortem-action-item'],
          }),
        );
        item.ticket = { key: ticket.key, url: ticket.url };
        record({ kind: 'note', actor: 'firebreak', summary: `Ticket ${ticket.key} filed for action item ${item.id}: ${item.title}` });
      } catch (error) {
        record({ kind: 'note', actor: 'firebreak', summary: `Ticket for action item ${item.id} not filed: ${failureMessage(error)}` });
      }
    }
    publish();
  }
}
