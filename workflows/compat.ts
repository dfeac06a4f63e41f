/**
 * Every `patched()` branch of Firebreak's workflows, in one place. A workflow that changes
 * the commands it issues must still replay the histories of runs started before the
 * change, so the new path sits behind a patch marker and the old one stays until no such
 * run is open. Each id below says what the old behaviour was and the date it may be
 * retired: the change's date + 90 days, and only once no run started before the change is
 * still open. To check, list the running executions started before the change, e.g.
 *
 *   temporal workflow list --query "WorkflowType = 'incidentWorkflow' AND ExecutionStatus = 'Running' AND StartTime < '2026-12-07T00:00:00Z'"
 *
 * When the list is empty: call `deprecatePatch()` in place of the branch for one release
 * (new runs record the marker, old ones are gone), then remove the id and the old path.
 * The ids are recorded in histories: never change one. Runs that hold
 * {@link CURRENT_PATHS_PATCH} ask none of the patches it covers (every id below, as of
 * 2026-12-07): once no run older than it is open, those branches and it go together.
 */
import { patched, workflowInfo } from '@temporalio/workflow';

/**
 * Recorded first by every run started by this version or later, of every workflow: a run
 * that holds it takes the new path of every patch below (and of 'workflow-tracing', which
 * the interceptors ask) without asking that patch. The SDK writes the TemporalChangeVersion
 * search attribute with each patch marker it records, a visibility write each: an incident
 * opened by an alert recorded five markers in its first task, an alert queue two, a runbook
 * run up to five; now one each. Runs without it (started before) ask each patch as they
 * always did. Patches added after it are asked on their own, in every run.
 *
 * Asked once per run, in its first workflow task (by the interceptors' first call, then by
 * the workflow's own start, which the SDK answers from the first), and the answer kept for
 * the run: {@link currentPaths}. Since 2026-12-07; retire together with the patches it covers.
 */
export const CURRENT_PATHS_PATCH = 'paths-2026-12-07';

/** What a run knows of its own paths: whether it recorded {@link CURRENT_PATHS_PATCH}. */
export interface Paths {
  readonly current: boolean;
}

/**
 * This run's {@link Paths}. Call it only while the run's first workflow task is handled (a
 * workflow's start, a constructor called there) and keep the answer: a replayed run without
 * the marker answers false there, but would answer true (and record the marker) later.
 */
export const currentPaths = (): Paths => ({ current: patched(CURRENT_PATHS_PATCH) });

export const PATCHES = {
  // ---- incident (workflows/incident/) --------------------------------------------------
  /** Old: upserted the search attributes on every publish. Since 2026-11-21; retire after 2027-02-19. */
  publishSearchAttributesOnChange: 'publish-search-attributes-on-change',
  /** Old: the incident skipped the runbook starts it was given, starting none. Since 2026-11-21; retire after 2027-02-19. */
  incidentStartsRunbooks: 'incident-starts-runbooks',
  /** Old: a failed page was only recorded, with no fallback page. Since 2026-12-07; retire after 2027-03-07. */
  pagingFallback: 'paging-fallback',
  /** Old: every runbook start decided by the API was held, unbounded. Since 2026-12-07; retire after 2027-03-07. */
  boundedRunbookLaunches: 'bounded-runbook-launches',
  /** Old: every distinct firing alert was tracked, unbounded. Since 2026-12-07; retire after 2027-03-07. */
  boundedFiringAlerts: 'bounded-firing-alerts',
  /** Old: status-page updates used the internal title and keys counted from the timeline. Since 2026-12-07; retire after 2027-03-07. */
  publicStatusPageUpdates: 'public-status-page-updates',
  /** Old: continued as new on history length only, never on state size. Since 2026-12-07; retire after 2027-03-07. */
  continueAsNewOnStateSize: 'continue-as-new-on-state-size',
  /** Old: a level's targets were handed to the pager as names; no person was resolved or notified. Since 2026-12-07; retire after 2027-03-07. */
  oncallNotifications: 'oncall-notifications',
  /** Old: acknowledge and resolve told the pager once, on the incident's dedup key. Since 2026-12-07; retire after 2027-03-07. */
  pagerPerLevel: 'pager-per-level',
  /**
   * Old: a level whose page was on its way when the incident was acknowledged or resolved
   * never heard of it (its pager alert rang on). Since 2026-12-07; retire after 2027-03-07.
   */
  pagerTellsLatePages: 'pager-tells-late-pages',
  /** Old: resolving the incident left its status-page incident as it was. Since 2026-12-07; retire after 2027-03-07. */
  incidentResolvesStatusPage: 'incident-resolves-status-page',
  /** Old: an incident published no webhook events (and ran no `webhooksPublish`). Since 2026-12-07; retire after 2027-03-07. */
  outgoingWebhooks: 'outgoing-webhooks',
  /** Old: an incident wrote nothing to the lasting record (and ran no `recordIncident`). Since 2026-12-07; retire after 2027-03-07. */
  recordProjection: 'record-projection',
  /**
   * Old: the first record write went out with the first page's first activity, in the same
   * workflow task. Since 2026-12-07; retire after 2027-03-07.
   */
  recordAfterFirstPage: 'record-after-first-page',
  // ---- status page (workflows/status-page.ts) ------------------------------------------
  /** Old: unbounded state, continued as new on history length only. Since 2026-12-07; retire after 2027-03-07. */
  statusPageBoundedState: 'status-page-bounded-state',
  // ---- alert queue (workflows/alert-queue.ts) ------------------------------------------
  /** Old: a queue never listened for its lease's `recover` signal. Since 2026-12-07; retire after 2027-03-07. */
  alertQueueLease: 'alert-queue-lease',
  // ---- alert lease (workflows/alert-lease.ts) and heartbeat (workflows/heartbeat.ts): no patches.
  // ---- webhook delivery (workflows/webhooks.ts): no patches yet.
} as const;

/** How an incident run publishes its search attributes; see {@link compat.listedStartPublishing}. */
export type Publishing = 'held' | 'on-change' | 'always';

/** The branches, by what the new behaviour does. Each is asked at the point the workflow always asked it. */
export const compat = {
  /**
   * How this incident run publishes its search attributes, decided at its first publish:
   * - `held`: it starts from what its search attributes hold (a listed start sets them,
   *   continue-as-new carries them) and publishes only changes.
   * - `on-change`: runs whose first task recorded the marker; the first publish upserted.
   * - `always`: runs from before that, which upserted on every publish.
   * A listed start needs no marker (each costs a history event and a visibility write on
   * the alert's path). A replay still looks for one: a worker from before `listed` may have
   * run the first task, upserting as it knew.
   */
  listedStartPublishing(paths: Paths, listed: boolean | undefined): Publishing {
    if (paths.current) return listed ? 'held' : 'on-change';
    if (listed && !workflowInfo().unsafe.isReplaying) return 'held';
    if (patched(PATCHES.publishSearchAttributesOnChange)) return 'on-change';
    return listed ? 'held' : 'always';
  },
  incidentStartsRunbooks: (paths: Paths): boolean => paths.current || patched(PATCHES.incidentStartsRunbooks),
  pagingFallback: (paths: Paths): boolean => paths.current || patched(PATCHES.pagingFallback),
  boundedRunbookLaunches: (paths: Paths): boolean => paths.current || patched(PATCHES.boundedRunbookLaunches),
  boundedFiringAlerts: (paths: Paths): boolean => paths.current || patched(PATCHES.boundedFiringAlerts),
  publicStatusPageUpdates: (paths: Paths): boolean => paths.current || patched(PATCHES.publicStatusPageUpdates),
  continueAsNewOnStateSize: (paths: Paths): boolean => paths.current || patched(PATCHES.continueAsNewOnStateSize),
  statusPageBoundedState: (paths: Paths): boolean => paths.current || patched(PATCHES.statusPageBoundedState),
  alertQueueLease: (paths: Paths): boolean => paths.current || patched(PATCHES.alertQueueLease),
  oncallNotifications: (paths: Paths): boolean => paths.current || patched(PATCHES.oncallNotifications),
  pagerPerLevel: (paths: Paths): boolean => paths.current || patched(PATCHES.pagerPerLevel),
  /** Asked only when a page returns after a notice it missed. */
  pagerTellsLatePages: (paths: Paths): boolean => paths.current || patched(PATCHES.pagerTellsLatePages),
  incidentResolvesStatusPage: (paths: Paths): boolean => paths.current || patched(PATCHES.incidentResolvesStatusPage),
  /** Asked once, at the start of each run, before any handler is set. */
  outgoingWebhooks: (paths: Paths): boolean => paths.current || patched(PATCHES.outgoingWebhooks),
  /** Asked once, at the start of each run, right after {@link compat.outgoingWebhooks}. */
  recordProjection: (paths: Paths): boolean => paths.current || patched(PATCHES.recordProjection),
  /** Asked once, at the start of each run that writes to the record, right after {@link compat.recordProjection}. */
  recordAfterFirstPage: (paths: Paths): boolean => paths.current || patched(PATCHES.recordAfterFirstPage),
};

// ---- runbook (workflows/runbook.ts) --------------------------------------------------------
// Its patches go below, in the same shape, in objects of their own: each id with its TSDoc
// (old behaviour, since, retire after) and each branch a named function.

export const RUNBOOK_PATCHES = {
  /** Old: a run waited for each signal to reach its incident before going on. Since 2026-11-21; retire after 2027-02-19. */
  runbookTellsIncidentInBackground: 'runbook-tells-incident-in-background',
  /**
   * Old: `statusPage.openIncident` always opened a new status-page incident and the run's
   * incident never heard of it. Since 2026-12-07; retire after 2027-03-07.
   */
  statusPageFollowsIncident: 'status-page-follows-incident',
  /** Old: the run's incident never heard of the chat channel a step opened. Since 2026-12-07; retire after 2027-03-07. */
  chatFollowsIncident: 'chat-follows-incident',
  /**
   * Old: a run published no search attributes or memo, so `GET /v1/executions` could list it
   * only by its Temporal status. Since 2026-12-07; retire after 2027-03-07.
   */
  runbookPublishesListing: 'runbook-publishes-listing',
  /** Old: a run published no webhook events (and ran no `webhooksPublish`). Since 2026-12-07; retire after 2027-03-07. */
  runbookWebhooks: 'runbook-webhooks',
  /** Old: a run wrote nothing to the lasting record (and ran no `recordExecution`). Since 2026-12-07; retire after 2027-03-07. */
  runbookRecordProjection: 'runbook-record-projection',
} as const;

/** The runbook workflow's branches. A runbook's own `ctx.patched(id)` ids are its author's, not listed here. */
export const runbookCompat = {
  tellsIncidentInBackground: (paths: Paths): boolean => paths.current || patched(RUNBOOK_PATCHES.runbookTellsIncidentInBackground),
  /** Asked at a run's first status-page step that has an incident, never before. */
  statusPageFollowsIncident: (paths: Paths): boolean => paths.current || patched(RUNBOOK_PATCHES.statusPageFollowsIncident),
  /** Asked after a run's first successful `chat.createChannel` step that has an incident. */
  chatFollowsIncident: (paths: Paths): boolean => paths.current || patched(RUNBOOK_PATCHES.chatFollowsIncident),
  /** Asked once, after the handlers are set and before the run's first command. */
  publishesListing: (paths: Paths): boolean => paths.current || patched(RUNBOOK_PATCHES.runbookPublishesListing),
  /** Asked once, right after {@link runbookCompat.publishesListing}, and never in a dry run (which publishes nothing). */
  publishesWebhooks: (paths: Paths): boolean => paths.current || patched(RUNBOOK_PATCHES.runbookWebhooks),
  /** Asked once, right after {@link runbookCompat.publishesWebhooks} (dry runs too: the record keeps them apart). */
  writesRecord: (paths: Paths): boolean => paths.current || patched(RUNBOOK_PATCHES.runbookRecordProjection),
};

// ---- every workflow (apps/worker/src/observability-workflow-interceptors.ts) ---------------
// 'workflow-tracing' — Marks nothing now: recorded by runs from 2026-12-07 where OpenTelemetry's
// workflow interceptors (switched off before release) would have started spans, and still asked
// at the same points so those histories replay; runs holding CURRENT_PATHS_PATCH never ask it. Workflow spans need no patch (their ids are
// derived, not drawn). Retire after 2027-03-07. The id is defined beside the interceptors.
