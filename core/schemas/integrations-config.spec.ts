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
      kubernetes: { provider: 'local' },
      slackDm: { provider: 'local' },
      email: { provider: 'local' },
      sms: { provider: 'local' },
      voice: { provider: 'local' },
      ssm: { provider: 'local' },
      http: { allowedHosts: [], secrets: new Map(), maxResponseBytes: 262_144 },
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

  describe('Microsoft Teams (CHAT_PROVIDER=teams, VIDEO_PROVIDER=teams)', () => {
    const teams = {
      TEAMS_TENANT_ID: 'contoso.onmicrosoft.com',
      TEAMS_CLIENT_ID: '66666666-7777-8888-9999-000000000000',
      TEAMS_CLIENT_SECRET: 'teams-client-secret-value',
      TEAMS_TEAM_ID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      TEAMS_CHANNEL_OWNER_ID: '0a0a0a0a-0000-4000-8000-000000000001',
      TEAMS_MEETING_ORGANIZER_ID: '0a0a0a0a-0000-4000-8000-000000000002',
    };

    it('reads one app registration for chat and video, with Graph, login and bot service URLs defaulted, and never prints the secret', () => {
      const config = loadIntegrationsConfig({ CHAT_PROVIDER: 'teams', VIDEO_PROVIDER: 'teams', ...teams });
      expect(config.chat).toMatchObject({
        provider: 'teams',
        tenantId: 'contoso.onmicrosoft.com',
        clientId: teams.TEAMS_CLIENT_ID,
        teamId: teams.TEAMS_TEAM_ID,
        publicChannels: true,
        channelOwnerId: teams.TEAMS_CHANNEL_OWNER_ID,
        graphUrl: 'https://graph.microsoft.com/v1.0/',
        loginUrl: 'https://login.microsoftonline.com/',
        botServiceUrl: 'https://smba.trafficmanager.net/teams/',
      });
      expect(config.video).toMatchObject({ provider: 'teams', organizerId: teams.TEAMS_MEETING_ORGANIZER_ID, graphUrl: 'https://graph.microsoft.com/v1.0/' });
      expect((config.video as { clientSecret: Secret }).clientSecret.reveal()).toBe('teams-client-secret-value');
      expect(JSON.stringify(config)).not.toContain('teams-client-secret-value');
      const sovereign = loadIntegrationsConfig({
        CHAT_PROVIDER: 'teams',
        ...teams,
        TEAMS_PUBLIC_CHANNELS: 'false',
        TEAMS_GRAPH_URL: 'https://graph.microsoft.us/v1.0',
        TEAMS_LOGIN_URL: 'https://login.microsoftonline.us',
        TEAMS_BOT_SERVICE_URL: 'https://smba.infra.gov.teams.microsoft.us/teams',
      });
      expect(sovereign.chat).toMatchObject({
        publicChannels: false,
        graphUrl: 'https://graph.microsoft.us/v1.0/',
        loginUrl: 'https://login.microsoftonline.us/',
        botServiceUrl: 'https://smba.infra.gov.teams.microsoft.us/teams/',
      });
    });

    it('names each missing setting: the app for either, the team and channel owner for chat, the organizer for video', () => {
      expect(problemsOf({ CHAT_PROVIDER: 'teams', VIDEO_PROVIDER: 'teams', TEAMS_PUBLIC_CHANNELS: 'false' })).toEqual([
        'TEAMS_TENANT_ID: required when CHAT_PROVIDER=teams',
        'TEAMS_CLIENT_ID: required when CHAT_PROVIDER=teams',
        'TEAMS_CLIENT_SECRET: required when CHAT_PROVIDER=teams',
        'TEAMS_TEAM_ID: required when CHAT_PROVIDER=teams',
        'TEAMS_CHANNEL_OWNER_ID: required when CHAT_PROVIDER=teams and TEAMS_PUBLIC_CHANNELS=false (a private channel needs a user as its owner)',
        'TEAMS_MEETING_ORGANIZER_ID: required when VIDEO_PROVIDER=teams',
      ]);
      const withoutOwner = { ...teams, TEAMS_CHANNEL_OWNER_ID: '' };
      // Standard channels, the default, need no owner.
      expect(loadIntegrationsConfig({ CHAT_PROVIDER: 'teams', ...withoutOwner }).chat).toMatchObject({ publicChannels: true });
    });

    it('names malformed ids and URLs, showing the value except for the secret', () => {
      expect(
        problemsOf({
          CHAT_PROVIDER: 'teams',
          ...teams,
          TEAMS_TENANT_ID: 'not a tenant',
          TEAMS_CLIENT_ID: 'my-app',
          TEAMS_TEAM_ID: '19:abc@thread.tacv2',
          TEAMS_MEETING_ORGANIZER_ID: 'bridge@contoso.com',
          TEAMS_PUBLIC_CHANNELS: 'maybe',
          TEAMS_GRAPH_URL: 'graph.microsoft.com',
          TEAMS_BOT_SERVICE_URL: 'smba.trafficmanager.net/teams/',
        }),
      ).toEqual([
        'TEAMS_TENANT_ID: must be a tenant id (a GUID) or the tenant\'s domain, e.g. contoso.onmicrosoft.com (got "not a tenant")',
        'TEAMS_CLIENT_ID: must be the app registration\'s application (client) id: a GUID such as 00000000-0000-0000-0000-000000000000 (got "my-app")',
        'TEAMS_TEAM_ID: must be the team\'s id (its Microsoft 365 group id): a GUID such as 00000000-0000-0000-0000-000000000000 (got "19:abc@thread.tacv2")',
        'TEAMS_PUBLIC_CHANNELS: must be true or false (got "maybe")',
        'TEAMS_MEETING_ORGANIZER_ID: must be the organizer\'s user object id: a GUID such as 00000000-0000-0000-0000-000000000000 (got "bridge@contoso.com")',
        'TEAMS_GRAPH_URL: must be an http(s) URL (got "graph.microsoft.com")',
        'TEAMS_BOT_SERVICE_URL: must be an http(s) URL (got "smba.trafficmanager.net/teams/")',
      ]);
    });
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
    expect(config.email).toMatchObject({ provider: 'smtp', from: 'Firebreak <pager@acme.com>' });
    expect((config.email as { url: Secret }).url.reveal()).toBe('smtps://pager:smtp-secret-value@mail.acme.com:465');
    const twilio = { provider: 'twilio', accountSid: `AC${'0'.repeat(32)}`, from: '+14155550100', apiUrl: 'http://127.0.0.1:4010' };
    expect(config.sms).toMatchObject(twilio);
    expect(config.voice).toMatchObject(twilio);
    expect((config.sms as { authToken: Secret }).authToken.reveal()).toBe('twilio-secret-value');
    // Secrets stay wrapped: printing the settings never shows them.
    expect(JSON.stringify(config)).not.toMatch(/twilio-secret-value|smtp-secret-value|xoxb-1-secret/);
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

  it('reads Kubernetes: a kubeconfig file or the pod’s service account, a context, and the namespaces steps may act in', () => {
    expect(loadIntegrationsConfig({ KUBERNETES_PROVIDER: 'kubernetes', KUBERNETES_NAMESPACES: 'shop, payments,shop' }).kubernetes).toEqual({
      provider: 'kubernetes',
      inCluster: false,
      namespaces: ['shop', 'payments'],
      pollIntervalMs: 1_000,
    });
    expect(
      loadIntegrationsConfig({
        KUBERNETES_PROVIDER: 'kubernetes',
        KUBECONFIG: '/etc/firebreak/kubeconfig',
        KUBERNETES_CONTEXT: 'prod-eu',
        KUBERNETES_NAMESPACES: 'shop',
        KUBERNETES_POLL_INTERVAL_MS: '250',
      }).kubernetes,
    ).toEqual({ provider: 'kubernetes', kubeconfig: '/etc/firebreak/kubeconfig', inCluster: false, context: 'prod-eu', namespaces: ['shop'], pollIntervalMs: 250 });
    expect(loadIntegrationsConfig({ KUBERNETES_PROVIDER: 'kubernetes', KUBERNETES_IN_CLUSTER: 'true', KUBERNETES_NAMESPACES: 'shop' }).kubernetes).toMatchObject({ inCluster: true });
    expect(problemsOf({ KUBERNETES_PROVIDER: 'kubernetes' })).toEqual(['KUBERNETES_NAMESPACES: required when KUBERNETES_PROVIDER=kubernetes']);
    expect(problemsOf({ KUBERNETES_PROVIDER: 'kubernetes', KUBERNETES_NAMESPACES: 'Shop,kube_system' })).toEqual([
      'KUBERNETES_NAMESPACES: must be comma-separated Kubernetes namespaces (lower case letters, digits and -), e.g. shop,payments (got "Shop,kube_system")',
    ]);
    expect(problemsOf({ KUBERNETES_PROVIDER: 'kubernetes', KUBERNETES_NAMESPACES: 'shop', KUBERNETES_IN_CLUSTER: 'true', KUBECONFIG: '/k', KUBERNETES_CONTEXT: 'c' })).toEqual([
      "KUBECONFIG: must be unset when KUBERNETES_IN_CLUSTER=true (the pod's service account is used)",
      "KUBERNETES_CONTEXT: must be unset when KUBERNETES_IN_CLUSTER=true (the pod's service account is used)",
    ]);
    expect(problemsOf({ KUBERNETES_PROVIDER: 'k8s' })).toEqual(['KUBERNETES_PROVIDER: must be one of local, kubernetes (got "k8s")']);
  });

  it('reads SSM Run Command with the AWS region the ECS adapters use, an endpoint and a poll interval of its own', () => {
    expect(loadIntegrationsConfig({ SSM_PROVIDER: 'ssm', AWS_REGION: 'eu-west-1' }).ssm).toEqual({ provider: 'ssm', region: 'eu-west-1', pollIntervalMs: 1_000 });
    expect(loadIntegrationsConfig({ SSM_PROVIDER: 'ssm', AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:5000', SSM_POLL_INTERVAL_MS: '50' }).ssm).toEqual({
      provider: 'ssm',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:5000',
      pollIntervalMs: 50,
    });
    expect(problemsOf({ SSM_PROVIDER: 'ssm' })).toEqual(['AWS_REGION: required when SSM_PROVIDER=ssm']);
    expect(problemsOf({ SSM_PROVIDER: 'ssh' })).toEqual(['SSM_PROVIDER: must be one of local, ssm (got "ssh")']);
  });

  it('reads the HTTP step: allowed hosts normalized, its secrets by name (never printed), the answer cap', () => {
    const config = loadIntegrationsConfig({
      HTTP_STEP_ALLOWED_HOSTS: 'Payments.Internal., *.ops.example.com, 10.0.0.7, [::1]',
      HTTP_STEP_SECRETS: 'PAYMENTS_ADMIN_TOKEN, FLAGS_KEY',
      PAYMENTS_ADMIN_TOKEN: 'payments-secret-value',
      FLAGS_KEY: 'flags-secret-value',
      HTTP_STEP_MAX_RESPONSE_BYTES: '4096',
    });
    expect(config.http.allowedHosts).toEqual(['payments.internal', '*.ops.example.com', '10.0.0.7', '::1']);
    expect([...config.http.secrets.keys()]).toEqual(['PAYMENTS_ADMIN_TOKEN', 'FLAGS_KEY']);
    expect(config.http.secrets.get('PAYMENTS_ADMIN_TOKEN')?.reveal()).toBe('payments-secret-value');
    expect(config.http.maxResponseBytes).toBe(4096);
    expect(JSON.stringify(config)).not.toContain('secret-value');
  });

  it('refuses HTTP step hosts that are never reachable, and secrets it cannot keep', () => {
    expect(
      problemsOf({ HTTP_STEP_ALLOWED_HOSTS: '169.254.169.254,metadata.google.internal,[fd00:ec2::254],100.100.100.200,169.254.10.1,*.com,exa mple.com' }),
    ).toEqual([
      'HTTP_STEP_ALLOWED_HOSTS: 169.254.169.254 is a cloud metadata address, which no HTTP step may reach (got "169.254.169.254,metadata.google.internal,[fd00:ec2::254],100.100.100.200,169.254.10.1,*.com,exa mple.com")',
      'HTTP_STEP_ALLOWED_HOSTS: metadata.google.internal is a cloud metadata service, which no HTTP step may reach (got "169.254.169.254,metadata.google.internal,[fd00:ec2::254],100.100.100.200,169.254.10.1,*.com,exa mple.com")',
      'HTTP_STEP_ALLOWED_HOSTS: fd00:ec2::254 is a cloud metadata address, which no HTTP step may reach (got "169.254.169.254,metadata.google.internal,[fd00:ec2::254],100.100.100.200,169.254.10.1,*.com,exa mple.com")',
      'HTTP_STEP_ALLOWED_HOSTS: 100.100.100.200 is a cloud metadata address, which no HTTP step may reach (got "169.254.169.254,metadata.google.internal,[fd00:ec2::254],100.100.100.200,169.254.10.1,*.com,exa mple.com")',
      'HTTP_STEP_ALLOWED_HOSTS: 169.254.10.1 is a link-local address (169.254.0.0/16, fe80::/10), which no HTTP step may reach (got "169.254.169.254,metadata.google.internal,[fd00:ec2::254],100.100.100.200,169.254.10.1,*.com,exa mple.com")',
      'HTTP_STEP_ALLOWED_HOSTS: "*.com": a wildcard needs a domain of two labels or more, e.g. *.example.com (got "169.254.169.254,metadata.google.internal,[fd00:ec2::254],100.100.100.200,169.254.10.1,*.com,exa mple.com")',
      'HTTP_STEP_ALLOWED_HOSTS: "exa mple.com" is not a host name, *.domain or IP address (got "169.254.169.254,metadata.google.internal,[fd00:ec2::254],100.100.100.200,169.254.10.1,*.com,exa mple.com")',
    ]);
    const problems = problemsOf({
      HTTP_STEP_SECRETS: 'MISSING_TOKEN,SHORT_TOKEN,SLACK_BOT_TOKEN,API_KEYS,AWS_SECRET_ACCESS_KEY,TWO_LINES',
      SHORT_TOKEN: 'short',
      TWO_LINES: 'first-line\nsecond-line',
      API_KEYS: 'ops:admin:api-key-value',
    });
    expect(problems).toEqual([
      'MISSING_TOKEN: named in HTTP_STEP_SECRETS, but not set',
      'SHORT_TOKEN: must be at least 8 characters, so that it can be scrubbed from answers',
      "HTTP_STEP_SECRETS: SLACK_BOT_TOKEN is one of Firebreak's own settings; give the HTTP step a variable of its own",
      "HTTP_STEP_SECRETS: API_KEYS is one of Firebreak's own settings; give the HTTP step a variable of its own",
      "HTTP_STEP_SECRETS: AWS_SECRET_ACCESS_KEY is one of Firebreak's own settings; give the HTTP step a variable of its own",
      'TWO_LINES: must be one line (it is sent as a header value)',
    ]);
    expect(problems.join('\n')).not.toMatch(/short|first-line|api-key-value/);
    expect(problemsOf({ HTTP_STEP_SECRETS: 'payments-token' })).toEqual([
      'HTTP_STEP_SECRETS: must be comma-separated variable names (capital letters, digits and _) (got "payments-token")',
    ]);
  });

  it('refuses a room template without {token}: the link would be guessable', () => {
    expect(problemsOf({ VIDEO_ROOM_URL_TEMPLATE: 'https://meet.jit.si/firebreak-{incidentId}' })).toEqual([
      'VIDEO_ROOM_URL_TEMPLATE: must hold {token}, which makes the room link unguessable (got "https://meet.jit.si/firebreak-{incidentId}")',
    ]);
  });

  it('names invalid values, showing what was given except for secrets', () => {
    const problems = problemsOf({
      CHAT_PROVIDER: 'mattermost',
      JIRA_BASE_URL: 'ftp://jira',
      SLACK_BOT_TOKEN: 'not-a-slack-token-secret',
      VIDEO_ROOM_URL_TEMPLATE: 'https://meet.example.com/{room}',
      INTEGRATIONS_TIMEOUT_MS: '5',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'CHAT_PROVIDER: must be one of local, slack, teams (got "mattermost")',
        'JIRA_BASE_URL: must be an http(s) URL (got "ftp://jira")',
        'SLACK_BOT_TOKEN: must be a Slack token (xoxb-...)',
        'VIDEO_ROOM_URL_TEMPLATE: may only hold the placeholders {incidentId}, {token} and {key} (got "https://meet.example.com/{room}")',
        expect.stringMatching(/^INTEGRATIONS_TIMEOUT_MS: .* \(got "5"\)$/),
      ]),
    );
    expect(problems.join('\n')).not.toContain('not-a-slack-token-secret');
  });
});
