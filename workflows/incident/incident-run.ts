import { workflowInfo } from '@temporalio/workflow';
import type { IncidentSnapshot, OpenIncidentInput } from '../../core/model/incident';
import type { TimelineEntry } from '../../core/model/incident-model';
import { BoundedIdSet, boundEntry, INCIDENT_LIMITS, SizedWindow } from '../../core/model/incident/bounds';
import type { Effect } from '../../core/model/incident/effects';
import { newIncident, openingEntries } from '../../core/model/incident/lifetime';
import { initialLaunches, type PendingLaunch } from '../../core/model/incident/runbooks';
import { compactId, jsonBytes } from '../../core/model/text';
import { currentPaths, type Paths } from '../compat';

/**
 * One run of an incident: its snapshot and what the snapshot does not show (the bounded
 * id sets, the windows' sizes, launches waiting, activities in flight). Every part of the
 * incident workflow works on this one object.
 */
export class IncidentRun {
  readonly incident: IncidentSnapshot;
  /** Bounded sets: long ids are held hashed (compacting is idempotent, so sets carried by older runs, which held ids whole, are compacted the same way). */
  readonly receipts: BoundedIdSet;
  readonly firing: Set<string>;
  /** More distinct alerts fired than `firing` tracks: it undercounts, so nothing auto-mitigates. */
  firingUntracked: boolean;
  // Windows over the state's lists (runs from before held them whole: trimmed on first use).
  readonly timeline: SizedWindow<TimelineEntry>;
  readonly recentAlerts: SizedWindow<IncidentSnapshot['alerts'][number]>;
  /** Runbooks decided on (by the API, from alerts and routes) and not started yet. */
  readonly launches: PendingLaunch[];
  /** Runbook starts left out since the last report on the timeline (too many waiting). */
  launchesDropped = 0;
  /** The state's size as JSON (the postmortem aside), measured at each publish. */
  stateBytes = 0;
  /** Activities in flight; the workflow continues as new only when none are. */
  busy = 0;
  /** Bumped by the `escalate` command so the ladder moves on without waiting for the timeout. */
  escalateRequests = 0;
  /** A level is being paged: from its page's start until who to notify is decided and its pagers are paged. */
  paging = false;
  /**
   * Acknowledge and resolve notices sent to the pager in this run, and the last one's action:
   * a page still on its way when one went out missed it (never carried: a run continues as
   * new only with no activity in flight).
   */
  pagerNotices: { count: number; last?: 'acknowledge' | 'resolve' } = { count: 0 };
  readonly workflowId = workflowInfo().workflowId;
  /** Outgoing webhook events; absent in runs from before them (set once, at the start). */
  webhooks: { observe(actor: string): void } | undefined;

  /** Asked first, in the run's first task: see {@link currentPaths}. */
  readonly paths: Paths = currentPaths();

  constructor(readonly input: OpenIncidentInput) {
    const carried = input.carried;
    this.incident = carried?.snapshot ?? newIncident(input, new Date().toISOString());
    this.receipts = new BoundedIdSet(carried?.receipts ?? [], INCIDENT_LIMITS.receipts, compactId);
    this.firing = new Set((carried?.firing ?? []).map(compactId));
    this.firingUntracked = carried?.firingUntracked ?? false;
    this.timeline = new SizedWindow(this.incident.timeline);
    this.recentAlerts = new SizedWindow(this.incident.alerts);
    this.launches = initialLaunches(carried?.launches, !carried, input.runbooks);
    this.trimTimeline(INCIDENT_LIMITS.timelineBytes);
    this.recentAlerts.trim(INCIDENT_LIMITS.alerts, INCIDENT_LIMITS.alertsBytes);
    if (!carried) for (const entry of openingEntries(this.incident, input)) this.record(entry);
  }

  get progress(): IncidentSnapshot['escalation'] {
    return this.incident.escalation;
  }

  record(entry: Omit<TimelineEntry, 'at'>, at = new Date().toISOString()): void {
    this.timeline.push(boundEntry({ at, ...entry }));
    this.trimTimeline(INCIDENT_LIMITS.timelineBytes);
  }

  /** Drops the oldest entries past the window, counting them by kind. */
  trimTimeline(maxBytes: number): void {
    this.timeline.trim(INCIDENT_LIMITS.timelineEntries, maxBytes, (dropped) => {
      this.incident.timelineStart = (this.incident.timelineStart ?? 0) + 1;
      const counts = (this.incident.timelineDropped ??= {});
      counts[dropped.kind] = (counts[dropped.kind] ?? 0) + 1;
    });
  }

  /** Records the `record` effects; the others go to `other`, in their turn. */
  recordOr(effects: Effect[], other: (effect: Exclude<Effect, { kind: 'record' }>) => void): void {
    for (const effect of effects) {
      if (effect.kind === 'record') this.record(effect.entry, effect.at);
      else other(effect);
    }
  }

  /** Runs an activity, counting it as in flight so continue-as-new waits for it. */
  async step<T>(run: () => Promise<T>): Promise<T> {
    this.busy += 1;
    try {
      return await run();
    } finally {
      this.busy -= 1;
    }
  }

  /**
   * The carried state's size as JSON, cheaply: the windows keep their own sizes, the id
   * sets are counted at their longest id, and only the small rest is serialised.
   */
  measureState(): number {
    const rest = jsonBytes({ ...this.incident, timeline: [], alerts: [], postmortem: undefined });
    const idBytes = 44;
    return this.timeline.bytes + this.recentAlerts.bytes + (this.receipts.size + this.firing.size) * idBytes + jsonBytes(this.launches) + rest;
  }
}

export const failureMessage = (error: unknown): string =>
  error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
