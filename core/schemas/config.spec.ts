import { ConfigError, loadConfig } from './config';

/** A key as `openssl rand -hex 20` makes one. */
const KEY = 'c2f1e0b7a4d94b1f8e6a3c5d7b9f0e21a8c4d6e3';

describe('loadConfig', () => {
  it('fills every default from an empty environment', () => {
    expect(loadConfig({})).toEqual({
      ackSigningSecret: undefined,
      publicUrl: 'http://127.0.0.1:3000',
      port: 3000,
      host: '127.0.0.1',
      temporal: { address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'firebreak' },
      dataDir: '.data',
      apiKeys: undefined,
      logLevel: 'info',
      alertAckTimeoutMs: 10_000,
      alertDeliveryConcurrency: 2,
      alertQueueRecoveryMs: 10_000,
      alertMaxPending: 50_000,
      temporalRpcTimeoutMs: 5_000,
      incidentMaxHistoryEvents: 10_000,
      incidentEventsPollMs: 1_000,
      statusCacheMs: 5_000,
      readyzCacheMs: 1_000,
      incidentEventsMaxStreams: 500,
      incidentEventsMaxStreamsPerKey: 20,
      rateLimitPerMinute: 600,
      rateLimitPerKeyPerMinute: 6_000,
      rateLimitAlertsPerMinute: 0,
      grafanaWebhookSecret: undefined,
      snsTopicArns: undefined,
      snsAllowSignatureV1: false,
      publicDocs: false,
      publicMetrics: false,
      temporalRetentionDays: 30,
      sessionTtlHours: 12,
      sessionRevocationCacheMs: 5_000,
      webRoot: 'apps/web/dist',
    });
  });

  it('names each bad variable and its rule', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', TEMPORAL_ADDRESS: 'nowhere', LOG_LEVEL: 'loud' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^PORT: .*number.*\(got "eighty"\)$/);
    expect(problems[1]).toMatch(/^TEMPORAL_ADDRESS: must be host:port/);
    expect(problems[2]).toMatch(/^LOG_LEVEL: .*"debug"/);
  });

  it('treats a blank variable as unset', () => {
    expect(loadConfig({ PORT: '' }).port).toBe(3000);
  });

  it('serves the worker\'s metrics only on a WORKER_METRICS_PORT that is a port', () => {
    expect(loadConfig({}).workerMetricsPort).toBeUndefined();
    expect(loadConfig({ WORKER_METRICS_PORT: '9464' }).workerMetricsPort).toBe(9464);
    for (const bad of ['0', '65536', 'metrics', '94.64']) {
      expect(() => loadConfig({ WORKER_METRICS_PORT: bad })).toThrow(/WORKER_METRICS_PORT: /);
    }
  });

  it('never shows an API key in its error', () => {
    expect(() => loadConfig({ API_KEYS: 'ci:superuser:hunter2-secret-value' })).toThrow(/API_KEYS: .*role must be one of sender, viewer, responder, commander, admin/);
    for (const API_KEYS of ['ci:superuser:hunter2-secret-value', 'ci:admin:hunter2', 'ci:admin:hunter2-hunter2-hunter2-hunter2-hunter2']) {
      try {
        loadConfig({ API_KEYS });
      } catch (error) {
        expect((error as Error).message).not.toContain('hunter2');
      }
    }
  });

  it('refuses at start a short or example key, naming its entry', () => {
    expect(() => loadConfig({ API_KEYS: `ops:admin:${KEY},alertmanager:sender:s3cr3t` })).toThrow(
      /API_KEYS: entry 2 \(alertmanager\): key must be at least 32 characters/,
    );
    expect(() => loadConfig({ API_KEYS: 'oncall:admin:change-me-please-change-me-please-0000' })).toThrow(/API_KEYS: entry 1 \(oncall\): key contains "changeme"/);
  });

  it('reads keys as themselves and as digests, two per name for rotation', () => {
    const digest = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
    expect(loadConfig({ API_KEYS: `ci:sender:${KEY},ci:sender:sha256:${digest}` }).apiKeys).toEqual([
      { name: 'ci', role: 'sender', key: KEY },
      { name: 'ci', role: 'sender', sha256: digest },
    ]);
  });

  it('reads PUBLIC_DOCS, PUBLIC_METRICS and SNS_ALLOW_SIGNATURE_V1 as true or false', () => {
    expect(loadConfig({ PUBLIC_DOCS: 'true', PUBLIC_METRICS: 'true', SNS_ALLOW_SIGNATURE_V1: 'true' })).toMatchObject({
      publicDocs: true,
      publicMetrics: true,
      snsAllowSignatureV1: true,
    });
    expect(loadConfig({ PUBLIC_DOCS: 'false' })).toMatchObject({ publicDocs: false, publicMetrics: false, snsAllowSignatureV1: false });
    expect(() => loadConfig({ PUBLIC_DOCS: 'yes', PUBLIC_METRICS: '1' })).toThrow(/PUBLIC_DOCS: must be true or false[\s\S]*PUBLIC_METRICS: must be true or false/);
  });
});
