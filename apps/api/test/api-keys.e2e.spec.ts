import { createHash } from 'node:crypto';
import { TEST_API_KEYS, TEST_KEYS, TestFirebreak } from '../../../test/firebreak';
import { testOperatorConfig } from '../../../test/operator';
import { waitFor } from '../../../test/wait';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The two keys of one principal while it rotates: the old one as itself, the new one only as its digest. */
const OLD_CI_KEY = 'f3a91c7e5b2d48e6a0c9b7d1e4f2a8c6b3d5e7f9';
const NEW_CI_KEY = 'Vx4Lm9Qz2Rk7Tp1Wn6Jb3Hc8Gd5Fs0Ya';
/** A sender key bound to one heartbeat monitor. */
const CRON_KEY = 'Pq8Zr3Nw6Xv1Ks4Jt9Hm2Lb7Gf5Dc0Ea';

describe('API keys end to end', () => {
  let firebreak: TestFirebreak;

  beforeAll(async () => {
    firebreak = await TestFirebreak.start({
      operator: testOperatorConfig({
        heartbeats: [{ name: 'nightly-export', intervalSeconds: 3600, service: 'batch', senders: ['cron'] }],
      }),
      env: { API_KEYS: `${TEST_API_KEYS},ci:responder:${OLD_CI_KEY},ci:responder:sha256:${sha256(NEW_CI_KEY)},cron:sender:${CRON_KEY}` },
    });
  });
  afterAll(() => firebreak?.stop());

  it('takes a key as Authorization: Bearer', async () => {
    expect((await firebreak.as('viewer').get('/v1/incidents')).status).toBe(200);
    expect((await firebreak.http.get('/v1/incidents', { authorization: `bearer ${TEST_KEYS.viewer}` })).status).toBe(200);
  });

  it('refuses HTTP Basic, even with a right key, saying to send Bearer', async () => {
    for (const credentials of [`dashboard:${TEST_KEYS.viewer}`, `:${TEST_KEYS.viewer}`]) {
      const answer = await firebreak.http.get('/v1/incidents', { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` });
      expect(answer.status).toBe(401);
      expect(answer.body.message).toMatch(/HTTP Basic authentication is not accepted: send "Authorization: Bearer <api key>"/);
      expect(answer.text).not.toContain(TEST_KEYS.viewer);
    }
    const other = await firebreak.http.get('/v1/incidents', { authorization: `Token ${TEST_KEYS.viewer}` });
    expect(other.status).toBe(401);
    expect(other.body.message).toMatch(/must be "Bearer <api key>"/);
  });

  it('takes both keys of a principal, one configured only as its digest, and records the one name', async () => {
    const declared: string[] = [];
    for (const key of [OLD_CI_KEY, NEW_CI_KEY]) {
      const answer = await firebreak.http.as(key).post('/v1/incidents', { title: 'Rotation check', severity: 'SEV4' });
      expect(answer.status).toBe(201);
      declared.push(answer.body.id);
    }
    for (const id of declared) {
      const { entries } = (await firebreak.as('viewer').get(`/v1/incidents/${id}/timeline`)).body as { entries: Array<{ actor?: string }> };
      expect(entries[0]?.actor).toBe('ci');
    }
    // The digest itself is not a key.
    expect((await firebreak.http.as(sha256(NEW_CI_KEY)).get('/v1/incidents')).status).toBe(401);
  });

  it('lets only the keys a heartbeat monitor names ping it', async () => {
    expect((await firebreak.http.as(CRON_KEY).post('/v1/heartbeats/nightly-export')).status).toBe(202);
    for (const client of [firebreak.as('sender'), firebreak.as('responder'), firebreak.as('admin')]) {
      const refused = await client.post('/v1/heartbeats/nightly-export');
      expect(refused.status).toBe(403);
      expect(refused.body.message).toMatch(/heartbeat monitor "nightly-export" .*senders/);
    }
    // Only the bound key's ping counts.
    await waitFor('the one ping', async () => (await firebreak.as('viewer').get('/v1/heartbeats/nightly-export')).body.pings === 1);
  });

  it('answers 404 on the SNS route until SNS_TOPIC_ARNS is set, saying so', async () => {
    const answer = await firebreak.http.post('/v1/alerts/sns', '{}', { 'content-type': 'text/plain; charset=UTF-8' });
    expect(answer.status).toBe(404);
    expect(answer.body.message).toMatch(/the SNS route is off: set SNS_TOPIC_ARNS/);
  });
});
