import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { TRUNCATION_NOTE } from '../../model/alert-bounds';
import { utf8Bytes } from '../../model/text';
import { expectWithinAlertLimits, INHERITED_NAMES } from '../../../test/alert-arbitraries';
import { pagerDutyTrigger } from '../../../test/fixtures/alert-sources/arbitraries';
import {
  normalizePagerDutyResolve,
  normalizePagerDutyTrigger,
  pagerDutyDedupKey,
  PagerDutyEventSchema,
  withoutRoutingKey,
  type PagerDutyFollowUp,
  type PagerDutyTrigger,
} from './pagerduty';

/** PagerDuty's own documented example events (test/fixtures/alert-sources). */
const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/alert-sources', `pagerduty-${name}.json`), 'utf8'));

function issuesOf(body: unknown): string[] {
  const parsed = PagerDutyEventSchema.safeParse(body);
  if (parsed.success) throw new Error('expected the event to be refused');
  return parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('PagerDuty Events API v2', () => {
  it('reads the documented trigger example: summary, severity, PD-CEF labels, custom details, links', () => {
    const event = PagerDutyEventSchema.parse({ ...fixture('trigger'), routing_key: 'secret-routing-key-0123456789' }) as PagerDutyTrigger;
    const alert = normalizePagerDutyTrigger(event, pagerDutyDedupKey(event.dedup_key!));
    expect(alert).toMatchObject({
      source: 'pagerduty',
      status: 'firing',
      summary: 'Example alert on host1.example.com',
      severity: 'SEV4',
      dedupKey: 'pagerduty:samplekeyhere',
      startsAt: '2015-07-17T08:42:58.315Z',
      externalUrl: 'https://monitoring.example.com',
      labels: {
        source: 'monitoringtool:cloudvendor:central-region-dc-01:852559987:cluster/api-stats-prod-003',
        severity: 'info',
        component: 'postgres',
        group: 'prod-datapipe',
        class: 'deploy',
      },
      annotations: { 'ping time': '1500ms', 'load avg': '0.75', client: 'Sample Monitoring Service' },
      links: [
        { kind: 'link', url: 'https://example.com/', text: 'Link text' },
        { kind: 'image', url: 'https://www.pagerduty.com/wp-content/uploads/2016/05/pagerduty-logo-green.png', text: 'Example text' },
        { kind: 'external', url: 'https://monitoring.example.com', text: 'Sample Monitoring Service' },
      ],
    });
    // The routing key is a credential: it is nowhere on the alert.
    expect(JSON.stringify(alert)).not.toContain('secret-routing-key');
  });

  it('maps each PagerDuty severity through the usual severity words', () => {
    const severities = { critical: 'SEV1', error: 'SEV2', warning: 'SEV3', info: 'SEV4' } as const;
    for (const [word, sev] of Object.entries(severities)) {
      const event = PagerDutyEventSchema.parse({ ...fixture('trigger'), payload: { ...fixture('trigger').payload, severity: word } }) as PagerDutyTrigger;
      expect(normalizePagerDutyTrigger(event, 'pagerduty:k').severity).toBe(sev);
    }
  });

  it('reads the documented acknowledge and resolve examples; a resolve is a resolved alert of the key', () => {
    expect(PagerDutyEventSchema.parse(fixture('acknowledge'))).toMatchObject({ event_action: 'acknowledge', dedup_key: 'dedupkeyhere' });
    const resolve = PagerDutyEventSchema.parse(fixture('resolve')) as PagerDutyFollowUp;
    expect(normalizePagerDutyResolve(resolve, pagerDutyDedupKey(resolve.dedup_key))).toMatchObject({
      status: 'resolved',
      dedupKey: 'pagerduty:dedupkeyhere',
    });
  });

  it('names the field of a malformed event', () => {
    expect(issuesOf({ routing_key: 'k' })).toEqual(['event_action: event_action is required']);
    expect(issuesOf({ routing_key: 'k', event_action: 'page' })).toEqual(['event_action: event_action must be one of trigger, acknowledge, resolve']);
    expect(issuesOf({ routing_key: 'k', event_action: 'acknowledge' })).toEqual(['dedup_key: dedup_key is required for an acknowledge event']);
    expect(issuesOf({ routing_key: 'k', event_action: 'trigger' })).toEqual(['payload: payload is required for a trigger event']);
    expect(issuesOf({ event_action: 'resolve', dedup_key: 'k' })).toEqual(['routing_key: routing_key is required']);
    const payload = { summary: 's', source: 'h', severity: 'fatal', timestamp: 'yesterday' };
    expect(issuesOf({ routing_key: 'k', event_action: 'trigger', payload })).toEqual([
      'payload.severity: payload.severity must be one of "critical", "error", "warning", "info"',
      'payload.timestamp: payload.timestamp must be an ISO 8601 date-time such as 2015-07-17T08:42:58.315+0000',
    ]);
    expect(issuesOf({ ...fixture('resolve'), dedup_key: 'k'.repeat(256) })).toEqual(['dedup_key: dedup_key must be at most 255 characters']);
    expect(issuesOf('not an event')).toEqual([': the body must be a PagerDuty event (a JSON object)']);
  });

  it('leaves the routing key out of what keys and delivery ids are derived from', () => {
    const event = PagerDutyEventSchema.parse(fixture('trigger'));
    expect(withoutRoutingKey(event)).not.toHaveProperty('routing_key');
    expect(withoutRoutingKey(event)).toMatchObject({ event_action: 'trigger', dedup_key: 'samplekeyhere' });
  });

  it('cuts custom details of any size and keeps odd keys as plain keys, never refusing the event', () => {
    fc.assert(
      fc.property(pagerDutyTrigger(), (body) => {
        const parsed = PagerDutyEventSchema.safeParse(body);
        if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues.slice(0, 3)));
        const event = parsed.data as PagerDutyTrigger;
        const alert = normalizePagerDutyTrigger(event, pagerDutyDedupKey(event.dedup_key ?? 'generated'));
        expectWithinAlertLimits(alert);
        expect(JSON.stringify(alert)).not.toContain(event.routing_key);
      }),
      { numRuns: 30 },
    );
  });

  it('keeps a __proto__ custom detail as an annotation, not a prototype', () => {
    const body = JSON.parse(`{"routing_key":"k","event_action":"trigger","payload":{"summary":"s","source":"h","severity":"error","custom_details":{"__proto__":{"polluted":true},"constructor":"c"}}}`);
    const alert = normalizePagerDutyTrigger(PagerDutyEventSchema.parse(body) as PagerDutyTrigger, 'pagerduty:k');
    expect(Object.getPrototypeOf(alert.annotations)).toBe(Object.prototype);
    expect(Object.hasOwn(alert.annotations, '__proto__')).toBe(true);
    expect(alert.annotations.constructor).toBe('c');
    expect(INHERITED_NAMES).toContain('__proto__');
  });

  it('gives the same dedup key for the same long key every time, within the limits', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 255, unit: 'binary' }), (key) => {
        const dedupKey = pagerDutyDedupKey(key);
        expect(utf8Bytes(dedupKey)).toBeLessThanOrEqual(512);
        expect(pagerDutyDedupKey(key)).toBe(dedupKey);
      }),
    );
  });

  it('says what it cut from a summary over the limits', () => {
    const event = PagerDutyEventSchema.parse({ ...fixture('trigger'), payload: { ...fixture('trigger').payload, summary: '€'.repeat(3000) } }) as PagerDutyTrigger;
    const alert = normalizePagerDutyTrigger(event, 'pagerduty:k');
    expect(alert.annotations[TRUNCATION_NOTE]).toContain('summary cut');
  });
});
