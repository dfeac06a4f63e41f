import { TEST_KEYS, TestFirebreak } from '../../../test/firebreak';
import { waitFor } from '../../../test/wait';
import { metricValue } from '../../../test/metrics';

/** An open event stream: what it has received so far, and how to close it. */
async function openStream(firebreak: TestFirebreak, id: string, key: string) {
  const controller = new AbortController();
  const response = await fetch(`${firebreak.http.baseUrl}/v1/incidents/${id}/events`, {
    headers: { authorization: `Bearer ${key}` },
    signal: controller.signal,
  });
  let text = '';
  const reader = response.status === 200 ? response.body!.getReader() : undefined;
  return {
    response,
    async readUntil(needle: string) {
      return waitFor(`"${needle}" on the stream`, async () => {
        const { value, done } = await reader!.read();
        if (value) text += new TextDecoder().decode(value);
        return text.includes(needle) || done ? text : undefined;
      });
    },
    close() {
      controller.abort();
    },
  };
}

describe('public surfaces under load: cached readiness, shared event polling, stream caps, bounded metrics', () => {
  let firebreak: TestFirebreak;
  const scrape = async () => (await firebreak.as('viewer').get('/metrics')).text;

  beforeAll(async () => {
    firebreak = await TestFirebreak.start({
      env: { READYZ_CACHE_MS: '60000', INCIDENT_EVENTS_MAX_STREAMS_PER_KEY: '2', INCIDENT_EVENTS_MAX_STREAMS: '3' },
    });
  });
  afterAll(() => firebreak?.stop());

  it('answers /readyz from one probe while it is fresh', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, () => firebreak.http.get('/readyz')));
    expect(answers.map((answer) => answer.status)).toEqual(Array(30).fill(200));
    expect(metricValue(await scrape(), 'firebreak_readiness_probes_total{outcome="reachable"}')).toBe(1);
  });

  it('feeds every stream of one incident from one poller, which stops with the last stream', async () => {
    const id = (await firebreak.as('responder').post('/v1/incidents', { title: 'watched', severity: 'SEV4' })).body.id;
    const first = await openStream(firebreak, id, TEST_KEYS.viewer);
    const second = await openStream(firebreak, id, TEST_KEYS.responder);
    await first.readUntil('Incident opened');
    await second.readUntil('Incident opened');
    await waitFor('one poller for both streams', async () => metricValue(await scrape(), 'firebreak_incident_event_pollers') === 1);
    expect(metricValue(await scrape(), 'firebreak_incident_event_streams')).toBe(2);

    await firebreak.as('responder').post(`/v1/incidents/${id}/actions`, { action: 'add-note', text: 'seen by both' });
    expect(await first.readUntil('seen by both')).toMatch(/id: \d+\nevent: timeline\ndata: \{.*seen by both/);
    await second.readUntil('seen by both');
    expect(metricValue(await scrape(), 'firebreak_incident_event_pollers')).toBe(1);

    first.close();
    second.close();
    await waitFor('the poller to stop', async () => {
      const now = await scrape();
      return metricValue(now, 'firebreak_incident_event_pollers') === 0 && metricValue(now, 'firebreak_incident_event_streams') === 0;
    });
  });

  it('refuses streams past the per-key and total caps with 429 and Retry-After', async () => {
    const id = (await firebreak.as('responder').post('/v1/incidents', { title: 'capped', severity: 'SEV4' })).body.id;
    const viewerStreams = [await openStream(firebreak, id, TEST_KEYS.viewer), await openStream(firebreak, id, TEST_KEYS.viewer)];
    expect(viewerStreams.map((stream) => stream.response.status)).toEqual([200, 200]);
    const third = await openStream(firebreak, id, TEST_KEYS.viewer);
    expect(third.response.status).toBe(429);
    expect(Number(third.response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await third.response.json()) as { message: string }).message).toMatch(/key "dashboard" already holds 2 event streams/);

    const responderStream = await openStream(firebreak, id, TEST_KEYS.responder);
    expect(responderStream.response.status).toBe(200);
    const overall = await openStream(firebreak, id, TEST_KEYS.admin);
    expect(overall.response.status).toBe(429);
    expect(((await overall.response.json()) as { message: string }).message).toMatch(/already serves 3 event streams/);

    for (const stream of [...viewerStreams, responderStream]) stream.close();
    await waitFor('the streams to close', async () => metricValue(await scrape(), 'firebreak_incident_event_streams') === 0);
    const again = await openStream(firebreak, id, TEST_KEYS.viewer);
    expect(again.response.status).toBe(200);
    again.close();
  });

  it('labels alert metrics with a fixed set of sources, whatever source a sender names', async () => {
    for (const source of ['made-up-1', 'made-up-2', 'made-up-3']) {
      const answer = await firebreak.as('responder').post('/v1/alerts', { source, summary: 'labels', status: 'firing', dedupKey: `labels-${source}` });
      expect(answer.status).toBe(202);
    }
    const metrics = await scrape();
    expect(metrics).not.toContain('made-up');
    const sources = new Set([...metrics.matchAll(/^firebreak_alerts_received_total\{source="([^"]*)"/gm)].map((match) => match[1]));
    expect([...sources]).toEqual(['generic']);
  });
});

describe('rate limits per IP and per key', () => {
  let firebreak: TestFirebreak;

  beforeAll(async () => {
    firebreak = await TestFirebreak.start({ env: { RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_PER_KEY_PER_MINUTE: '3' } });
  });
  afterAll(() => firebreak?.stop());

  it('answers 429 with Retry-After past the limit, counting keys and IPs apart, and never limits alert deliveries', async () => {
    const anonymous = [];
    for (let i = 0; i < 4; i += 1) anonymous.push(await firebreak.http.get('/healthz'));
    expect(anonymous.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
    const limited = anonymous[3];
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.body).toMatchObject({ statusCode: 429, message: expect.stringMatching(/rate limit of 3 requests per minute exceeded/) });
    // Guessing keys counts against the IP too.
    expect((await firebreak.http.as('not-a-key-at-all').get('/v1/incidents')).status).toBe(429);

    // A valid key has its own budget, apart from its IP's.
    const viewer = firebreak.as('viewer');
    const reads = [];
    for (let i = 0; i < 4; i += 1) reads.push((await viewer.get('/v1/incidents')).status);
    expect(reads).toEqual([200, 200, 200, 429]);
    expect((await firebreak.as('admin').get('/v1/incidents')).status).toBe(200);

    // Alert senders in a storm are not throttled into losing alerts.
    const alerts = [];
    for (let i = 0; i < 8; i += 1) {
      alerts.push((await firebreak.as('responder').post('/v1/alerts', { source: 'storm', summary: `alert ${i}`, status: 'firing', dedupKey: `storm-${i % 2}` })).status);
    }
    expect(alerts).toEqual(Array(8).fill(202));
  });
});

describe('rate limits for the console', () => {
  let firebreak: TestFirebreak;

  beforeAll(async () => {
    firebreak = await TestFirebreak.start({ env: { RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_PER_KEY_PER_MINUTE: '3' } });
  });
  afterAll(() => firebreak?.stop());

  it("counts a console session's requests against its key, not its address", async () => {
    const signedIn = await firebreak.http.post('/v1/session', { key: TEST_KEYS.viewer });
    expect(signedIn.status).toBe(200);
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0];
    // The address's budget runs out (signing in counted against it)…
    const anonymous = [];
    for (let i = 0; i < 3; i += 1) anonymous.push((await firebreak.http.get('/healthz')).status);
    expect(anonymous).toEqual([200, 200, 429]);
    // …and the session still has its key's own.
    const reads = [];
    for (let i = 0; i < 4; i += 1) reads.push((await firebreak.http.get('/v1/incidents', { cookie })).status);
    expect(reads).toEqual([200, 200, 200, 429]);
  });
});
