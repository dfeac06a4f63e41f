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
      'PAGERDUTY_ROUTING_KEY: required when PAGING_PROVIDER=pagerduty',
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
