import { ApplicationFailure, Client, Connection } from '@temporalio/client';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { loadIntegrationsConfig } from '../../core/schemas/integrations-config';
import { sharedTemporalAddress, uniqueTaskQueue } from '../../test/temporal';
import { activityEnvironment, expectFailure } from '../../test/vendors/activity';
import type { StepWorkflowInput } from '../../test/vendors/step-workflow';
import { StubServer } from '../../test/vendors/stub-server';
import { bundleStepWorkflow, quietTemporalRuntime, startStepWorker } from '../../test/vendors/temporal-worker';
import { NodeHttp, type ResolvedAddress, type ResolveHost } from './node-http';
import { createHttpActivities } from './port';

quietTemporalRuntime();

const TOKEN = 'payments-admin-token-7f3a9c';

/** The team's admin API: refunds need the bearer token; it echoes what it got, as careless servers do. */
async function startAdminApi(): Promise<StubServer> {
  const stub = new StubServer({
    vendor: 'Payments admin',
    authorize: (request) => !['/refunds', '/conflict'].includes(request.path) || request.headers.authorization === `Bearer ${TOKEN}`,
    unauthorized: { status: 401, body: { message: 'bad token' } },
  });
  stub.route('refund', 'POST', '/refunds', (request) => {
    stub.effect('refund');
    return {
      status: 201,
      headers: { 'x-request-id': 'req-1', 'set-cookie': 'session=abc', location: `/refunds/1?by=${String(request.headers.authorization)}` },
      body: { id: 'rf_1', amount: request.body.amount, youSent: request.headers.authorization },
    };
  });
  stub.route('health', 'GET', '/health', () => ({ body: 'ok', headers: { 'content-type': 'text/plain' } }));
  stub.route('public', 'GET', '/public', () => ({ body: { open: true } }));
  stub.route('big', 'GET', '/big', () => ({ body: { items: `a${'é'.repeat(3000)}` } }));
  stub.route('text', 'PUT', '/text', (request) => ({ body: { got: request.body, type: request.headers['content-type'] } }));
  stub.route('moved', 'GET', '/moved', () => ({ status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } }));
  stub.route('conflict', 'POST', '/conflict', () => ({ status: 409, body: { message: `refund exists (you sent ${TOKEN})` } }));
  return stub.start();
}

const settings = (allowed: string, extra: Record<string, string> = {}) =>
  loadIntegrationsConfig({
    HTTP_STEP_ALLOWED_HOSTS: allowed,
    HTTP_STEP_SECRETS: 'PAYMENTS_ADMIN_TOKEN',
    PAYMENTS_ADMIN_TOKEN: TOKEN,
    INTEGRATIONS_TIMEOUT_MS: '2000',
    ...extra,
  });

/** The HTTP step's activity as the worker builds it from these settings, resolving names with `resolve`. */
function httpStep(allowed: string, { extra, resolve }: { extra?: Record<string, string>; resolve?: ResolveHost } = {}) {
  const config = settings(allowed, extra);
  return createHttpActivities(new NodeHttp({ settings: config.http, timeoutMs: config.timeoutMs, resolve })).httpRequest;
}

/** A resolver of made-up names, counting its lookups. */
function resolver(answers: Record<string, string[] | (() => string[])>) {
  const asked: string[] = [];
  const resolve: ResolveHost = async (hostname) => {
    asked.push(hostname);
    const answer = answers[hostname];
    if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return (typeof answer === 'function' ? answer() : answer).map((address): ResolvedAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { resolve, asked };
}

const key = 'run-1/http.request';

describe('the HTTP step (node:http against a local server)', () => {
  const env = activityEnvironment({ startToCloseTimeoutMs: 30_000 });
  let api: StubServer;
  let base: string;
  beforeAll(async () => {
    api = await startAdminApi();
    base = api.url;
  });
  afterAll(() => api.stop());
  afterEach(() => api.heal());

  it('sends the request with the secret filled in by name, an Idempotency-Key, and JSON; answers status, a few headers and the body, secrets scrubbed', async () => {
    const request = httpStep('127.0.0.1');
    const answer = await env.run(request, {
      idempotencyKey: key,
      method: 'POST',
      url: `${base}/refunds`,
      headers: { 'X-Team': 'payments' },
      secretHeaders: { Authorization: 'Bearer PAYMENTS_ADMIN_TOKEN' },
      body: { amount: 1250 },
    });
    expect(answer).toEqual({
      status: 201,
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-1', location: '/refunds/1?by=Bearer [redacted]' },
      body: { id: 'rf_1', amount: 1250, youSent: 'Bearer [redacted]' },
      truncated: false,
    });
    expect(JSON.stringify(answer)).not.toContain(TOKEN);
    const [sent] = api.calls('refund');
    expect(sent.headers).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      'idempotency-key': expect.stringMatching(/^[0-9a-f]{32}$/),
      'content-type': 'application/json',
      'x-team': 'payments',
      'user-agent': 'Firebreak',
    });
    expect(sent.body).toEqual({ amount: 1250 });

    // A string body goes as it is; the runbook may say its type.
    expect(await env.run(request, { idempotencyKey: key, method: 'PUT', url: `${base}/text`, body: 'plain words' })).toMatchObject({
      body: { got: 'plain words', type: 'text/plain; charset=utf-8' },
    });
    expect(await env.run(request, { idempotencyKey: key, method: 'PUT', url: `${base}/text`, headers: { 'Content-Type': 'text/csv' }, body: 'a,b' })).toMatchObject({
      body: { got: 'a,b', type: 'text/csv' },
    });
    expect(await env.run(request, { idempotencyKey: key, method: 'GET', url: `${base}/health` })).toEqual({
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body: 'ok',
      truncated: false,
    });
  });

  it('keeps the same Idempotency-Key across retries of a step, and retries 429 after its Retry-After and 5xx', async () => {
    const request = httpStep('127.0.0.1');
    const refund = (idempotencyKey: string) =>
      env.run(request, { idempotencyKey, method: 'POST', url: `${base}/refunds`, secretHeaders: { Authorization: 'Bearer PAYMENTS_ADMIN_TOKEN' }, body: { amount: 5 } });
    const before = api.calls('refund').length;
    api.fail('refund', { status: 429, headers: { 'retry-after': '7' }, body: { message: 'slow down' } });
    await expectFailure(refund('run-2/refund'), { type: CapabilityFailure.Throttled, nonRetryable: false, nextRetryDelay: 7000, message: /HTTP step POST http:\/\/127\.0\.0\.1:\d+\/refunds failed: HTTP 429: \{"message":"slow down"\}/ });
    api.fail('refund', { status: 503, body: 'upstream unavailable' });
    await expectFailure(refund('run-2/refund'), { type: CapabilityFailure.Unavailable, nonRetryable: false, message: /HTTP 503: upstream unavailable/ });
    expect((await refund('run-2/refund')).status).toBe(201);
    await refund('run-3/refund');
    const keys = api.calls('refund').slice(before).map((call) => call.headers['idempotency-key']);
    expect(keys).toHaveLength(4);
    expect(new Set(keys.slice(0, 3)).size).toBe(1);
    expect(keys[3]).not.toBe(keys[0]);
  });

  it('fails other answers for good, with the status and an excerpt of the body, secrets scrubbed; expect.status widens what is an answer', async () => {
    const request = httpStep('127.0.0.1');
    const post = (path: string, extra: object = {}) =>
      env.run(request, { idempotencyKey: key, method: 'POST', url: `${base}${path}`, secretHeaders: { Authorization: 'Bearer PAYMENTS_ADMIN_TOKEN' }, ...extra });
    const refused = await expectFailure(post('/conflict'), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /HTTP 409: \{"message":"refund exists \(you sent \[redacted\]\)"\}/,
      secrets: [TOKEN],
    });
    expect(JSON.stringify(refused.details)).not.toContain(TOKEN);
    expect(await post('/conflict', { expect: { status: [200, 409] } })).toMatchObject({ status: 409, body: { message: 'refund exists (you sent [redacted])' } });
    await expectFailure(post('/refunds', { body: { amount: 1 }, expect: { status: [200] } }), { type: CapabilityFailure.Rejected, nonRetryable: true, message: /HTTP 201: expected 200; / });
    // Redirects are not followed, least of all to another host.
    await expectFailure(env.run(request, { idempotencyKey: key, method: 'GET', url: `${base}/moved` }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /HTTP 302: redirects are not followed \(to http:\/\/169\.254\.169\.254\/latest\/meta-data\/\)/,
    });
    expect(api.requests.filter((call) => call.path.startsWith('/latest'))).toEqual([]);
    // A secret the worker does not hold is the operator's to give, not the server's to refuse.
    await expectFailure(env.run(request, { idempotencyKey: key, method: 'GET', url: `${base}/health`, secretHeaders: { 'X-Api-Key': 'OTHER_TOKEN' } }), {
      type: CapabilityFailure.Misconfigured,
      nonRetryable: true,
      message: /secret header X-Api-Key names OTHER_TOKEN, which is not one of HTTP_STEP_SECRETS/,
    });
  });

  it('cuts a body past HTTP_STEP_MAX_RESPONSE_BYTES and says so, or fails when the step wants it whole', async () => {
    const request = httpStep('127.0.0.1', { extra: { HTTP_STEP_MAX_RESPONSE_BYTES: '1024' } });
    const answer = await env.run(request, { idempotencyKey: key, method: 'GET', url: `${base}/big` });
    expect(answer.truncated).toBe(true);
    expect(typeof answer.body).toBe('string');
    const body = answer.body as string;
    expect(body.startsWith('{"items":"aééé')).toBe(true);
    // 1024 bytes, less the half of "é" the cut would have left.
    expect(Buffer.byteLength(body)).toBe(1023);
    expect(body).not.toContain('\uFFFD');
    await expectFailure(env.run(request, { idempotencyKey: key, method: 'GET', url: `${base}/big`, expect: { wholeBody: true } }), {
      type: CapabilityFailure.OutOfBounds,
      nonRetryable: true,
      message: /longer than HTTP_STEP_MAX_RESPONSE_BYTES \(1024 bytes\)/,
    });
  });

  it('gives up on an answer that does not come within timeoutMs, to be retried', async () => {
    api.fail('health', 'hang');
    await expectFailure(env.run(httpStep('127.0.0.1'), { idempotencyKey: key, method: 'GET', url: `${base}/health`, timeoutMs: 200 }), {
      type: CapabilityFailure.Unavailable,
      nonRetryable: false,
      message: /HTTP step GET http:\/\/127\.0\.0\.1:\d+\/health failed: no answer \(timed out\)/,
    });
  });

  it('refuses a host the list does not name, and every metadata and link-local address whatever the list says', async () => {
    const names = resolver({});
    const request = httpStep('127.0.0.1,*.google.internal,10.0.0.7', { resolve: names.resolve });
    const get = (url: string) => env.run(request, { idempotencyKey: key, method: 'GET', url });
    await expectFailure(get('https://payments.example.com/health'), {
      type: CapabilityFailure.OutOfBounds,
      nonRetryable: true,
      message: /HTTP step GET https:\/\/payments\.example\.com\/health refused: payments\.example\.com is not in HTTP_STEP_ALLOWED_HOSTS/,
    });
    await expectFailure(get(base.replace('127.0.0.1', '127.0.0.2')), { type: CapabilityFailure.OutOfBounds, nonRetryable: true, message: /127\.0\.0\.2 is not in HTTP_STEP_ALLOWED_HOSTS/ });
    for (const [url, why] of [
      ['http://169.254.169.254/latest/meta-data/iam/security-credentials/', /169\.254\.169\.254 is a cloud metadata address, which no HTTP step may reach/],
      ['http://metadata.google.internal/computeMetadata/v1/', /metadata\.google\.internal is a cloud metadata service/],
      ['http://[fd00:ec2::254]/latest/meta-data/', /fd00:ec2::254 is a cloud metadata address/],
      ['http://100.100.100.200/latest/meta-data/', /100\.100\.100\.200 is a cloud metadata address/],
      ['http://[::ffff:169.254.169.254]/', /::ffff:a9fe:a9fe is a cloud metadata address/],
      ['http://169.254.170.2/v2/credentials', /169\.254\.170\.2 is a link-local address/],
      ['http://[fe80::1]/', /fe80::1 is a link-local address/],
    ] as const) {
      await expectFailure(get(url), { type: CapabilityFailure.OutOfBounds, nonRetryable: true, message: why });
    }
    expect(names.asked).toEqual([]);
  });

  it('checks the addresses a name resolves to: never metadata or link-local, loopback only for a name listed exactly', async () => {
    const names = resolver({
      'rebind.ops.firebreak.test': ['127.0.0.1'],
      'meta.firebreak.test': ['169.254.169.254'],
      'mixed.ops.firebreak.test': ['10.0.0.9', '::ffff:169.254.169.254'],
      'link.ops.firebreak.test': ['fe80::7'],
    });
    const request = httpStep('*.ops.firebreak.test,meta.firebreak.test', { resolve: names.resolve });
    const before = api.requests.length;
    const get = (host: string) => env.run(request, { idempotencyKey: key, method: 'GET', url: `http://${host}:${new URL(base).port}/health` });
    await expectFailure(get('rebind.ops.firebreak.test'), {
      type: CapabilityFailure.OutOfBounds,
      nonRetryable: true,
      message: /rebind\.ops\.firebreak\.test resolves to 127\.0\.0\.1, a loopback address, which only a host named exactly in HTTP_STEP_ALLOWED_HOSTS may reach/,
    });
    await expectFailure(get('meta.firebreak.test'), { type: CapabilityFailure.OutOfBounds, nonRetryable: true, message: /meta\.firebreak\.test resolves to 169\.254\.169\.254, a cloud metadata address/ });
    await expectFailure(get('mixed.ops.firebreak.test'), { type: CapabilityFailure.OutOfBounds, nonRetryable: true, message: /resolves to ::ffff:169\.254\.169\.254, a cloud metadata address/ });
    await expectFailure(get('link.ops.firebreak.test'), { type: CapabilityFailure.OutOfBounds, nonRetryable: true, message: /resolves to fe80::7, a link-local address/ });
    await expectFailure(get('unknown.ops.firebreak.test'), { type: CapabilityFailure.Unavailable, nonRetryable: false, message: /no answer \(ENOTFOUND\)/ });
    expect(api.requests.length).toBe(before);
  });

  it('connects to the address it checked: a name that resolves elsewhere afterwards is never looked up again', async () => {
    let lookups = 0;
    // The first answer is checked and used; any later lookup would point at the metadata service.
    const names = resolver({ 'admin.firebreak.test': () => (++lookups === 1 ? ['127.0.0.1'] : ['169.254.169.254']) });
    const request = httpStep('admin.firebreak.test', { resolve: names.resolve });
    const answer = await env.run(request, { idempotencyKey: key, method: 'GET', url: `http://admin.firebreak.test:${new URL(base).port}/public` });
    expect(answer).toMatchObject({ status: 200, body: { open: true } });
    expect(names.asked).toEqual(['admin.firebreak.test']);
    // The server saw the name the URL gave (the system resolver knows no such name).
    expect(api.calls('public').at(-1)?.headers.host).toBe(`admin.firebreak.test:${new URL(base).port}`);
  });

  it('refuses what the step input must not hold, naming the field, before any request', async () => {
    const request = httpStep('127.0.0.1');
    const before = api.requests.length;
    const invalid = (input: object, field: RegExp) =>
      expectFailure(env.run(request, { idempotencyKey: key, method: 'GET', url: `${base}/health`, ...input } as never), {
        type: CapabilityFailure.InvalidInput,
        nonRetryable: true,
        message: field,
      });
    await invalid({ headers: { Authorization: `Bearer ${TOKEN}` } }, /headers: must not carry credentials .* put them in secretHeaders/);
    await invalid({ headers: { 'Idempotency-Key': 'mine' } }, /headers: must not set .*idempotency-key/);
    await invalid({ url: `http://user:${TOKEN}@127.0.0.1/` }, /url: must not hold credentials/);
    await invalid({ url: 'file:///etc/passwd' }, /url: must be an http\(s\) URL/);
    await invalid({ body: { a: 1 } }, /body: a GET or HEAD request has no body/);
    await invalid({ secretHeaders: { Authorization: 'token abc' } }, /secretHeaders\.Authorization: must name a variable listed in HTTP_STEP_SECRETS/);
    await invalid({ headers: { 'x-a': '1' }, secretHeaders: { 'X-A': 'PAYMENTS_ADMIN_TOKEN' } }, /secretHeaders: a header is given twice/);
    await invalid({ timeoutMs: 120_000 }, /timeoutMs:/);
    await invalid({ method: 'TRACE' }, /method: must be one of GET, HEAD, POST, PUT, PATCH, DELETE/);
    expect(api.requests.length).toBe(before);
  });
});

/** Every text a history holds, payloads decoded: what a secret must not be part of. */
function historyText(history: unknown): string {
  const parts: string[] = [];
  const walk = (value: unknown): void => {
    if (value instanceof Uint8Array) parts.push(Buffer.from(value).toString('utf8'));
    else if (typeof value === 'string') parts.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(history);
  return parts.join('\n');
}

describe('the HTTP step through Temporal (a real worker built from settings)', () => {
  let api: StubServer;
  let client: Client;
  let worker: { stop(): Promise<void> } | undefined;
  let taskQueue: string;
  beforeAll(async () => {
    api = await startAdminApi();
    client = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
    taskQueue = uniqueTaskQueue('http-step');
    const env = { HTTP_STEP_ALLOWED_HOSTS: '127.0.0.1', HTTP_STEP_SECRETS: 'PAYMENTS_ADMIN_TOKEN', PAYMENTS_ADMIN_TOKEN: TOKEN, INTEGRATIONS_TIMEOUT_MS: '2000' };
    worker = await startStepWorker({ taskQueue, code: await bundleStepWorkflow(), env, client });
  });
  afterAll(async () => {
    await worker?.stop();
    await api.stop();
    await client?.connection.close();
  });

  it('retries a 429 with the same Idempotency-Key, and no secret value reaches the workflow history', async () => {
    api.fail('refund', { status: 429, headers: { 'retry-after': '0' }, body: { message: `slow down, ${TOKEN}` } });
    const workflowId = `${taskQueue}-refund`;
    const input = {
      idempotencyKey: `${workflowId}/http.request`,
      method: 'POST',
      url: `${api.url}/refunds`,
      secretHeaders: { Authorization: 'Bearer PAYMENTS_ADMIN_TOKEN' },
      body: { amount: 99 },
    };
    const result = await client.workflow.execute('stepWorkflow', {
      taskQueue,
      workflowId,
      args: [{ activity: 'httpRequest', input, options: { startToCloseTimeout: '10s', retry: { initialInterval: '50ms', backoffCoefficient: 1, maximumAttempts: 3 } } } satisfies StepWorkflowInput],
    });
    expect(result).toMatchObject({ status: 201, body: { id: 'rf_1', amount: 99, youSent: 'Bearer [redacted]' } });
    const calls = api.calls('refund');
    expect(calls).toHaveLength(2);
    expect(calls[0].headers['idempotency-key']).toMatch(/^[0-9a-f]{32}$/);
    expect(calls[1].headers['idempotency-key']).toBe(calls[0].headers['idempotency-key']);
    expect(calls.every((call) => call.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(api.count('refund')).toBe(1);

    const history = historyText(await client.workflow.getHandle(workflowId).fetchHistory());
    // The history holds the step's input, the first attempt's failure and the result, decoded here…
    expect(history).toContain('Bearer PAYMENTS_ADMIN_TOKEN');
    expect(history).toContain('Bearer [redacted]');
    // …and never the secret's value.
    expect(history).not.toContain(TOKEN);
  });

  it('fails a refused host for good: one attempt, no retry', async () => {
    const workflowId = `${taskQueue}-refused`;
    const failed = await client.workflow
      .execute('stepWorkflow', {
        taskQueue,
        workflowId,
        args: [
          {
            activity: 'httpRequest',
            input: { idempotencyKey: `${workflowId}/http.request`, method: 'GET', url: 'http://169.254.169.254/latest/meta-data/' },
            options: { startToCloseTimeout: '10s', retry: { initialInterval: '50ms', maximumAttempts: 3 } },
          } satisfies StepWorkflowInput,
        ],
      })
      .then(
        () => undefined,
        (error: { cause?: { cause?: unknown } }) => error.cause?.cause,
      );
    expect(failed).toBeInstanceOf(ApplicationFailure);
    expect(failed).toMatchObject({ type: CapabilityFailure.OutOfBounds, nonRetryable: true });
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    expect(history.events?.filter((event) => event.activityTaskStartedEventAttributes).map((event) => event.activityTaskStartedEventAttributes?.attempt)).toEqual([1]);
  });
});
