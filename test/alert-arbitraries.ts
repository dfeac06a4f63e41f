/**
 * fast-check generators of valid alert payloads from every source, at and near Firebreak's
 * alert limits: multibyte text, long group keys, label values such as `constructor`, empty
 * strings where a source allows them, and (in vendor payloads, which Firebreak cleans rather
 * than refuses) control and bidirectional characters.
 */
import fc from 'fast-check';
import { ALERT_LIMITS, GENERIC_ALERT_MAX_BYTES, TRUNCATION_NOTE } from '../core/model/alert-bounds';
import type { Alert } from '../core/model/alert';
import { SEVERITIES } from '../core/model/incident-model';
import { hasLineForbidden, jsonBytes, utf8Bytes } from '../core/model/text';
import { cloudWatchAlarm, notification } from './fixtures/sns/messages';

/** Characters of every UTF-8 length, so byte limits and character counts disagree. */
const UNITS = ['a', 'Z9', 'é', '€', '中文', '😀', 'ok ', '-_.:/'] as const;
/** Label values that name what every object inherits. */
export const INHERITED_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'] as const;
/** What a vendor payload may carry and Firebreak cleans: controls, bidirectional overrides, newlines. */
const DIRTY = ['\u0000', '\u0007', '\u0085', '\u202E', '\u2066', '\u200F', '\n', '\t', '\u2028'] as const;

/** One-line text of at most `maxBytes`, often at or near the limit. */
export function lineText(maxBytes: number, { min = 1 }: { min?: number } = {}): fc.Arbitrary<string> {
  return fc
    .record({
      unit: fc.constantFrom(...UNITS),
      fill: fc.constantFrom(0, 0.25, 0.9, 0.99, 1),
      head: fc.string({ minLength: 0, maxLength: 8 }).filter((head) => !hasLineForbidden(head)),
    })
    .map(({ unit, fill, head }) => {
      const room = Math.max(0, Math.floor(maxBytes * fill) - utf8Bytes(head));
      let text = head + unit.repeat(Math.floor(room / utf8Bytes(unit)));
      while (utf8Bytes(text) > maxBytes) text = text.slice(0, -1);
      return text.length >= min ? text : 'x'.repeat(min);
    })
    .filter((text) => text.length >= min && utf8Bytes(text) <= maxBytes && !hasLineForbidden(text));
}

/** Free text of at most `maxBytes`, with newlines and tabs. */
export function freeText(maxBytes: number): fc.Arbitrary<string> {
  return lineText(Math.max(1, maxBytes - 4), { min: 0 }).map((text) => {
    const characters = Array.from(text);
    return characters.length > 4 ? `${characters.slice(0, 2).join('')}\n\t${characters.slice(2).join('')}` : text;
  });
}

/** A vendor label value: anything, including what Firebreak must clean or shorten. */
function vendorText(maxBytes: number): fc.Arbitrary<string> {
  return fc.oneof(
    lineText(maxBytes, { min: 0 }),
    fc.constantFrom(...INHERITED_NAMES, ''),
    fc.tuple(lineText(Math.min(maxBytes, 200), { min: 0 }), fc.constantFrom(...DIRTY)).map(([text, dirty]) => `${dirty}${text}${dirty}`),
  );
}

/** Drops entries from the end of `map` until it fits `maxEntries` and `maxJsonBytes`. */
function fitMap(map: Record<string, string>, maxEntries: number, maxJsonBytes: number): Record<string, string> {
  const entries = Object.entries(map).slice(0, maxEntries);
  while (entries.length > 0 && jsonBytes(Object.fromEntries(entries)) > maxJsonBytes) entries.pop();
  return Object.fromEntries(entries);
}

/** A label or annotation map near its limits; names include the inherited ones. */
function map(
  entries: number,
  nameBytes: number,
  value: fc.Arbitrary<string>,
  totalBytes: number,
): fc.Arbitrary<Record<string, string>> {
  const name = fc.oneof(fc.constantFrom(...INHERITED_NAMES, 'severity', 'service'), lineText(nameBytes).map((text) => text.replace(/\s/g, '_')));
  return fc
    .array(fc.tuple(name, value), { maxLength: entries })
    .map((pairs) => fitMap(Object.fromEntries(pairs), entries, totalBytes));
}

/** A valid body for `POST /v1/alerts`, up to the whole-alert limit. */
export function genericAlertBody(): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record(
      {
        source: lineText(ALERT_LIMITS.sourceBytes),
        summary: lineText(ALERT_LIMITS.summaryBytes),
        status: fc.constantFrom('firing', 'resolved'),
        severity: fc.constantFrom(...SEVERITIES, 'critical', 'warning', 'info'),
        dedupKey: lineText(ALERT_LIMITS.dedupKeyBytes),
        service: lineText(ALERT_LIMITS.serviceBytes),
        labels: map(ALERT_LIMITS.labelEntries, ALERT_LIMITS.labelNameBytes, fc.oneof(lineText(ALERT_LIMITS.labelValueBytes, { min: 0 }), fc.constantFrom(...INHERITED_NAMES)), ALERT_LIMITS.labelsBytes),
        annotations: map(ALERT_LIMITS.annotationEntries, ALERT_LIMITS.annotationNameBytes, freeText(ALERT_LIMITS.annotationValueBytes), ALERT_LIMITS.annotationsBytes),
      },
      { requiredKeys: ['source', 'summary', 'status'] },
    )
    .filter((body) => jsonBytes(body) <= GENERIC_ALERT_MAX_BYTES);
}

/** One alert of an Alertmanager or Grafana group. */
function labelledAlert(descriptionBytes: number) {
  return fc.record({
    status: fc.constantFrom('firing', 'resolved'),
    labels: map(80, 300, vendorText(2_000), 64 * 1024),
    annotations: fc.oneof(
      fc.constant(null),
      fc.record({ description: lineText(descriptionBytes, { min: 0 }), summary: vendorText(3_000) }, { requiredKeys: [] }),
    ),
    startsAt: fc.constantFrom('2026-11-21T06:21:31.416339706Z', '2026-11-21T06:21:31Z', '2026-11-21T07:21:31.5+02:00'),
    endsAt: fc.constant('0001-01-01T00:00:00Z'),
    generatorURL: fc.oneof(fc.constant(''), fc.constant('http://prometheus:9090/graph'), lineText(3_000).map((path) => `http://p/${path}`)),
    fingerprint: fc.oneof(fc.stringMatching(/^[0-9a-f]{16}$/), lineText(400)),
  });
}

export interface DeliveryShape {
  /** The most alerts in one delivery (past 200 some are left out, with a note). */
  maxAlerts: number;
  /** The longest description an alert carries. */
  descriptionBytes: number;
}

/** A valid Alertmanager webhook payload (version 4). */
export function alertmanagerPayload({ maxAlerts, descriptionBytes }: DeliveryShape): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({
    version: fc.constant('4'),
    groupKey: fc.oneof(lineText(4_000), vendorText(600).map((value) => `{}:{alertname="${value}"}`)),
    status: fc.constantFrom('firing', 'resolved'),
    receiver: fc.constant('firebreak'),
    groupLabels: map(10, 100, vendorText(500), 8_192),
    commonLabels: fc.oneof(fc.constant(null), map(20, 100, vendorText(1_500), 16_384)),
    commonAnnotations: fc.oneof(fc.constant(null), map(10, 100, lineText(5_000, { min: 0 }), 32_768)),
    externalURL: fc.constant('http://alertmanager:9093'),
    alerts: fc.array(labelledAlert(descriptionBytes), { minLength: 1, maxLength: maxAlerts }),
  });
}

/** A valid Grafana webhook payload (version 1). */
export function grafanaPayload({ maxAlerts, descriptionBytes }: DeliveryShape): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    {
      version: fc.constant('1'),
      groupKey: fc.oneof(lineText(4_000), fc.constant('')),
      status: fc.constantFrom('firing', 'resolved'),
      orgId: fc.constant(1),
      commonLabels: fc.oneof(fc.constant(null), map(20, 100, vendorText(1_500), 16_384)),
      title: lineText(2_000),
      message: freeText(20_000),
      alerts: fc.array(
        labelledAlert(descriptionBytes).map((alert) => ({ ...alert, values: { A: 1.5 }, valueString: '[ var=A value=1.5 ]' })),
        { minLength: 1, maxLength: maxAlerts },
      ),
    },
    { requiredKeys: ['version', 'status', 'alerts'] },
  );
}

/** An SNS notification carrying a CloudWatch alarm at AWS's own limits and past them. */
export function snsAlarmNotification(): fc.Arbitrary<Record<string, string>> {
  return fc
    .record({
      state: fc.constantFrom('ALARM', 'OK') as fc.Arbitrary<'ALARM' | 'OK'>,
      name: lineText(1_000),
      description: fc.oneof(fc.constant(null), freeText(20_000)),
      reason: freeText(10_000),
      dimensions: fc.array(fc.record({ name: fc.oneof(vendorText(255), fc.constantFrom(...INHERITED_NAMES)), value: vendorText(1_024) }), { maxLength: 40 }),
      arn: lineText(2_000),
    })
    .map(({ state, name, description, reason, dimensions, arn }) => {
      const alarm = cloudWatchAlarm(state) as Record<string, any>;
      alarm.AlarmName = name;
      alarm.AlarmDescription = description;
      alarm.NewStateReason = reason;
      alarm.AlarmArn = `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${arn}`;
      alarm.Trigger = { ...alarm.Trigger, Dimensions: dimensions };
      return notification(JSON.stringify(alarm), `${state}: "${name.slice(0, 50)}"`);
    });
}

/** Every bound an alert that reaches a workflow must hold, checked with jest's `expect`. */
export function expectWithinAlertLimits(alert: Alert): void {
  const { [TRUNCATION_NOTE]: note, ...annotations } = alert.annotations;
  const sizes = {
    source: utf8Bytes(alert.source) <= ALERT_LIMITS.sourceBytes,
    summary: utf8Bytes(alert.summary) <= ALERT_LIMITS.summaryBytes,
    dedupKey: utf8Bytes(alert.dedupKey) <= ALERT_LIMITS.dedupKeyBytes,
    service: alert.service === undefined || utf8Bytes(alert.service) <= ALERT_LIMITS.serviceBytes,
    fingerprint: alert.fingerprint === undefined || utf8Bytes(alert.fingerprint) <= ALERT_LIMITS.fingerprintBytes,
    labels: Object.keys(alert.labels).length <= ALERT_LIMITS.labelEntries && jsonBytes(alert.labels) <= ALERT_LIMITS.labelsBytes,
    labelValues: Object.entries(alert.labels).every(
      ([name, value]) => utf8Bytes(name) <= ALERT_LIMITS.labelNameBytes && utf8Bytes(value) <= ALERT_LIMITS.labelValueBytes,
    ),
    annotations:
      Object.keys(annotations).length <= ALERT_LIMITS.annotationEntries && jsonBytes(annotations) <= ALERT_LIMITS.annotationsBytes,
    note: note === undefined || utf8Bytes(note) <= 1_024,
    whole: jsonBytes(alert) <= 40 * 1024,
    oneLine: [alert.source, alert.summary, alert.dedupKey, alert.service ?? '', ...Object.keys(alert.labels), ...Object.values(alert.labels)].every(
      (text) => !hasLineForbidden(text),
    ),
    severity: alert.severity === undefined || (SEVERITIES as readonly string[]).includes(alert.severity),
    ownMaps: Object.getPrototypeOf(alert.labels) === Object.prototype && Object.getPrototypeOf(alert.annotations) === Object.prototype,
  };
  if (!Object.values(sizes).every(Boolean)) {
    throw new Error(`alert outside the limits: ${JSON.stringify(Object.entries(sizes).filter(([, ok]) => !ok).map(([name]) => name))}`);
  }
}
