import { ConfigError } from './config';
import { loadOperatorConfig, OperatorConfigError, type OperatorFiles } from './operator-config';
import { durationMs, loadWebhookSecrets } from './webhooks-config';
import { operatorFiles } from '../../runbooks';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

const files = (webhooks: unknown): OperatorFiles => ({
  routes: { file: 'runbooks/routes.ts', value: { routes: [], default: {} } },
  escalationPolicies: { file: 'runbooks/escalation-policies.ts', value: {} },
  heartbeats: { file: 'runbooks/heartbeats.ts', value: [] },
  webhooks: { file: 'runbooks/webhooks.ts', value: webhooks },
});

const problems = (webhooks: unknown): string[] => {
  try {
    loadOperatorConfig(files(webhooks));
  } catch (error) {
    if (error instanceof OperatorConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('outgoing webhook subscriptions (runbooks/webhooks.ts)', () => {
  it('ships empty, so npm start needs no secret', () => {
    expect(loadOperatorConfig(operatorFiles).webhooks).toEqual([]);
    expect(loadWebhookSecrets(loadOperatorConfig(operatorFiles).webhooks, {}).size).toBe(0);
  });

  it('loads a subscription with its defaults: a 24-hour retry window, no extra headers', () => {
    const { webhooks } = loadOperatorConfig(files([{ id: 'warehouse', url: 'https://ingest.example.com/hook', events: ['incident.opened'], secret: 'WEBHOOK_SECRET_WAREHOUSE' }]));
    expect(webhooks).toEqual([
      { id: 'warehouse', url: 'https://ingest.example.com/hook', events: ['incident.opened'], secret: 'WEBHOOK_SECRET_WAREHOUSE', headers: {}, retryForMs: 24 * 3_600_000 },
    ]);
    const all = loadOperatorConfig(files([{ id: 'cmdb', url: 'http://cmdb.local/h', events: '*', secret: 'S', retryFor: '30 seconds', headers: { 'x-team': 'sre' } }]));
    expect(all.webhooks[0]).toMatchObject({ events: '*', retryForMs: 30_000, headers: { 'x-team': 'sre' } });
  });

  it('stops start-up naming the file and the field of each mistake', () => {
    expect(
      problems([
        { id: 'Bad Id', url: 'ftp://x', events: ['incident.exploded'], secret: 'whsec_abc' },
        { id: 'ok', url: 'https://x.test', events: [], secret: 'OK', retryFor: '3 weeks', headers: { 'webhook-id': 'x' } },
        { id: 'ok', url: 'https://x.test', events: '*', secret: 'OK', extra: true },
      ]),
    ).toEqual([
      expect.stringMatching(/^runbooks\/webhooks\.ts: 0\.id: /),
      expect.stringMatching(/^runbooks\/webhooks\.ts: 0\.url: an absolute http:\/\/ or https:\/\/ URL/),
      expect.stringMatching(/^runbooks\/webhooks\.ts: 0\.events(\.0)?: /),
      expect.stringMatching(/^runbooks\/webhooks\.ts: 0\.secret: the name of an environment variable/),
      expect.stringMatching(/^runbooks\/webhooks\.ts: 1\.events: /),
      expect.stringMatching(/^runbooks\/webhooks\.ts: 1\.headers\.webhook-id: not one Firebreak sets itself/),
      expect.stringMatching(/^runbooks\/webhooks\.ts: 1\.retryFor: a duration between 1 second and 7 days/),
      expect.stringMatching(/^runbooks\/webhooks\.ts: 2: .*extra/),
    ]);
    expect(
      problems([
        { id: 'twice', url: 'https://a.test', events: '*', secret: 'A' },
        { id: 'twice', url: 'https://b.test', events: '*', secret: 'B' },
      ]),
    ).toEqual(['runbooks/webhooks.ts: 1.id: "twice" is used twice']);
    expect(problems([{ id: 'creds', url: 'https://user:pw@a.test/h', events: '*', secret: 'A' }])).toEqual([
      'runbooks/webhooks.ts: 0.url: no user or password in the URL (requests cannot carry them)',
    ]);
  });

  it('reads each secret from the variable it names, and names the variable (never a value) when one is missing or malformed', () => {
    const { webhooks } = loadOperatorConfig(
      files([
        { id: 'a', url: 'https://a.test', events: '*', secret: 'SECRET_A' },
        { id: 'b', url: 'https://b.test', events: '*', secret: 'SECRET_B' },
        { id: 'c', url: 'https://c.test', events: '*', secret: 'SECRET_C' },
      ]),
    );
    const secrets = loadWebhookSecrets(webhooks, { SECRET_A: SECRET, SECRET_B: SECRET, SECRET_C: SECRET });
    expect(secrets.get('a')?.reveal()).toBe(SECRET);
    expect(JSON.stringify([...secrets.values()])).not.toContain(SECRET);

    const leaked = 'not-a-secret-format-value-xyz';
    let thrown: unknown;
    try {
      loadWebhookSecrets(webhooks, { SECRET_B: leaked, SECRET_C: `whsec_${Buffer.alloc(8).toString('base64')}` });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).problems).toEqual([
      'runbooks/webhooks.ts: 0.secret (subscription "a"): environment variable SECRET_A is not set',
      'runbooks/webhooks.ts: 1.secret (subscription "b"): environment variable SECRET_B does not start with whsec_ (a Standard Webhooks secret is whsec_<base64>)',
      'runbooks/webhooks.ts: 2.secret (subscription "c"): environment variable SECRET_C holds a key of 8 bytes; the key must be 24 to 512 bytes',
    ]);
    expect((thrown as Error).message).not.toContain(leaked);
  });

  it('reads durations', () => {
    expect([durationMs('24 hours'), durationMs('2 days'), durationMs('90s'), durationMs(1500), durationMs('soon')]).toEqual([86_400_000, 172_800_000, 90_000, 1500, undefined]);
  });
});
