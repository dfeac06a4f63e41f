/**
 * Bounded input and bounded incidents, end to end: the largest valid alerts cannot brick an
 * incident, vendor deliveries too large to keep are cut rather than refused, oversize
 * bodies answer 413 and oversize fields 400, inherited names are never looked up, and
 * control characters never reach a title.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { GenericAlertSchema } from '../../../core/schemas/alert';
import { GENERIC_ALERT_MAX_BYTES, TRUNCATION_NOTE } from '../../../core/model/alert-bounds';
import { INCIDENT_LIMITS } from '../../../core/model/incident/bounds';
import { loadOperatorConfig } from '../../../core/schemas/operator-config';
import { hasLineForbidden, jsonBytes, utf8Bytes } from '../../../core/model/text';
import { alertmanagerPayload, genericAlertBody } from '../../../test/alert-arbitraries';
import { useTestFirebreak } from '../../../test/firebreak';
import { waitFor } from '../../../test/wait';
import { BODY_LIMITS } from '../src/app';

const fixture = () =>
  JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/alertmanager/alertmanager-0.25-webhook-1.json'), 'utf8'))
    .body as Record<string, any>;

/** Every incident pages level 1; a `severity` label of `page` maps to SEV1. */
const operator = loadOperatorConfig({
  routes: {
    file: 'test/routes',
    value: { routes: [], default: { impact: 'high', urgency: 'medium', escalationPolicy: 'ladder', severityMap: { page: 'SEV1' } } },
  },
  escalationPolicies: { file: 'test/policies', value: { ladder: { levels: [{ targets: ['alice'], timeoutSeconds: 300 }] } } },
  heartbeats: { file: 'test/heartbeats', value: [] },
});

/** The largest generic alert the API accepts: every map and text near its limit, in multibyte text. */
function largestGenericAlert(dedupKey: string, n: number) {
  const fill = (count: number, bytes: number) =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, `${n}-${'€'.repeat(Math.floor((bytes - 8) / 3))}`]));
  return {
    source: 'bounds-e2e',
    summary: `alert ${n} ${'€'.repeat(670)}`,
    status: 'firing',
    dedupKey,
    service: `checkout-${'s'.repeat(180)}`,
    labels: { ...fill(7, 1_030), severity: 'page' },
    annotations: fill(16, 1_000),
  };
}

describe('bounded input and bounded incidents', () => {
  const started = useTestFirebreak({ operator });
  const tag = () => started.firebreak.taskQueue;

  it('keeps an incident readable, actionable and paging through a storm of the largest valid alerts on one key', async () => {
    const { responder, viewer } = started;
    const dedupKey = `largest-${tag()}-${'€'.repeat(150)}`;
    const largest = largestGenericAlert(dedupKey, 0);
    expect(GenericAlertSchema.safeParse(largest).success).toBe(true);
    // Every field near its limit: about 26 KB (the whole-alert limit, 32 KiB, is a backstop).
    expect(jsonBytes(largest)).toBeGreaterThan(0.75 * GENERIC_ALERT_MAX_BYTES);

    const deliveries = 150;
    const ids = new Set<string>();
    for (let start = 0; start < deliveries; start += 10) {
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => responder.post('/v1/alerts', largestGenericAlert(dedupKey, start + i))),
      );
      for (const answer of answers) {
        expect(answer.status).toBe(202);
        if (answer.body.incidentId) ids.add(answer.body.incidentId);
      }
    }
    expect(ids.size).toBe(1);
    const [id] = ids;

    const incident = await waitFor('every alert on the incident', async () => {
      const answer = await viewer.get(`/v1/incidents/${id}`);
      return answer.status === 200 && answer.body.alertCount === deliveries ? answer : undefined;
    });
    expect(incident.text.length).toBeLessThan(1.5 * 1024 * 1024);
    expect(incident.body.severity).toBe('SEV1');
    expect(incident.body.escalation.pages).toBeGreaterThanOrEqual(1);
    expect(incident.body.alerts.length).toBeLessThanOrEqual(INCIDENT_LIMITS.alerts);
    expect(jsonBytes(incident.body.timeline)).toBeLessThanOrEqual(INCIDENT_LIMITS.timelineBytes);
    expect((incident.body.timelineStart ?? 0) + incident.body.timeline.length).toBeGreaterThan(deliveries);

    const ack = await responder.post(`/v1/incidents/${id}/actions`, { action: 'acknowledge' });
    expect(ack.status).toBe(200);
    expect(ack.body.status).toBe('acknowledged');
    const after = await responder.post('/v1/alerts', largestGenericAlert(dedupKey, deliveries));
    expect(after.status).toBe(202);
    const read = await viewer.get(`/v1/incidents/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.escalation.state).toBe('stopped');
    expect((await viewer.get(`/v1/incidents/${id}/timeline`)).status).toBe(200);
  });

  it('accepts an Alertmanager delivery with a 3 MB description, cutting the text with a note (never a 5xx Alertmanager would retry)', async () => {
    const body = fixture();
    body.groupKey = `{}:{alertname="Huge", tag="${tag()}"}`;
    body.alerts = [{ ...body.alerts[0], annotations: { description: 'x'.repeat(3 * 1024 * 1024) } }];
    const answer = await started.responder.post('/v1/alerts/alertmanager', body);
    expect(answer.status).toBe(202);
    expect(answer.body.recorded).toBe(1);
    const incident = (await started.viewer.get(`/v1/incidents/${answer.body.incidentId}`)).body;
    const [alert] = incident.alerts;
    expect(utf8Bytes(alert.annotations.description)).toBeLessThanOrEqual(1_024);
    expect(alert.annotations.description.endsWith('…')).toBe(true);
    expect(alert.annotations[TRUNCATION_NOTE]).toMatch(/cut to/);
    expect(utf8Bytes(incident.title)).toBeLessThanOrEqual(2_048);
  });

  it('answers 413 naming the limit for a body over its route\'s limit, and 400 naming the field for a field over its own', async () => {
    const generic = await started.responder.post('/v1/alerts', {
      source: 's',
      summary: 'x',
      status: 'firing',
      annotations: { padding: 'x'.repeat(BODY_LIMITS.genericAlert) },
    });
    expect(generic.status).toBe(413);
    expect(generic.body).toMatchObject({ statusCode: 413, limit: BODY_LIMITS.genericAlert });
    expect(generic.body.message).toContain(String(BODY_LIMITS.genericAlert));

    const vendor = await started.responder.post('/v1/alerts/alertmanager', { ...fixture(), padding: 'x'.repeat(BODY_LIMITS.vendorAlerts) });
    expect(vendor.status).toBe(413);
    expect(vendor.body.limit).toBe(BODY_LIMITS.vendorAlerts);

    const field = await started.responder.post('/v1/alerts', {
      source: 's',
      summary: 'x',
      status: 'firing',
      annotations: { description: '€'.repeat(2_731) },
    });
    expect(field.status).toBe(400);
    expect(field.body.issues).toEqual([expect.objectContaining({ path: 'annotations.description', message: 'at most 8192 bytes (UTF-8)' })]);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'opens an incident for a severity label of %s, through Alertmanager and the generic route',
    async (word) => {
      const body = fixture();
      body.groupKey = `{}:{alertname="Odd", word="${word}", tag="${tag()}"}`;
      body.alerts = [{ ...body.alerts[0], labels: { ...body.alerts[0].labels, severity: word } }];
      body.commonLabels = { ...body.commonLabels, severity: word };
      const viaAlertmanager = await started.responder.post('/v1/alerts/alertmanager', body);
      expect(viaAlertmanager.status).toBe(202);
      const generic = await started.responder.post('/v1/alerts', {
        source: 'odd',
        summary: `severity ${word}`,
        status: 'firing',
        dedupKey: `odd-${word}-${tag()}`,
        labels: { severity: word, [word]: word },
      });
      expect(generic.status).toBe(202);
      for (const id of [viaAlertmanager.body.incidentId, generic.body.incidentId]) {
        const incident = await started.viewer.get(`/v1/incidents/${id}`);
        expect(incident.status).toBe(200);
        expect(incident.body.severity).toBe('SEV3');
      }
    },
  );

  it('refuses control and bidirectional characters in identifiers and titles, naming the field', async () => {
    const { responder } = started;
    const cases: Array<[string, unknown, string]> = [
      ['/v1/alerts', { source: 'cron\u202Ejob', summary: 'x', status: 'firing' }, 'source'],
      ['/v1/alerts', { source: 's', summary: 'x\u0000', status: 'firing' }, 'summary'],
      ['/v1/alerts', { source: 's', summary: 'x', status: 'firing', service: 'a\u2066b' }, 'service'],
      ['/v1/alerts', { source: 's', summary: 'x', status: 'firing', dedupKey: 'k\u0085' }, 'dedupKey'],
      ['/v1/incidents', { title: 'Checkout\u202E down', severity: 'SEV2' }, 'title'],
      ['/v1/incidents', { title: 'Checkout down', severity: 'SEV2', service: 'check\nout' }, 'service'],
    ];
    for (const [path, body, field] of cases) {
      const answer = await responder.post(path, body);
      expect([path, field, answer.status]).toEqual([path, field, 400]);
      expect(answer.body.issues[0]).toMatchObject({ path: field, message: expect.stringMatching(/control/) });
    }
    const declared = await responder.post('/v1/incidents', { title: 'Bounds check', severity: 'SEV4' });
    const assign = await responder.post(`/v1/incidents/${declared.body.id}/actions`, { action: 'assign-role', role: 'scribe', assignee: 'eve\u202E' });
    expect(assign.status).toBe(400);
    expect(assign.text).toContain('assignee');
    // Free text keeps its newlines.
    const note = await responder.post(`/v1/incidents/${declared.body.id}/actions`, { action: 'add-note', text: 'line 1\n\tline 2' });
    expect(note.status).toBe(200);
  });

  it('cleans control characters out of a vendor alert\'s title rather than refusing the page', async () => {
    const body = fixture();
    body.groupKey = `{}:{alertname="Dirty", tag="${tag()}"}`;
    body.alerts = [{ ...body.alerts[0], annotations: { summary: 'disk\nfull \u202Eon db-1\u0000' } }];
    const answer = await started.responder.post('/v1/alerts/alertmanager', body);
    expect(answer.status).toBe(202);
    const incident = (await started.viewer.get(`/v1/incidents/${answer.body.incidentId}`)).body;
    expect(incident.title).toBe('disk full \uFFFDon db-1\uFFFD');
    expect(hasLineForbidden(incident.title)).toBe(false);
  });

  it('opens an incident for generated maximum-size generic and Alertmanager alerts (property, through the API)', async () => {
    const { responder, viewer } = started;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(genericAlertBody(), async (generated) => {
        const body = { ...generated, status: 'firing', dedupKey: `prop-${tag()}-${run++}` };
        const answer = await responder.post('/v1/alerts', body);
        expect(answer.status).toBe(202);
        // Queued in a storm, it has no id yet; recorded, its incident is readable.
        if (answer.body.status === 'recorded') expect((await viewer.get(`/v1/incidents/${answer.body.incidentId}`)).status).toBe(200);
        else expect(answer.body.status).toBe('queued');
      }),
      { numRuns: 10 },
    );
    await fc.assert(
      fc.asyncProperty(alertmanagerPayload({ maxAlerts: 3, descriptionBytes: 100_000 }), async (generated) => {
        const alerts = (generated.alerts as Array<Record<string, unknown>>).map((alert) => ({ ...alert, status: 'firing' }));
        const body = { ...generated, status: 'firing', groupKey: `${String(generated.groupKey)}/${tag()}/${run++}`, alerts };
        const answer = await responder.post('/v1/alerts/alertmanager', body);
        expect(answer.status).toBe(202);
        expect(answer.body.recorded + answer.body.queued).toBe(alerts.length);
        for (const id of answer.body.incidentIds as string[]) expect((await viewer.get(`/v1/incidents/${id}`)).status).toBe(200);
      }),
      { numRuns: 10 },
    );
  });
});
