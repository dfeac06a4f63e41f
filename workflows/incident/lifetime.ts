import { allHandlersFinished, workflowInfo } from '@temporalio/workflow';
import { stepIdempotencyKey } from '../../core/model/capabilities/keys';
import type { CarriedIncidentState } from '../../core/model/incident';
import { actionItemTicket, unfiledItems } from '../../core/model/incident/action-items';
import { INCIDENT_LIMITS } from '../../core/model/incident/bounds';
import { carriedWindowBytes, carry, DEFAULT_MAX_HISTORY_EVENTS, oldEnoughToContinue, stateOverBudget } from '../../core/model/incident/lifetime';
import { IncidentStatus } from '../../core/model/incident-model';
import { compat } from '../compat';
import { ticketingCreateTicket } from './activities';
import { failureMessage, type IncidentRun } from './incident-run';
import type { Listing } from './listing';

/**
 * When a run ends: the incident closed, or the run should continue as new because its
 * history is full or its state has outgrown its budget (never while a page is due).
 * Made right after the first publish, which measures the state the run started with.
 */
export class Lifetime {
  private readonly maxHistoryEvents: number;
  private readonly maxStateBytes: number;
  private readonly startBytes: number;

  constructor(private readonly run: IncidentRun) {
    this.maxHistoryEvents = run.input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
    // On state size too: what a run carries must stay far below Temporal's 2 MB payload
    // limit. Runs from before this only continued on history (the patch is asked only once
    // the state is large, so their replays take the same path).
    this.maxStateBytes = run.input.maxStateBytes ?? INCIDENT_LIMITS.continueAtStateBytes;
    this.startBytes = run.stateBytes;
  }

  get closed(): boolean {
    return this.run.incident.status === IncidentStatus.Closed;
  }

  /** The condition a run waits on for its end. */
  closedOrFull(): boolean {
    return this.closed || ((this.historyFull() || this.stateFull()) && !this.run.progress.pagePending);
  }

  /** Nothing in flight: activities done and handlers finished (webhook events still on their way are carried, not waited for). */
  idle(): boolean {
    return this.run.busy === 0 && allHandlersFinished();
  }

  /** What the next run carries, its windows trimmed to half so it has room to grow. */
  carry(): CarriedIncidentState {
    const { run } = this;
    const windows = carriedWindowBytes(this.maxStateBytes);
    run.trimTimeline(windows.timeline);
    run.recentAlerts.trim(INCIDENT_LIMITS.alerts, windows.alerts);
    return carry(run.incident, { receipts: run.receipts.values(), firing: [...run.firing], firingUntracked: run.firingUntracked }, run.launches);
  }

  private historyFull(): boolean {
    return workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= this.maxHistoryEvents;
  }

  private stateFull(): boolean {
    return (
      stateOverBudget(this.run.stateBytes, this.startBytes, this.maxStateBytes) &&
      oldEnoughToContinue(Date.now() - workflowInfo().runStartTime.getTime()) &&
      compat.continueAsNewOnStateSize(this.run.paths)
    );
  }
}

/** Once closed: a ticket for each action item not filed yet, then the last publish. */
export async function fileActionItemTickets(run: IncidentRun, listing: Listing): Promise<void> {
  const { incident } = run;
  for (const item of unfiledItems(incident)) {
    try {
      const ticket = await run.step(() =>
        ticketingCreateTicket({ idempotencyKey: stepIdempotencyKey(run.workflowId, `action-item-${item.id}`), ...actionItemTicket(incident, item) }),
      );
      item.ticket = { key: ticket.key, url: ticket.url };
      run.record({ kind: 'note', actor: 'firebreak', summary: `Ticket ${ticket.key} filed for action item ${item.id}: ${item.title}` });
    } catch (error) {
      run.record({ kind: 'note', actor: 'firebreak', summary: `Ticket for action item ${item.id} not filed: ${failureMessage(error)}` });
    }
  }
  listing.publish();
}
