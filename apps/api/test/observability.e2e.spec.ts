import { Writable } from 'node:stream';
import { context, propagation, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { BODY_LIMITS } from '../src/app';
import { registerTracing } from '../src/observability/tracing';
import { workerObservability } from '../../worker/src/observability';
import { TRACING_PATCH } from '../../worker/src/observability-workflow-interceptors';
import { CURRENT_PATHS_PATCH } from '../../../workflows/compat';
import { TEST_KEYS, useTestFirebreak } from '../../../test/firebreak';
import { sharedTemporalAddress, workflowBundle } from '../../../test/temporal';
import { waitFor } from '../../../test/wait';

/** Every span the API and the worker end, workflow spans included (through the worker's sink). */
const spans = new InMemorySpanExporter();
const tracing = registerTracing('firebreak-test', new SimpleSpanProcessor(spans));

/** Every JSON line the API and the worker write. */
const lines: Array<Record<string, unknown>> = [];
const logs = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});

const e2e = useTestFirebreak({ env: { LOG_LEVEL: 'debug' }, logs, tracing });

afterAll(async () => {
  await tracing.shutdown();
  // The provider is global to the jest worker process: leave none behind for the next file.
  trace.disable();
  context.disable();
  propagation.disable();
});

const alert = (dedupKey: string) => ({
  source: 'e2e',
  summary: 'Checkout p99 latency above 2s',
  status: 'firing',
  severity: 'critical',
  dedupKey,
  labels: { service: 'checkout', alertname: 'HighLatency' },
});

const spanId = (span: ReadableSpan) => span.spanContext().spanId;
const inTrace = (traceId: string) => spans.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('logs and traces', () => {
  it('makes one trace of an alert (HTTP span, Temporal call, the workflow\'s spans, its activities) and puts its request id on the activity log lines', async () => {
    const answer = await e2e.responder.post('/v1/alerts', alert(`observability-${Date.now()}`));
    expect(answer.status).toBe(202);
    const requestId = answer.headers.get('x-request-id')!;
    expect(requestId).toMatch(UUID);
    const incidentId: string = answer.body.incidentId;

    const http = await waitFor('the HTTP span', () => spans.getFinishedSpans().find((span) => span.attributes['firebreak.request_id'] === requestId && span.name.startsWith('HTTP ')));
    expect(http.name).toBe('HTTP POST /v1/alerts');
    expect(http.parentSpanId).toBeUndefined();
    expect(http.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/v1/alerts', 'http.response.status_code': 202 });
    const traceId = http.spanContext().traceId;

    const activity = await waitFor('an activity span', () => inTrace(traceId).find((span) => span.name.startsWith('RunActivity:')));

    // HTTP → the Temporal call, which started the incident's run and handed it the alert. The
    // run's span holds the activities its loop runs; it is exported when the run ends (here,
    // when the incident closes), once.
    const handled = await waitFor('the update\'s span', () => inTrace(traceId).find((span) => span.name === 'HandleUpdate:ingestAlerts'));
    expect(handled.attributes).toMatchObject({ temporalWorkflowId: incidentId, run_id: expect.any(String), temporalUpdateId: expect.any(String) });
    expect((await e2e.firebreak.as('commander').post(`/v1/incidents/${incidentId}/actions`, { action: 'close' })).status).toBe(200);
    const run = await waitFor('the run\'s span', () => inTrace(traceId).find((span) => span.name === 'RunWorkflow:incidentWorkflow'));
    expect(activity.parentSpanId).toBe(spanId(run));
    expect(run.attributes).toMatchObject({ temporalWorkflowId: incidentId, run_id: handled.attributes.run_id });
    expect(run.status.code).toBe(SpanStatusCode.OK);
    const trail = inTrace(traceId);
    const byId = new Map(trail.map((span) => [spanId(span), span]));
    const call = byId.get(handled.parentSpanId!)!;
    expect(call.name).toBe('UpdateWithStartWorkflow:ingestAlerts');
    expect(run.parentSpanId).toBe(spanId(call));
    expect(call.parentSpanId).toBe(spanId(http));
    // Each span once: a workflow span is exported when its call settles, never again.
    expect(new Set(trail.map(spanId)).size).toBe(trail.length);
    // The request id is an attribute of the request's spans, through to the activity.
    for (const span of [http, call, handled, run, activity]) expect(span.attributes['firebreak.request_id']).toBe(requestId);

    // The request's lines carry its id: the API's, and the worker's for the activities the alert led to.
    expect(lines).toContainEqual(
      expect.objectContaining({ service: 'firebreak-api', requestId, msg: 'request completed', req: { method: 'POST', url: '/v1/alerts', route: '/v1/alerts' }, res: { statusCode: 202 } }),
    );
    const activityLine = await waitFor('an activity line with the request id', () =>
      lines.find((line) => line.activityType !== undefined && line.workflowId === incidentId && line.requestId === requestId),
    );
    expect(activityLine).toMatchObject({ service: 'firebreak-worker', workflowType: 'incidentWorkflow', activityId: expect.any(String) });
    // The key the alert came with is on no line.
    expect(JSON.stringify(lines)).not.toContain(TEST_KEYS.responder);

    // A new run records the current paths, not the tracing patch (runs that hold that one
    // replay from test/histories), and replays on the same code without exporting its spans
    // a second time.
    const temporal = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
    try {
      const history = await temporal.workflow.getHandle(incidentId).fetchHistory();
      const markers = (history.events ?? []).flatMap((event) => (event.markerRecordedEventAttributes?.details?.['patch-data']?.payloads ?? []).map((payload) => JSON.parse(Buffer.from(payload.data!).toString()).id));
      expect(markers).toContain(CURRENT_PATHS_PATCH);
      expect(markers).not.toContain(TRACING_PATCH);
      const exported = spans.getFinishedSpans().length;
      await Worker.runReplayHistory({ workflowBundle: workflowBundle(), sinks: workerObservability({ tracing, bundles: false }).sinks }, history, incidentId);
      expect(spans.getFinishedSpans().length).toBe(exported);
    } finally {
      await temporal.connection.close();
    }
  });

  it('makes one trace of a runbook launch: the run\'s span holds its activities, and a failed run\'s span says why', async () => {
    const { body: incident } = await e2e.responder.post('/v1/incidents', { title: 'traced runbook', severity: 'SEV3', service: 'checkout' });
    // It scales a service out, then too far: the scaling port refuses for good and the run fails.
    const launched = await e2e.firebreak.as('admin').post('/v1/runbooks/compensation-demo/executions', { input: { then: 'fail' }, incidentId: incident.id });
    expect(launched.status).toBe(201);
    const requestId = launched.headers.get('x-request-id')!;
    const http = await waitFor('the launch\'s HTTP span', () => spans.getFinishedSpans().find((span) => span.attributes['firebreak.request_id'] === requestId && span.name.startsWith('HTTP ')));
    const run = await waitFor('the run\'s span', () => inTrace(http.spanContext().traceId).find((span) => span.name === 'RunWorkflow:runbookWorkflow'));
    const trail = inTrace(http.spanContext().traceId);
    const byId = new Map(trail.map((span) => [spanId(span), span]));
    expect(byId.get(run.parentSpanId!)!.name).toBe('StartWorkflow:runbookWorkflow');
    expect(byId.get(byId.get(run.parentSpanId!)!.parentSpanId!)).toBe(http);
    expect(run.attributes).toMatchObject({ temporalWorkflowId: launched.body.id, 'firebreak.request_id': requestId });
    expect(run.status).toEqual({ code: SpanStatusCode.ERROR, message: expect.stringContaining('desired count 100 is outside [1, 10]') });
    expect(trail.filter((span) => span.name.startsWith('RunActivity:') && span.parentSpanId === spanId(run)).length).toBeGreaterThan(0);
  });

  it('keeps a sane X-Request-Id, replaces any other, and answers one even for a body refused before routing', async () => {
    const sane = 'lb-7f3a:0001.retry_2';
    expect((await e2e.viewer.get('/healthz', { 'x-request-id': sane })).headers.get('x-request-id')).toBe(sane);
    for (const insane of ['a'.repeat(129), 'has spaces', 'semi;colon', '']) {
      expect((await e2e.viewer.get('/healthz', { 'x-request-id': insane })).headers.get('x-request-id')).toMatch(UUID);
    }

    const tooLarge = await e2e.responder.post('/v1/alerts', JSON.stringify({ summary: 'x'.repeat(BODY_LIMITS.genericAlert) }), {
      'content-type': 'application/json',
      'x-request-id': 'too-large-1',
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('x-request-id')).toBe('too-large-1');
    await waitFor('the refused request logged', () => lines.some((line) => line.requestId === 'too-large-1' && line.msg === 'request completed'));
    expect(lines).toContainEqual(expect.objectContaining({ requestId: 'too-large-1', req: expect.objectContaining({ method: 'POST', url: '/v1/alerts' }), res: { statusCode: 413 } }));

    // An acknowledgement link's token is a credential: its request line names the route, not the token.
    const token = 'ack-token-that-must-not-be-logged-0123456789';
    await e2e.viewer.get(`/v1/ack/${token}`, { 'x-request-id': 'ack-link-1' });
    const ackLine = await waitFor('the ack request logged', () => lines.find((line) => line.requestId === 'ack-link-1' && line.msg === 'request completed'));
    expect(ackLine.req).toEqual({ method: 'GET', url: '/v1/ack/[redacted]', route: '/v1/ack/:token' });
    expect(JSON.stringify(lines)).not.toContain(token);
  });
});
