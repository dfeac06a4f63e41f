import { Inject, Injectable } from '@nestjs/common';
import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { IncidentFailure, type IncidentActionResult, type IncidentSnapshot } from '../../../../core/model/incident';
import type { IncidentCommand } from '../../../../core/schemas/incident-actions';
import type { OperatorConfig } from '../../../../core/schemas/operator-config';
import { type AckClaims, verifyAckToken } from '../../../../security/ack-token';
import { INCIDENT_ID_PATTERN } from '../../../../temporal-client/incident-ids';
import { NotFoundError } from '../http/failures';
import { IncidentClosedError, IncidentsService } from '../incidents/incidents.service';
import { OPERATOR_CONFIG } from '../tokens';
import { AckSecretService } from './ack-secret.service';
import type { AckPageIncident } from './ack-pages.html';

/** What became of an acknowledgement sent on a person's behalf. */
export type AckOutcome =
  | { kind: 'acknowledged'; result: IncidentActionResult }
  /** The incident refused it (acknowledged since, or the person was not notified): its reason. */
  | { kind: 'refused'; reason: string }
  | { kind: 'closed' }
  | { kind: 'not-found' };

export type TokenCheck = { ok: true; claims: AckClaims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

/**
 * Acknowledgements from notifications: a signed link's token, or an SMS reply. The token or
 * the verified sender is the credential; the incident decides whether it still counts (the
 * person was notified, and nobody acknowledged since), so a reused link changes nothing.
 */
@Injectable()
export class AckService {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly secret: AckSecretService,
    @Inject(OPERATOR_CONFIG) private readonly operator: OperatorConfig,
  ) {}

  check(token: string): TokenCheck {
    const check = verifyAckToken(this.secret.value, token, Date.now());
    if (check.ok && !INCIDENT_ID_PATTERN.test(check.claims.incidentId)) return { ok: false, reason: 'malformed' };
    return check;
  }

  /** The name people know `responderId` by; the id when the responder is no longer configured. */
  nameOf(responderId: string): string {
    return this.operator.responders.get(responderId)?.name ?? responderId;
  }

  /** The responder whose SMS number is `from`, if any. */
  responderBySms(from: string): string | undefined {
    const number = from.trim();
    if (number === '') return undefined;
    for (const responder of this.operator.responders.values()) {
      if (responder.contact.sms === number) return responder.id;
    }
    return undefined;
  }

  /** The incident as an ack page shows it; undefined when there is no such incident. */
  async incident(incidentId: string): Promise<AckPageIncident | undefined> {
    let incident: IncidentSnapshot;
    try {
      incident = await this.incidents.get(incidentId);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
    return { id: incident.id, title: incident.title, severity: incident.severity, status: incident.status };
  }

  /** Sends the incident an `acknowledge` as `responder`, marked as coming from a notification. */
  async acknowledge(incidentId: string, responder: string, fromNotification: NonNullable<IncidentCommand['fromNotification']>): Promise<AckOutcome> {
    try {
      const result = await this.incidents.act(incidentId, { actor: this.nameOf(responder), action: { action: 'acknowledge' }, fromNotification });
      return { kind: 'acknowledged', result };
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
        if (error.cause.type === IncidentFailure.NotOpen) return { kind: 'closed' };
        if (error.cause.type === IncidentFailure.Conflict || error.cause.type === IncidentFailure.Invalid) {
          return { kind: 'refused', reason: error.cause.message };
        }
      }
      if (error instanceof IncidentClosedError) return { kind: 'closed' };
      if (error instanceof NotFoundError) return { kind: 'not-found' };
      throw error;
    }
  }
}
