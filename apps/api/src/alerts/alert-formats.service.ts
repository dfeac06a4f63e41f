import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Alert } from '../../../../core/model/alert';
import {
  cloudEventDeliveryId,
  normalizeCloudEvent,
  type CloudEvent,
} from '../../../../core/schemas/alert-sources/cloudevents';
import { alertsOfDelivery } from '../../../../core/schemas/alert-sources/labelled-alert';
import {
  normalizeOpsgenieAlert,
  normalizeOpsgenieClose,
  type OpsgenieCloseAlert,
  type OpsgenieCreateAlert,
} from '../../../../core/schemas/alert-sources/opsgenie';
import {
  normalizePagerDutyResolve,
  normalizePagerDutyTrigger,
  pagerDutyDedupKey,
  withoutRoutingKey,
  type PagerDutyEvent,
} from '../../../../core/schemas/alert-sources/pagerduty';
import type { Principal } from '../auth/principal';
import type { IngestOutcome } from './alert-ingestor.service';
import type { OpsgenieAccepted, PagerDutyAccepted } from './alert-formats.dto';
import type { AlertBatchAccepted } from './alerts.dto';
import { AlertsService } from './alerts.service';
import { DedupKeyIncidents, type FollowUpOutcome } from './dedup-key-incidents';
import { contentDigest } from './delivery-ids';

/** PagerDuty's answer to an event it took. */
const EVENT_PROCESSED = 'Event processed';
/** Opsgenie's answer to a request it took. */
const WILL_BE_PROCESSED = 'Request will be processed';
/** Characters of a dedup key Firebreak derives for a trigger without one (PagerDuty's are 32). */
const GENERATED_KEY_CHARS = 32;

const incidentOf = (outcome: IngestOutcome) => (outcome.status === 'recorded' ? outcome.incidentId : undefined);

/**
 * Alerts in the formats monitoring already speaks (PagerDuty Events v2, Opsgenie, CloudEvents),
 * taken to their incidents like every other alert, plus the follow-ups those formats have:
 * PagerDuty's acknowledge and resolve, Opsgenie's close.
 */
@Injectable()
export class AlertFormatsService {
  constructor(
    private readonly alerts: AlertsService,
    private readonly incidents: DedupKeyIncidents,
  ) {}

  /**
   * - `trigger`: a firing alert on the key's incident (a trigger without `dedup_key` gets
   *   one derived from the event, so a retried send lands on the same incident).
   * - `acknowledge`: acknowledges the key's incident if it is still triggered.
   * - `resolve`: a resolved alert of the key, then the key's incident resolved if it is open.
   * The same event sent again is recorded once.
   */
  async pagerDuty(event: PagerDutyEvent, principal: Principal): Promise<PagerDutyAccepted> {
    // The routing key is a credential: nothing derived from it is kept or answered.
    const content = withoutRoutingKey(event);
    const deliveryId = contentDigest(content);
    const key = event.dedup_key ?? deliveryId.slice(0, GENERATED_KEY_CHARS);
    const dedupKey = pagerDutyDedupKey(key);
    switch (event.event_action) {
      case 'trigger': {
        const outcome = await this.alerts.receiveDelivery(normalizePagerDutyTrigger(event, dedupKey), principal, deliveryId);
        return { status: 'success', message: EVENT_PROCESSED, dedup_key: key, incidentId: incidentOf(outcome) ?? null };
      }
      case 'acknowledge':
        return pagerDutyAnswer(key, await this.incidents.acknowledge(dedupKey, principal));
      case 'resolve': {
        const resolved = await this.resolve(normalizePagerDutyResolve(event, dedupKey), principal, deliveryId, undefined);
        return pagerDutyAnswer(key, resolved);
      }
    }
  }

  /** Opsgenie's create: a firing alert on the incident of its alias (else its message). */
  async opsgenieCreate(body: OpsgenieCreateAlert, principal: Principal): Promise<OpsgenieAccepted> {
    const started = Date.now();
    const outcome = await this.alerts.receiveDelivery(normalizeOpsgenieAlert(body), principal, contentDigest(body));
    return { result: WILL_BE_PROCESSED, took: seconds(started), requestId: randomUUID(), incidentId: incidentOf(outcome) ?? null };
  }

  /** Opsgenie's close: a resolved alert of the alias, then its incident resolved if it is open. */
  async opsgenieClose(alias: string, body: OpsgenieCloseAlert, principal: Principal): Promise<OpsgenieAccepted> {
    const started = Date.now();
    const resolved = await this.resolve(normalizeOpsgenieClose(alias, body), principal, contentDigest({ close: alias, ...body }), body.note);
    return {
      result: WILL_BE_PROCESSED,
      took: seconds(started),
      requestId: randomUUID(),
      incidentId: resolved.incidentId,
      ...(resolved.done ? {} : { reason: resolved.reason }),
    };
  }

  /**
   * Each event (of a batch, at most `MAX_ALERTS_PER_DELIVERY`) as an alert; an event is
   * known by its source and id, so a redelivered event is recorded once.
   */
  async cloudEvents(events: readonly CloudEvent[], principal: Principal): Promise<AlertBatchAccepted> {
    const { alerts: read, notes } = alertsOfDelivery(events);
    const outcomes = await Promise.all(read.map((event) => this.alerts.receiveDelivery(normalizeCloudEvent(event, notes), principal, cloudEventDeliveryId(event))));
    const incidentIds = [...new Set(outcomes.flatMap((outcome) => (outcome.status === 'recorded' ? [outcome.incidentId] : [])))];
    const count = (status: IngestOutcome['status']) => outcomes.filter((outcome) => outcome.status === status).length;
    return { incidentId: incidentIds[0] ?? null, incidentIds, recorded: count('recorded'), queued: count('queued'), ignored: count('ignored') };
  }

  /**
   * A resolved alert on the key's incident (on its timeline, like any resolved alert), then
   * the incident resolved if still open: the sender said the problem is over.
   */
  private async resolve(alert: Alert, principal: Principal, deliveryId: string, note: string | undefined): Promise<FollowUpOutcome> {
    const outcome = await this.alerts.receiveDelivery(alert, principal, deliveryId);
    if (outcome.status === 'ignored') return { done: false, incidentId: null, reason: 'no open incident for this key' };
    return this.incidents.resolve(alert.dedupKey, principal, note, incidentOf(outcome));
  }
}

function pagerDutyAnswer(key: string, outcome: FollowUpOutcome): PagerDutyAccepted {
  return {
    status: 'success',
    message: outcome.done ? EVENT_PROCESSED : `${EVENT_PROCESSED}; nothing to do: ${outcome.reason}`,
    dedup_key: key,
    incidentId: outcome.incidentId,
  };
}

const seconds = (since: number) => Math.round(Date.now() - since) / 1000;

