import { Injectable } from '@nestjs/common';
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { IncidentFailure } from '../../../../core/model/incident';
import { IncidentStatus } from '../../../../core/model/incident-model';
import { isOpen } from '../../../../core/model/incident/state-machine';
import { IncidentStatusAttribute } from '../../../../core/model/search-attributes';
import type { IncidentAction } from '../../../../core/schemas/incident-actions';
import { currentGeneration } from '../../../../temporal-client/alert-delivery';
import { incidentIdFor } from '../../../../temporal-client/incident-ids';
import type { Principal } from '../auth/principal';
import { NotFoundError } from '../http/failures';
import { IncidentClosedError, IncidentsService } from '../incidents/incidents.service';
import { TemporalService } from '../temporal/temporal.service';

/** What a follow-up (an acknowledge, a resolve, a close) did to the key's incident. */
export type FollowUpOutcome =
  | { done: true; incidentId: string }
  /** Nothing to do: no open incident for the key, or it was already past that status. */
  | { done: false; incidentId: string | null; reason: string };

/**
 * Commands on the incident a dedup key currently has, for senders that know their alert by
 * its key only (PagerDuty's `dedup_key`, Opsgenie's alias). They run through the incidents
 * API's own command, so the timeline records them as any other acknowledgement or resolve.
 */
@Injectable()
export class DedupKeyIncidents {
  constructor(
    private readonly temporal: TemporalService,
    private readonly incidents: IncidentsService,
  ) {}

  /** The key's open incident (triggered up to mitigated), or undefined. */
  async openIncident(dedupKey: string): Promise<string | undefined> {
    const generation = await currentGeneration(1, async (candidate) => (await this.state(incidentIdFor(dedupKey, candidate))) === 'past');
    const incidentId = incidentIdFor(dedupKey, generation);
    return (await this.state(incidentId)) === 'open' ? incidentId : undefined;
  }

  /** Acknowledges the key's incident if it is still triggered. */
  acknowledge(dedupKey: string, principal: Principal, knownIncidentId?: string): Promise<FollowUpOutcome> {
    return this.run(dedupKey, principal, { action: 'acknowledge' }, IncidentStatus.Triggered, knownIncidentId);
  }

  /** Resolves the key's incident if it is open (whatever its status short of resolved). */
  resolve(dedupKey: string, principal: Principal, note: string | undefined, knownIncidentId?: string): Promise<FollowUpOutcome> {
    return this.run(dedupKey, principal, { action: 'resolve', ...(note ? { note } : {}) }, undefined, knownIncidentId);
  }

  /**
   * Runs `action` on the key's open incident, when its status is `onlyFrom` (or any open
   * one). A refusal because the incident moved on meanwhile (acknowledged, resolved or
   * closed by someone else) is "nothing to do", as it is for PagerDuty and Opsgenie.
   */
  private async run(dedupKey: string, principal: Principal, action: IncidentAction, onlyFrom: IncidentStatus | undefined, knownIncidentId?: string): Promise<FollowUpOutcome> {
    const incidentId = knownIncidentId ?? (await this.openIncident(dedupKey));
    if (!incidentId) return { done: false, incidentId: null, reason: 'no open incident for this key' };
    const incident = await this.incidents.get(incidentId).catch((error: unknown) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
    if (!incident || !isOpen(incident.status)) return { done: false, incidentId, reason: 'the incident is no longer open' };
    if (onlyFrom !== undefined && incident.status !== onlyFrom) return { done: false, incidentId, reason: `the incident is already ${incident.status}` };
    try {
      await this.incidents.act(incidentId, { actor: principal.name, action });
      return { done: true, incidentId };
    } catch (error) {
      if (error instanceof IncidentClosedError || error instanceof NotFoundError) return { done: false, incidentId, reason: 'the incident is no longer open' };
      if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
        const { type, message } = error.cause;
        if (type === IncidentFailure.Conflict || type === IncidentFailure.NotOpen) return { done: false, incidentId, reason: message };
      }
      throw error;
    }
  }

  /** `past` (closed, or resolved), `open`, or `none` (never started: the key's next one). */
  private async state(incidentId: string): Promise<'past' | 'open' | 'none'> {
    try {
      const description = await this.temporal.call('finding an incident', (client) => client.workflow.getHandle(incidentId).describe());
      if (description.status.name !== 'RUNNING') return 'past';
      const status = description.typedSearchAttributes.get(IncidentStatusAttribute) as IncidentStatus | undefined;
      return status !== undefined && !isOpen(status) ? 'past' : 'open';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return 'none';
      throw error;
    }
  }
}
