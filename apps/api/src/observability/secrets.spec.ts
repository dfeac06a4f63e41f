import { loadConfig } from '../../../../core/schemas/config';
import { loadIntegrationsConfig, Secret } from '../../../../core/schemas/integrations-config';
import { secretValues } from './secrets';

describe('secretValues', () => {
  it('finds the configured secrets: API keys, secret settings, Secrets anywhere in the integration settings, URL passwords', () => {
    const env = {
      API_KEYS: 'ops:admin:Ad7Qm2Xv9Lk4Rt8Wn1Yb6Hj3Gf5Dc0Za,am:responder:Rs3Pq8Zn6Xv1Ks4Jt9Hm2Lb7Gf5Dc0Eb,am:responder:sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      ACK_SIGNING_SECRET: 'ack-signing-secret-0123456789abcdef0123',
      SLACK_SIGNING_SECRET: 'slack-signing-secret-0123',
      TICKETING_PROVIDER: 'jira',
      JIRA_BASE_URL: 'https://acme.atlassian.net',
      JIRA_EMAIL: 'ops@acme.test',
      JIRA_API_TOKEN: 'jira-api-token-0123',
      JIRA_PROJECT_KEY: 'OPS',
      EMAIL_PROVIDER: 'smtp',
      SMTP_URL: 'smtp://mailer:p%40ss-w0rd@smtp.acme.test:587',
      SMTP_FROM: 'firebreak@acme.test',
      WEBHOOK_ACME_SECRET: 'acme-webhook-signing-secret',
    };
    const config = loadConfig(env);
    const integrations = loadIntegrationsConfig(env);
    const secrets = secretValues({ config, settings: [integrations, new Map([['acme', new Secret('from-a-map-0123')]])], env });
    expect(secrets).toEqual(
      expect.arrayContaining([
        'Ad7Qm2Xv9Lk4Rt8Wn1Yb6Hj3Gf5Dc0Za',
        'Rs3Pq8Zn6Xv1Ks4Jt9Hm2Lb7Gf5Dc0Eb',
        'ack-signing-secret-0123456789abcdef0123',
        'slack-signing-secret-0123',
        'jira-api-token-0123',
        'smtp://mailer:p%40ss-w0rd@smtp.acme.test:587',
        'p%40ss-w0rd',
        'p@ss-w0rd',
        'acme-webhook-signing-secret',
        'from-a-map-0123',
      ]),
    );
    // Settings that are not secret stay readable in logs.
    for (const plain of ['ops@acme.test', 'https://acme.atlassian.net', 'OPS', 'jira', 'firebreak@acme.test']) expect(secrets).not.toContain(plain);
  });
});
