import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { expectWithinAlertLimits } from '../../../test/alert-arbitraries';
import { cloudEvent } from '../../../test/fixtures/alert-sources/arbitraries';
import {
  cloudEventDedupKey,
  cloudEventDeliveryId,
  cloudEventFromBinary,
  CloudEventSchema,
  normalizeCloudEvent,
  parseCloudEvent,
  parseCloudEventBatch,
} from './cloudevents';

/** The CloudEvents spec's own examples (test/fixtures/alert-sources). */
const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/alert-sources', `cloudevents-${name}.json`), 'utf8'));

function issuesOf(body: unknown): string[] {
  const parsed = parseCloudEvent(body);
  if (parsed.success) throw new Error('expected the event to be refused');
  return parsed.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('CloudEvents', () => {
  it('reads the spec example in structured mode: labels from attributes and extensions, annotations from data', () => {
    const alert = normalizeCloudEvent(CloudEventSchema.parse(fixture('structured')));
    expect(alert).toMatchObject({
      source: 'cloudevents',
      status: 'firing',
      summary: 'com.example.someevent',
      dedupKey: 'cloudevents:%2Fmycontext:event:com.example.someevent:',
      startsAt: '2018-04-05T17:31:00Z',
      labels: { source: '/mycontext', type: 'com.example.someevent', comexampleextension1: 'value', comexampleothervalue: '5' },
      annotations: { event_id: 'C234-1234-1234', appinfoA: 'abc', appinfoB: '123', appinfoC: 'true' },
    });
    expect(alert.labels).not.toHaveProperty('subject');
  });

  it('reads the same example in binary mode into the same event', () => {
    const { headers, body } = fixture('binary');
    const read = cloudEventFromBinary(headers, body);
    if (!read.success) throw new Error(JSON.stringify(read.issues));
    const binary = normalizeCloudEvent(CloudEventSchema.parse(read.event));
    const structured = normalizeCloudEvent(CloudEventSchema.parse(fixture('structured')));
    expect(binary).toEqual(structured);
  });

  it('keeps non-JSON binary data as text, and says when JSON data is not JSON', () => {
    const { headers, body } = fixture('binary-xml');
    const read = cloudEventFromBinary(headers, body);
    if (!read.success) throw new Error(JSON.stringify(read.issues));
    expect(normalizeCloudEvent(CloudEventSchema.parse(read.event)).annotations.data).toBe('<much wow="xml"/>');
    expect(cloudEventFromBinary({ ...fixture('binary').headers }, '{oops')).toEqual({
      success: false,
      issues: [{ path: ['data'], message: 'the body is not valid JSON, as its content type application/json says it is' }],
    });
  });

  it('percent-decodes binary attribute headers, as the HTTP binding encodes them', () => {
    const read = cloudEventFromBinary({ ...fixture('binary').headers, 'ce-subject': 'caf%C3%A9 %22x%22' }, '');
    expect(read.success && read.event.subject).toBe('café "x"');
  });

  it('reads the spec batch example: binary data noted, not read', () => {
    const batch = parseCloudEventBatch(fixture('batch'));
    if (!batch.success) throw new Error(JSON.stringify(batch.issues));
    const alerts = batch.events.map((event) => normalizeCloudEvent(event));
    expect(parseCloudEventBatch([fixture('structured'), { ...fixture('structured'), type: 7 }])).toEqual({
      success: false,
      issues: [{ path: [1, 'type'], message: 'type must be a non-empty string' }],
    });
    expect(alerts.map((alert) => alert.labels.source)).toEqual(['/mycontext/4', '/mycontext/9']);
    expect(alerts[0].annotations.data).toContain('binary data');
  });

  it('takes summary, severity, status, dedup key and service from data, or the extensions', () => {
    const event = CloudEventSchema.parse({
      ...fixture('structured'),
      subject: 'db-1',
      severity: 'warning',
      data: { message: 'replication lag 40 s', severity: 'critical', dedupKey: 'db-lag', service: 'db', status: 'resolved', labels: { team: 'data' } },
    });
    expect(normalizeCloudEvent(event)).toMatchObject({
      summary: 'replication lag 40 s',
      severity: 'SEV1',
      status: 'resolved',
      service: 'db',
      dedupKey: 'cloudevents:%2Fmycontext:key:db-lag',
      labels: { subject: 'db-1', team: 'data', severity: 'warning' },
    });
    const byExtension = CloudEventSchema.parse({ ...fixture('structured'), subject: 'db-1', severity: 'error', dedupkey: 'ext-key' });
    expect(normalizeCloudEvent(byExtension)).toMatchObject({ summary: 'db-1', severity: 'SEV2', dedupKey: 'cloudevents:%2Fmycontext:key:ext-key' });
    expect(cloudEventDeliveryId(byExtension)).toBe('/mycontext\nC234-1234-1234');
  });

  it('links the data schema and an http(s) source', () => {
    const event = CloudEventSchema.parse({ ...fixture('structured'), source: 'https://github.com/cloudevents/spec/pull', dataschema: 'https://example.com/schema.json' });
    expect(normalizeCloudEvent(event).links).toEqual([
      { kind: 'link', url: 'https://example.com/schema.json', text: 'data schema' },
      { kind: 'external', url: 'https://github.com/cloudevents/spec/pull' },
    ]);
  });

  it('names the attribute of a malformed event', () => {
    const noVersion = { ...fixture('structured'), specversion: undefined };
    expect(issuesOf(noVersion)).toEqual(['specversion: specversion is required']);
    expect(issuesOf({ ...fixture('structured'), specversion: '0.3' })).toEqual(['specversion: specversion must be "1.0", the CloudEvents version Firebreak reads']);
    expect(issuesOf({ ...fixture('structured'), id: '' })).toEqual(['id: id must not be empty']);
    expect(issuesOf({ ...fixture('structured'), time: 'noon' })).toEqual(['time: time must be an RFC 3339 date-time']);
    expect(issuesOf({ ...fixture('structured'), Bad_Name: 'x' })).toEqual(['Bad_Name: attribute name "Bad_Name" must be lower-case letters a-z and digits only']);
    expect(issuesOf({ ...fixture('structured'), nested: { a: 1 } })).toEqual(['nested: an extension attribute must be a string, number or boolean']);
    expect(issuesOf(JSON.parse('{"specversion":"1.0","id":"1","source":"/s","type":"t","__proto__":"x"}'))).toEqual([
      '__proto__: attribute name "__proto__" must be lower-case letters a-z and digits only',
    ]);
  });

  it('reads events of any size into alerts within the limits, with stable dedup keys', () => {
    fc.assert(
      fc.property(cloudEvent(), (body) => {
        const parsed = parseCloudEvent(body);
        if (!parsed.success) throw new Error(JSON.stringify(parsed.issues.slice(0, 3)));
        const alert = normalizeCloudEvent(parsed.event);
        expectWithinAlertLimits(alert);
        expect(cloudEventDedupKey(parsed.event)).toBe(alert.dedupKey);
      }),
      { numRuns: 30 },
    );
  });
});
