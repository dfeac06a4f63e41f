import { ConfigError, loadConfig, parseApiKeys } from './config';

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

  it('never shows an API key in its error', () => {
    expect(() => loadConfig({ API_KEYS: 'ci:superuser:hunter2-secret-value' })).toThrow(/API_KEYS: .*role must be one of viewer, responder, admin/);
    try {
      loadConfig({ API_KEYS: 'ci:superuser:hunter2-secret-value' });
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});

describe('parseApiKeys', () => {
  it('reads name:role:key triples, keys may hold colons', () => {
    expect(parseApiKeys('alertmanager:responder:s3cr3t-key, ops:admin:a:b:c:d:e:f')).toEqual([
      { name: 'alertmanager', role: 'responder', key: 's3cr3t-key' },
      { name: 'ops', role: 'admin', key: 'a:b:c:d:e:f' },
    ]);
  });

  it.each([
    ['alertmanager:responder', /entry 1 must be name:role:key/],
    ['bad name:viewer:12345678', /name "bad name"/],
    ['a:viewer:short', /at least 8 characters/],
    ['a:viewer:12345678,b:admin:12345678', /already used/],
    [' , ', /at least one/],
  ])('refuses %j', (value, message) => {
    expect(() => parseApiKeys(value)).toThrow(message);
  });
});
