/**
 * Every alert source, driven with valid payloads at and past Firebreak's alert limits:
 * the normalizer accepts each one and every alert it makes is within the limits a
 * workflow can hold.
 */
import fc from 'fast-check';
import { GenericAlertSchema, normalizeGenericAlert } from '../alert';
import { MAX_ALERTS_PER_DELIVERY, TRUNCATION_NOTE } from '../../model/alert-bounds';
import { jsonBytes } from '../../model/text';
import {
  alertmanagerPayload,
  expectWithinAlertLimits,
  genericAlertBody,
  grafanaPayload,
  snsAlarmNotification,
} from '../../../test/alert-arbitraries';
import { AlertmanagerWebhookSchema, normalizeAlertmanager } from './alertmanager';
import { GrafanaWebhookSchema, normalizeGrafana } from './grafana';
import { normalizeCloudWatchAlarm, parseCloudWatchAlarm, SnsEnvelopeSchema } from './sns';
import { cloudEvent, opsgenieAlert, pagerDutyTrigger } from '../../../test/fixtures/alert-sources/arbitraries';
import { normalizeCloudEvent, parseCloudEvent } from './cloudevents';
import { normalizeOpsgenieAlert, OpsgenieCreateAlertSchema } from './opsgenie';
import { normalizePagerDutyTrigger, pagerDutyDedupKey, PagerDutyEventSchema, type PagerDutyTrigger } from './pagerduty';

const RUNS = { numRuns: 25 };
/** Deliveries the size real senders make, past the per-delivery alert limit now and then. */
const SHAPE = { maxAlerts: 12, descriptionBytes: 200_000 };

describe('every alert source at maximum size', () => {
  it('accepts generic alerts up to the whole-alert limit, and normalizes them unchanged and within bounds', () => {
    fc.assert(
      fc.property(genericAlertBody(), (body) => {
        const parsed = GenericAlertSchema.safeParse(body);
        if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues.slice(0, 3)));
        const alert = normalizeGenericAlert(parsed.data, parsed.data.dedupKey ?? 'hashed');
        expectWithinAlertLimits(alert);
        // A valid generic alert is already within the limits: nothing is cut.
        expect(alert.annotations[TRUNCATION_NOTE]).toBeUndefined();
      }),
      RUNS,
    );
  });

  it('reads Alertmanager deliveries of any size, cutting what is over the limits', () => {
    fc.assert(
      fc.property(alertmanagerPayload(SHAPE), (payload) => {
        const parsed = AlertmanagerWebhookSchema.safeParse(payload);
        if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues.slice(0, 3)));
        const alerts = normalizeAlertmanager(parsed.data);
        expect(alerts.length).toBe(Math.min(parsed.data.alerts.length, MAX_ALERTS_PER_DELIVERY));
        for (const alert of alerts) expectWithinAlertLimits(alert);
        // The same group always lands on the same key, however long its group key.
        expect(new Set(alerts.map((alert) => alert.dedupKey)).size).toBe(1);
        expect(normalizeAlertmanager(parsed.data)[0].dedupKey).toBe(alerts[0].dedupKey);
      }),
      RUNS,
    );
  });

  it('reads Grafana deliveries of any size, cutting what is over the limits', () => {
    fc.assert(
      fc.property(grafanaPayload(SHAPE), (payload) => {
        const parsed = GrafanaWebhookSchema.safeParse(payload);
        if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues.slice(0, 3)));
        const alerts = normalizeGrafana(parsed.data);
        expect(alerts.length).toBe(Math.min(parsed.data.alerts.length, MAX_ALERTS_PER_DELIVERY));
        for (const alert of alerts) expectWithinAlertLimits(alert);
      }),
      RUNS,
    );
  });

  it('reads CloudWatch alarms over SNS with long names, descriptions and many dimensions', () => {
    fc.assert(
      fc.property(snsAlarmNotification(), (body) => {
        const envelope = SnsEnvelopeSchema.parse(body);
        if (envelope.Type !== 'Notification') throw new Error('expected a notification');
        const alarm = parseCloudWatchAlarm(envelope.Message);
        if (!alarm.success) throw new Error(JSON.stringify(alarm.error.issues.slice(0, 3)));
        const alert = normalizeCloudWatchAlarm(alarm.data, envelope);
        expect(alert).not.toBeNull();
        expectWithinAlertLimits(alert!);
      }),
      RUNS,
    );
  });

  it('reads PagerDuty trigger events with huge custom details, many links and long keys', () => {
    fc.assert(
      fc.property(pagerDutyTrigger(), (body) => {
        const parsed = PagerDutyEventSchema.safeParse(body);
        if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues.slice(0, 3)));
        const event = parsed.data as PagerDutyTrigger;
        expectWithinAlertLimits(normalizePagerDutyTrigger(event, pagerDutyDedupKey(event.dedup_key ?? 'generated')));
      }),
      RUNS,
    );
  });

  it('reads Opsgenie alerts past every Opsgenie length, cutting what is over the limits', () => {
    fc.assert(
      fc.property(opsgenieAlert(), (body) => {
        const parsed = OpsgenieCreateAlertSchema.safeParse(body);
        if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues.slice(0, 3)));
        expectWithinAlertLimits(normalizeOpsgenieAlert(parsed.data));
      }),
      RUNS,
    );
  });

  it('reads CloudEvents with many extensions and data of any size', () => {
    fc.assert(
      fc.property(cloudEvent(), (body) => {
        const parsed = parseCloudEvent(body);
        if (!parsed.success) throw new Error(JSON.stringify(parsed.issues.slice(0, 3)));
        expectWithinAlertLimits(normalizeCloudEvent(parsed.event));
      }),
      RUNS,
    );
  });

  it('cuts a delivery of more alerts than one delivery may carry, and says how many were left out', () => {
    fc.assert(
      fc.property(alertmanagerPayload({ maxAlerts: 3, descriptionBytes: 100 }), fc.integer({ min: 201, max: 400 }), (payload, count) => {
        const many = { ...payload, alerts: Array.from({ length: count }, (_, i) => ({ ...(payload.alerts as object[])[0], fingerprint: `fp${i}` })) };
        const alerts = normalizeAlertmanager(AlertmanagerWebhookSchema.parse(many));
        expect(alerts).toHaveLength(MAX_ALERTS_PER_DELIVERY);
        expect(alerts[0].annotations[TRUNCATION_NOTE]).toContain(`${count - MAX_ALERTS_PER_DELIVERY} more alerts of this delivery were not read`);
        expect(jsonBytes(alerts)).toBeLessThan(MAX_ALERTS_PER_DELIVERY * 40 * 1024);
      }),
      { numRuns: 3 },
    );
  });
});
