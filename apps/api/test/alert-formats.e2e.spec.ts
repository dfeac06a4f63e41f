/**
 * PagerDuty Events v2, Opsgenie and CloudEvents through the real API and a real Temporal
 * server, with the vendors' own documented example payloads (test/fixtures/alert-sources).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_KEYS, useTestFirebreak } from '../../../test/firebreak';
import { testOperatorConfig } from '../../../test/operator';
import { waitFor } from '../../../test/wait';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/alert-sources', `${name}.json`), 'utf8'));

describe('alert formats end to end', () => {
  const started = useTestFirebreak({ operator: testOperatorConfig() });
  const tag = () => started.firebreak.taskQueue;
  const incident = async (id: string) => (await started.viewer.get(`/v1/incidents/${id}`)).body;

  describe('PagerDuty Events API v2', () => {
    const send = (event: object) => started.firebreak.http.post('/v1/alerts/pagerduty', event);
    const trigger = (dedupKey: string) => ({ ...fixture('pagerduty-trigger'), routing_key: TEST_KEYS.responder, dedup_key: dedupKey });

    it('opens an incident from the documented trigger, once for the same event twice, without the key anywhere', async () => {
      const event = trigger(`pd-${tag()}`);
      const first = await send(event);
      expect(first.status).toBe(202);
      expect(first.body).toEqual({ status: 'success', message: 'Event processed', dedup_key: event.dedup_key, incidentId: expect.any(String) });
      const again = await send(event);
      expect(again.body.incidentId).toBe(first.body.incidentId);

      const opened = await incident(first.body.incidentId);
      expect(opened).toMatchObject({ alertCount: 1, severity: 'SEV4', title: 'Example alert on host1.example.com' });
      expect(opened.alerts[0]).toMatchObject({
        source: 'pagerduty',
        labels: expect.objectContaining({ component: 'postgres', group: 'prod-datapipe', class: 'deploy' }),
        annotations: expect.objectContaining({ 'ping time': '1500ms' }),
      });
      expect(opened.alerts[0].links).toEqual(expect.arrayContaining([{ kind: 'link', url: 'https://example.com/', text: 'Link text' }]));
      const everything = JSON.stringify(opened) + (await started.viewer.get(`/v1/incidents/${first.body.incidentId}/timeline`)).text;
      expect(everything).not.toContain(TEST_KEYS.responder);
    });

    it('derives the same dedup key for a retried trigger without one', async () => {
      const event = { ...trigger('unused'), dedup_key: undefined, payload: { ...fixture('pagerduty-trigger').payload, source: `host-${tag()}` } };
      const first = await send(event);
      const retried = await send(event);
      expect(first.body.dedup_key).toMatch(/^[0-9a-f]{32}$/);
      expect(retried.body).toEqual(first.body);
      expect((await incident(first.body.incidentId)).alertCount).toBe(1);
    });

    it('acknowledges and resolves the incident of the dedup key, as the key\'s name', async () => {
      const dedupKey = `pd-ack-${tag()}`;
      const opened = (await send(trigger(dedupKey))).body.incidentId;
      const ack = await send({ ...fixture('pagerduty-acknowledge'), routing_key: TEST_KEYS.responder, dedup_key: dedupKey });
      expect(ack.status).toBe(202);
      expect(ack.body).toMatchObject({ status: 'success', message: 'Event processed', incidentId: opened });
      const acknowledged = await incident(opened);
      expect(acknowledged.status).toBe('acknowledged');
      expect(acknowledged.timeline).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'status', actor: 'alertmanager' })]));

      const twice = await send({ ...fixture('pagerduty-acknowledge'), routing_key: TEST_KEYS.responder, dedup_key: dedupKey });
      expect(twice.body.message).toBe('Event processed; nothing to do: the incident is already acknowledged');

      const resolve = await send({ ...fixture('pagerduty-resolve'), routing_key: TEST_KEYS.responder, dedup_key: dedupKey });
      expect(resolve.body).toMatchObject({ status: 'success', message: 'Event processed', incidentId: opened });
      await waitFor('the incident resolved', async () => (await incident(opened)).status === 'resolved');

      // The next trigger of the key opens a new incident, as PagerDuty opens a new alert.
      const next = await send(trigger(dedupKey));
      expect(next.body.incidentId).not.toBe(opened);
    });

    it('answers 202 with nothing to do for an unknown dedup key', async () => {
      const answer = await send({ ...fixture('pagerduty-resolve'), routing_key: TEST_KEYS.responder, dedup_key: `nobody-${tag()}` });
      expect(answer.status).toBe(202);
      expect(answer.body).toMatchObject({ status: 'success', incidentId: null, message: expect.stringContaining('nothing to do') });
      const ack = await send({ ...fixture('pagerduty-acknowledge'), routing_key: TEST_KEYS.responder, dedup_key: `nobody-${tag()}` });
      expect(ack.body).toMatchObject({ incidentId: null, message: 'Event processed; nothing to do: no open incident for this key' });
    });

    it('refuses a wrong or missing routing key, a viewer key, and a malformed event, PagerDuty\'s way', async () => {
      const wrong = await send({ ...trigger(`pd-wrong-${tag()}`), routing_key: 'not-a-firebreak-key-0123456789ab' });
      expect(wrong.status).toBe(400);
      expect(wrong.body).toEqual({ status: 'invalid event', message: 'routing_key: Invalid routing key', errors: ['routing_key: Invalid routing key'] });
      expect(wrong.text).not.toContain('not-a-firebreak-key');
      expect((await send({ ...trigger('x'), routing_key: undefined })).body.errors).toEqual(['routing_key: routing_key is required (a Firebreak API key)']);
      const viewer = await send({ ...trigger('x'), routing_key: TEST_KEYS.viewer });
      expect(viewer.status).toBe(403);
      expect(viewer.text).not.toContain(TEST_KEYS.viewer);

      const malformed = await send({ ...trigger('x'), payload: { summary: 'no severity', source: 'h' } });
      expect(malformed.status).toBe(400);
      expect(malformed.body).toEqual({
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: ['payload.severity is required'],
      });
      expect(malformed.text).not.toContain(TEST_KEYS.responder);
    });
  });

  describe('Opsgenie Alert API', () => {
    const genie = (path: string, body?: object, key: string = TEST_KEYS.responder) =>
      started.firebreak.http.post(path, body, { authorization: `GenieKey ${key}`, 'content-type': 'application/json' });

    it('opens an incident from the documented create request, once for the same request twice, and closes it by alias', async () => {
      const alias = `og-${tag()}`;
      const body = { ...fixture('opsgenie-create-alert'), alias };
      const first = await genie('/v1/alerts/opsgenie', body);
      expect(first.status).toBe(202);
      expect(first.body).toEqual({ result: 'Request will be processed', took: expect.any(Number), requestId: expect.any(String), incidentId: expect.any(String) });
      const again = await genie('/v1/alerts/opsgenie', body);
      expect(again.body.incidentId).toBe(first.body.incidentId);
      expect(await incident(first.body.incidentId)).toMatchObject({ alertCount: 1, severity: 'SEV1', title: 'An example alert message' });

      const close = await genie(`/v1/alerts/opsgenie/${encodeURIComponent(alias)}/close?identifierType=alias`, fixture('opsgenie-close-alert'));
      expect(close.status).toBe(202);
      expect(close.body).toMatchObject({ result: 'Request will be processed', incidentId: first.body.incidentId });
      await waitFor('the incident resolved', async () => (await incident(first.body.incidentId)).status === 'resolved');
      expect(JSON.stringify(await incident(first.body.incidentId))).not.toContain(TEST_KEYS.responder);
    });

    it('refuses other identifier types, a malformed body, and a wrong key, Opsgenie\'s way', async () => {
      const byId = await genie('/v1/alerts/opsgenie/656a4ba5/close?identifierType=id', {});
      expect(byId.status).toBe(400);
      expect(byId.body).toEqual({ message: expect.stringContaining('identifierType'), took: expect.any(Number), requestId: expect.any(String) });

      const noMessage = await genie('/v1/alerts/opsgenie', { alias: 'x', priority: 'P9' });
      expect(noMessage.status).toBe(422);
      expect(noMessage.body.errors).toEqual({ message: 'message is required', priority: 'priority must be one of "P1", "P2", "P3", "P4", "P5"' });
      expect(noMessage.body.message).toContain('message');

      const wrong = await genie('/v1/alerts/opsgenie', { message: 'm' }, 'wrong-genie-key-0123456789');
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({ message: 'unknown API key', took: expect.any(Number), requestId: expect.any(String) });
      expect((await genie('/v1/alerts/opsgenie', { message: 'm' }, TEST_KEYS.viewer)).status).toBe(403);
    });

    it('takes the GenieKey scheme on the Opsgenie routes only', async () => {
      const generic = await genie('/v1/alerts', { source: 'cron', summary: 's', status: 'firing' });
      expect(generic.status).toBe(401);
    });
  });

  describe('CloudEvents', () => {
    const post = (body: string, headers: Record<string, string>) => started.responder.post('/v1/alerts/cloudevents', body, headers);
    const structured = (event: object) => post(JSON.stringify(event), { 'content-type': 'application/cloudevents+json; charset=utf-8' });

    it('opens an incident from the spec\'s structured example, once for the same source and id twice', async () => {
      const event = { ...fixture('cloudevents-structured'), source: `/mycontext/${tag()}` };
      const first = await structured(event);
      expect(first.status).toBe(202);
      expect(first.body).toMatchObject({ recorded: 1, incidentId: expect.any(String) });
      const again = await structured(event);
      expect(again.body.incidentId).toBe(first.body.incidentId);
      const opened = await incident(first.body.incidentId);
      expect(opened).toMatchObject({ alertCount: 1, title: 'com.example.someevent' });
      expect(opened.alerts[0].labels).toMatchObject({ source: event.source, comexampleextension1: 'value' });
    });

    it('reads the spec\'s binary examples (JSON and XML data) and its batch', async () => {
      const binary = fixture('cloudevents-binary');
      const json = await post(binary.body, { ...binary.headers, 'ce-source': `/binary/${tag()}` });
      expect(json.status).toBe(202);
      expect((await incident(json.body.incidentId)).alerts[0].annotations).toMatchObject({ appinfoA: 'abc', appinfoB: '123' });

      const xml = fixture('cloudevents-binary-xml');
      const answer = await post(xml.body, { ...xml.headers, 'ce-source': `/xml/${tag()}` });
      expect(answer.status).toBe(202);
      expect((await incident(answer.body.incidentId)).alerts[0].annotations.data).toBe('<much wow="xml"/>');

      const batch = (fixture('cloudevents-batch') as Array<Record<string, unknown>>).map((event) => ({ ...event, source: `${String(event.source)}/${tag()}` }));
      const delivered = await post(JSON.stringify(batch), { 'content-type': 'application/cloudevents-batch+json' });
      expect(delivered.status).toBe(202);
      expect(delivered.body).toMatchObject({ recorded: 2, incidentIds: [expect.any(String), expect.any(String)] });
    });

    it('refuses a malformed event with 400 naming the attribute', async () => {
      const noVersion = await structured({ ...fixture('cloudevents-structured'), specversion: undefined });
      expect(noVersion.status).toBe(400);
      expect(noVersion.body.issues).toEqual([expect.objectContaining({ path: 'specversion', message: 'specversion is required' })]);
      const binary = fixture('cloudevents-binary');
      const headers = Object.fromEntries(Object.entries(binary.headers as Record<string, string>).filter(([name]) => name !== 'ce-id'));
      const noId = await post(binary.body, headers);
      expect(noId.body.issues).toEqual([expect.objectContaining({ path: 'id' })]);
      const batch = await post(JSON.stringify([fixture('cloudevents-structured'), { ...fixture('cloudevents-structured'), type: 7 }]), {
        'content-type': 'application/cloudevents-batch+json',
      });
      expect(batch.body.issues).toEqual([expect.objectContaining({ path: '1.type' })]);
      expect((await post('{', { 'content-type': 'application/cloudevents+json' })).status).toBe(400);
      expect((await started.firebreak.http.post('/v1/alerts/cloudevents', fixture('cloudevents-structured'))).status).toBe(401);
    });
  });

  it('documents the new routes in the OpenAPI document', async () => {
    const document = (await started.viewer.get('/docs-json')).body;
    expect(document.paths['/v1/alerts/pagerduty'].post.responses['202'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/PagerDutyAcceptedDto' });
    expect(document.paths['/v1/alerts/pagerduty'].post.requestBody.content['application/json'].schema.oneOf ?? document.paths['/v1/alerts/pagerduty'].post.requestBody.content['application/json'].schema.anyOf).toHaveLength(3);
    expect(document.paths['/v1/alerts/opsgenie'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/OpsgenieCreateAlertDto' });
    expect(document.paths['/v1/alerts/opsgenie/{alias}/close'].post.responses['202']).toBeDefined();
    expect(Object.keys(document.paths['/v1/alerts/cloudevents'].post.requestBody.content)).toEqual(
      expect.arrayContaining(['application/cloudevents+json', 'application/cloudevents-batch+json']),
    );
  });
});
