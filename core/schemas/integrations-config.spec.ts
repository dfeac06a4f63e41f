import { ConfigError } from './config';
import { loadIntegrationsConfig, type Secret } from './integrations-config';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadIntegrationsConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
};

describe('loadIntegrationsConfig', () => {
  it('puts every capability on its local adapter when nothing is set', () => {
    expect(loadIntegrationsConfig({})).toEqual({
      timeoutMs: 10_000,
      ticketing: { provider: 'local' },
      chat: { provider: 'local' },
      video: {
        provider: 'local',
        roomUrlTemplate: 'https://meet.jit.si/firebreak-{incidentId}-{token}',
        roomSecretFile: '.data/video-room-secret',
      },
      statusPage: { provider: 'local' },
      deploy: { provider: 'local' },
      scaling: { provider: 'local' },
      paging: { provider: 'local' },
      monitoring: { provider: 'local' },
      slackDm: { provider: 'local' },
      email: { provider: 'local' },
      sms: { provider: 'local' },
      voice: { provider: 'local' },
    });
  });

  it('reads each real adapter with its defaults, and keeps secrets out of print', () => {
    const config = loadIntegrationsConfig({
      TICKETING_PROVIDER: 'jira',
      JIRA_BASE_URL: 'https://acme.atlassian.net/',
      JIRA_EMAIL: 'bot@acme.com',
      JIRA_API_TOKEN: 'jira-secret-value',
      JIRA_PROJECT_KEY: 'OPS',
      CHAT_PROVIDER: 'slack',
      SLACK_BOT_TOKEN: 'xoxb-1-secret',
      VIDEO_PROVIDER: 'zoom',
      ZOOM_ACCOUNT_ID: 'a',
      ZOOM_CLIENT_ID: 'c',
      ZOOM_CLIENT_SECRET: 'zoom-secret-value',
      STATUSPAGE_PROVIDER: 'statuspage',
      STATUSPAGE_API_KEY: 'sp-secret-value',
      STATUSPAGE_PAGE_ID: 'p1',
      DEPLOY_PROVIDER: 'ecs',
      SCALING_PROVIDER: 'ecs',
      AWS_REGION: 'eu-west-1',
      PAGING_PROVIDER: 'pagerduty',
      PAGERDUTY_ROUTING_KEY: 'pd-secret-value',
    });
    expect(config.ticketing).toMatchObject({ baseUrl: 'https://acme.atlassian.net', issueType: 'Task', searchApi: 'jql', projectKey: 'OPS' });
    expect(config.chat).toMatchObject({ provider: 'slack', apiUrl: 'https://slack.com/api/', publicChannels: false });
    expect(config.video).toMatchObject({ apiUrl: 'https://api.zoom.us/v2', oauthUrl: 'https://zoom.us', userId: 'me' });
    expect(config.statusPage).toMatchObject({ apiUrl: 'https://api.statuspage.io/v1', pageId: 'p1' });
    expect(config.deploy).toEqual({ provider: 'ecs', region: 'eu-west-1', waitTimeoutMs: 600_000, pollIntervalMs: 5_000 });
    expect(config.paging).toMatchObject({ eventsUrl: 'https://events.pagerduty.com' });
    expect((config.ticketing as { apiToken: Secret }).apiToken.reveal()).toBe('jira-secret-value');
    const printed = `${JSON.stringify(config)} ${String((config.chat as { botToken: Secret }).botToken)}`;
    for (const secret of ['jira-secret-value', 'xoxb-1-secret', 'zoom-secret-value', 'sp-secret-value', 'pd-secret-value']) {
      expect(printed).not.toContain(secret);
    }
  });

  it('names every missing setting of a chosen adapter, and the rule', () => {
    expect(problemsOf({ TICKETING_PROVIDER: 'jira', DEPLOY_PROVIDER: 'ecs', SCALING_PROVIDER: 'ecs', PAGING_PROVIDER: 'pagerduty' })).toEqual([
      'JIRA_BASE_URL: required when TICKETING_PROVIDER=jira',
      'JIRA_EMAIL: required when TICKETING_PROVIDER=jira',
      'JIRA_API_TOKEN: required when TICKETING_PROVIDER=jira',
      'JIRA_PROJECT_KEY: required when TICKETING_PROVIDER=jira',
      'AWS_REGION: required when DEPLOY_PROVIDER=ecs',
      'PAGERDUTY_ROUTING_KEY: required when PAGING_PROVIDER=pagerduty, unless PAGERDUTY_SERVICE_KEYS gives each service its key',
    ]);
  });

  it('reads the privacy settings: room secret (never printed), its file under DATA_DIR, public Slack channels', () => {
    const config = loadIntegrationsConfig({ VIDEO_ROOM_SECRET: 'room-secret-0123456789', DATA_DIR: '/var/lib/firebreak/' });
    expect(config.video).toMatchObject({ provider: 'local', roomSecretFile: '/var/lib/firebreak/video-room-secret' });
    expect((config.video as { roomSecret: Secret }).roomSecret.reveal()).toBe('room-secret-0123456789');
    expect(JSON.stringify(config)).not.toContain('room-secret-0123456789');
    const slack = loadIntegrationsConfig({ CHAT_PROVIDER: 'slack', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_PUBLIC_CHANNELS: 'true' });
    expect(slack.chat).toMatchObject({ publicChannels: true });
    expect(problemsOf({ SLACK_PUBLIC_CHANNELS: 'yes', VIDEO_ROOM_SECRET: 'short' })).toEqual([
      'SLACK_PUBLIC_CHANNELS: must be true or false (got "yes")',
      'VIDEO_ROOM_SECRET: must be at least 16 characters',
    ]);
  });

  it('reads the notification channels: Slack DM on the chat token, SMTP, and one Twilio account for SMS and voice', () => {
    const config = loadIntegrationsConfig({
      SLACK_DM_PROVIDER: 'slack',
      SLACK_BOT_TOKEN: 'xoxb-1-secret',
      EMAIL_PROVIDER: 'smtp',
      SMTP_URL: 'smtps://pager:smtp-secret-value@mail.acme.com:465',
      SMTP_FROM: 'Firebreak <pager@acme.com>',
      SMS_PROVIDER: 'twilio',
      VOICE_PROVIDER: 'twilio',
      TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'twilio-secret-value',
      TWILIO_FROM: '+14155550100',
      TWILIO_API_URL: 'http://127.0.0.1:4010/',
    });
    expect(config.slackDm).toMatchObject({ provider: 'slack', apiUrl: 'https://slack.com/api/' });
    expect((config.slackDm as { botToken: Secret }).botToken.reveal()).toBe('xoxb-1-secret');
    expect(config.email).toEqual({ provider: 'smtp', url: 'smtps://pager:smtp-secret-value@mail.acme.com:465', from: 'Firebreak <pager@acme.com>' });
    const twilio = { provider: 'twilio', accountSid: `AC${'0'.repeat(32)}`, authToken: 'twilio-secret-value', from: '+14155550100', apiUrl: 'http://127.0.0.1:4010' };
    expect(config.sms).toEqual(twilio);
    expect(config.voice).toEqual(twilio);
    expect(loadIntegrationsConfig({ SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+14155550100' }).sms).not.toHaveProperty('apiUrl');

    expect(problemsOf({ SLACK_DM_PROVIDER: 'slack', EMAIL_PROVIDER: 'smtp', SMS_PROVIDER: 'twilio', VOICE_PROVIDER: 'twilio' })).toEqual([
      'SLACK_BOT_TOKEN: required when SLACK_DM_PROVIDER=slack',
      'SMTP_URL: required when EMAIL_PROVIDER=smtp',
      'SMTP_FROM: required when EMAIL_PROVIDER=smtp',
      'TWILIO_ACCOUNT_SID: required when SMS_PROVIDER=twilio',
      'TWILIO_AUTH_TOKEN: required when SMS_PROVIDER=twilio',
      'TWILIO_FROM: required when SMS_PROVIDER=twilio',
    ]);
    const problems = problemsOf({
      SMTP_URL: 'http://pager:smtp-secret-value@mail.acme.com',
      SMTP_FROM: 'pager',
      TWILIO_ACCOUNT_SID: 'SK123',
      TWILIO_FROM: '4155550100',
      SMS_PROVIDER: 'nexmo',
    });
    expect(problems).toEqual([
      'SMTP_URL: must be an smtp:// or smtps:// URL with a host',
      'SMTP_FROM: must be an email address, e.g. pager@acme.com or Firebreak <pager@acme.com> (got "pager")',
      'SMS_PROVIDER: must be one of local, twilio (got "nexmo")',
      'TWILIO_ACCOUNT_SID: must be a Twilio account SID: AC and 32 hex digits (got "SK123")',
      'TWILIO_FROM: must be a phone number in E.164 form, e.g. +14155550100 (got "4155550100")',
    ]);
    expect(problems.join('\n')).not.toContain('smtp-secret-value');
  });

  it('reads the deploy providers: GitHub and Octopus with their poll interval, Octopus in its space (key never printed)', () => {
    const github = loadIntegrationsConfig({ DEPLOY_PROVIDER: 'github', GITHUB_TOKEN: 'ghp_secret-value', DEPLOY_POLL_INTERVAL_MS: '250' });
    expect(github.deploy).toMatchObject({ provider: 'github', apiUrl: 'https://api.github.com', pollIntervalMs: 250 });
    const octopus = loadIntegrationsConfig({ DEPLOY_PROVIDER: 'octopus', OCTOPUS_URL: 'https://acme.octopus.app/', OCTOPUS_API_KEY: 'API-SECRETVALUE123' });
    expect(octopus.deploy).toMatchObject({ provider: 'octopus', url: 'https://acme.octopus.app', space: 'Default', pollIntervalMs: 1000 });
    expect((octopus.deploy as { apiKey: Secret }).apiKey.reveal()).toBe('API-SECRETVALUE123');
    expect(JSON.stringify(octopus)).not.toContain('API-SECRETVALUE123');
    expect(loadIntegrationsConfig({ DEPLOY_PROVIDER: 'octopus', OCTOPUS_URL: 'https://o.example', OCTOPUS_API_KEY: 'k', OCTOPUS_SPACE: 'Platform' }).deploy).toMatchObject({
      space: 'Platform',
    });
    expect(problemsOf({ DEPLOY_PROVIDER: 'octopus' })).toEqual([
      'OCTOPUS_URL: required when DEPLOY_PROVIDER=octopus',
      'OCTOPUS_API_KEY: required when DEPLOY_PROVIDER=octopus',
    ]);
    const problems = problemsOf({ DEPLOY_PROVIDER: 'octopus', OCTOPUS_URL: 'octopus.local', OCTOPUS_API_KEY: ' ', DEPLOY_POLL_INTERVAL_MS: '0' });
    expect(problems).toEqual([
      expect.stringMatching(/^DEPLOY_POLL_INTERVAL_MS: .* \(got "0"\)$/),
      'OCTOPUS_URL: must be an http(s) URL (got "octopus.local")',
    ]);
  });

  it('reads CloudWatch monitoring with the AWS region the ECS adapters use and an endpoint of its own', () => {
    expect(loadIntegrationsConfig({ MONITORING_PROVIDER: 'cloudwatch', AWS_REGION: 'eu-west-1' }).monitoring).toEqual({ provider: 'cloudwatch', region: 'eu-west-1' });
    const config = loadIntegrationsConfig({
      MONITORING_PROVIDER: 'cloudwatch',
      SCALING_PROVIDER: 'ecs',
      AWS_REGION: 'us-east-2',
      AWS_ENDPOINT_URL_CLOUDWATCH: 'http://127.0.0.1:4566',
    });
    expect(config.monitoring).toEqual({ provider: 'cloudwatch', region: 'us-east-2', endpoint: 'http://127.0.0.1:4566' });
    expect(config.scaling).toEqual({ provider: 'ecs', region: 'us-east-2', waitTimeoutMs: 600_000, pollIntervalMs: 5_000 });
    expect(problemsOf({ MONITORING_PROVIDER: 'cloudwatch' })).toEqual(['AWS_REGION: required when MONITORING_PROVIDER=cloudwatch']);
    expect(problemsOf({ MONITORING_PROVIDER: 'datadog' })).toEqual(['MONITORING_PROVIDER: must be one of local, cloudwatch (got "datadog")']);
    expect(problemsOf({ MONITORING_PROVIDER: 'cloudwatch', AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_CLOUDWATCH: 'ftp://x' })).toEqual([
      'AWS_ENDPOINT_URL_CLOUDWATCH: must be an http(s) URL (got "ftp://x")',
    ]);
  });

  it('refuses a room template without {token}: the link would be guessable', () => {
    expect(problemsOf({ VIDEO_ROOM_URL_TEMPLATE: 'https://meet.jit.si/firebreak-{incidentId}' })).toEqual([
      'VIDEO_ROOM_URL_TEMPLATE: must hold {token}, which makes the room link unguessable (got "https://meet.jit.si/firebreak-{incidentId}")',
    ]);
  });

  it('names invalid values, showing what was given except for secrets', () => {
    const problems = problemsOf({
      CHAT_PROVIDER: 'teams',
      JIRA_BASE_URL: 'ftp://jira',
      SLACK_BOT_TOKEN: 'not-a-slack-token-secret',
      VIDEO_ROOM_URL_TEMPLATE: 'https://meet.example.com/{room}',
      INTEGRATIONS_TIMEOUT_MS: '5',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'CHAT_PROVIDER: must be one of local, slack (got "teams")',
        'JIRA_BASE_URL: must be an http(s) URL (got "ftp://jira")',
        'SLACK_BOT_TOKEN: must be a Slack token (xoxb-...)',
        'VIDEO_ROOM_URL_TEMPLATE: may only hold the placeholders {incidentId}, {token} and {key} (got "https://meet.example.com/{room}")',
        expect.stringMatching(/^INTEGRATIONS_TIMEOUT_MS: .* \(got "5"\)$/),
      ]),
    );
    expect(problems.join('\n')).not.toContain('not-a-slack-token-secret');
  });
});
