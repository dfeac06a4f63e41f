/**
 * Integration settings: which adapter each capability uses (`<CAPABILITY>_PROVIDER`,
 * default `local`) and what each real adapter needs. Pure: it reads the environment object
 * it is given, once, at boot; a configured real adapter that lacks a setting stops start-up
 * with a {@link ConfigError} naming every variable and its rule, never a secret's value.
 */
import { z } from 'zod';
import { ConfigError } from './config';

/**
 * A credential. It prints as `[secret]` (in logs, JSON and string templates) so that only
 * the code that sends it to its vendor ever sees the value, through {@link Secret.reveal}.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[secret]';
  }

  toJSON(): string {
    return '[secret]';
  }
}

export interface JiraSettings {
  provider: 'jira';
  /** e.g. `https://acme.atlassian.net`, or a Data Center URL with its context path. */
  baseUrl: string;
  email: string;
  apiToken: Secret;
  projectKey: string;
  /** @default Task */
  issueType: string;
  /**
   * `jql`: Jira Cloud's search (`/rest/api/2/search/jql`); `legacy`: Data Center and Server
   * (`/rest/api/2/search`), which Cloud has removed.
   * @default jql
   */
  searchApi: 'jql' | 'legacy';
}

export interface SlackSettings {
  provider: 'slack';
  botToken: Secret;
  /** @default https://slack.com/api/ */
  apiUrl: string;
  /** Create incident channels public (`SLACK_PUBLIC_CHANNELS=true`) instead of private. @default false */
  publicChannels: boolean;
}

export interface ZoomSettings {
  provider: 'zoom';
  accountId: string;
  clientId: string;
  clientSecret: Secret;
  /** @default https://api.zoom.us/v2 */
  apiUrl: string;
  /** @default https://zoom.us */
  oauthUrl: string;
  /** Whose meetings: a user id or email. @default me */
  userId: string;
}

export interface StatuspageSettings {
  provider: 'statuspage';
  apiKey: Secret;
  pageId: string;
  /** @default https://api.statuspage.io/v1 */
  apiUrl: string;
}

export interface GithubSettings {
  provider: 'github';
  token: Secret;
  /** @default https://api.github.com */
  apiUrl: string;
}

/** ECS through the AWS SDK; credentials come from the SDK's default chain. */
export interface EcsSettings {
  provider: 'ecs';
  region: string;
  /** `AWS_ENDPOINT_URL_ECS`: another ECS endpoint (a test server, a VPC endpoint). */
  endpoint?: string;
  /** How long a rollback or scale waits for the service to be stable. @default 600000 */
  waitTimeoutMs: number;
  /** @default 5000 */
  pollIntervalMs: number;
}

export interface PagerDutySettings {
  provider: 'pagerduty';
  routingKey: Secret;
  /** @default https://events.pagerduty.com (events go to `/v2/enqueue`) */
  eventsUrl: string;
}

/** The built-in video bridge: room links from a template, made unguessable with a keyed token. */
export interface LocalVideoSettings {
  provider: 'local';
  /**
   * The room link; `{incidentId}`, `{token}` (required: 32 hex digits of an HMAC of the
   * incident id) and `{key}` (a digest of the step's idempotency key) are filled in.
   * @default https://meet.jit.si/firebreak-{incidentId}-{token}
   */
  roomUrlTemplate: string;
  /** `VIDEO_ROOM_SECRET`, the HMAC key of `{token}`; when unset, one generated once into {@link roomSecretFile}. */
  roomSecret?: Secret;
  /** Where a generated room secret is kept: `DATA_DIR/video-room-secret`. */
  roomSecretFile: string;
}

export interface IntegrationsConfig {
  /** Deadline of each call to a vendor. @default 10000 */
  timeoutMs: number;
  ticketing: { provider: 'local' } | JiraSettings;
  chat: { provider: 'local' } | SlackSettings;
  video: LocalVideoSettings | ZoomSettings;
  statusPage: { provider: 'local' } | StatuspageSettings;
  deploy: { provider: 'local' } | GithubSettings | EcsSettings;
  scaling: { provider: 'local' } | EcsSettings;
  paging: { provider: 'local' } | PagerDutySettings;
}

/** Which variable picks each capability's adapter, and the adapters it may pick. */
export const PROVIDER_VARIABLES = {
  ticketing: { variable: 'TICKETING_PROVIDER', values: ['local', 'jira'] },
  chat: { variable: 'CHAT_PROVIDER', values: ['local', 'slack'] },
  video: { variable: 'VIDEO_PROVIDER', values: ['local', 'zoom'] },
  statusPage: { variable: 'STATUSPAGE_PROVIDER', values: ['local', 'statuspage'] },
  deploy: { variable: 'DEPLOY_PROVIDER', values: ['local', 'github', 'ecs'] },
  scaling: { variable: 'SCALING_PROVIDER', values: ['local', 'ecs'] },
  paging: { variable: 'PAGING_PROVIDER', values: ['local', 'pagerduty'] },
} as const;

/** What each real adapter cannot do without. */
const REQUIRED: Record<string, readonly string[]> = {
  jira: ['JIRA_BASE_URL', 'JIRA_EMAIL', 'JIRA_API_TOKEN', 'JIRA_PROJECT_KEY'],
  slack: ['SLACK_BOT_TOKEN'],
  zoom: ['ZOOM_ACCOUNT_ID', 'ZOOM_CLIENT_ID', 'ZOOM_CLIENT_SECRET'],
  statuspage: ['STATUSPAGE_API_KEY', 'STATUSPAGE_PAGE_ID'],
  github: ['GITHUB_TOKEN'],
  ecs: ['AWS_REGION'],
  pagerduty: ['PAGERDUTY_ROUTING_KEY'],
};

const SECRET_VARIABLES = new Set([
  'JIRA_API_TOKEN',
  'SLACK_BOT_TOKEN',
  'ZOOM_CLIENT_SECRET',
  'STATUSPAGE_API_KEY',
  'GITHUB_TOKEN',
  'PAGERDUTY_ROUTING_KEY',
  'VIDEO_ROOM_SECRET',
]);

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const text = z.string().trim().min(1);
const integer = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);
const provider = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` }).default(values[0]);

const ROOM_PLACEHOLDERS = /\{(\w+)\}/g;

export const IntegrationsEnvSchema = z.object({
  INTEGRATIONS_TIMEOUT_MS: integer(100, 300_000, 10_000),
  TICKETING_PROVIDER: provider(PROVIDER_VARIABLES.ticketing.values),
  JIRA_BASE_URL: httpUrl.optional(),
  JIRA_EMAIL: text.optional(),
  JIRA_API_TOKEN: text.optional(),
  JIRA_PROJECT_KEY: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{0,254}$/, 'must be a Jira project key: capital letters, digits and _, e.g. OPS')
    .optional(),
  JIRA_ISSUE_TYPE: text.default('Task'),
  JIRA_SEARCH_API: z.enum(['jql', 'legacy'], { error: 'must be jql (Jira Cloud) or legacy (Data Center)' }).default('jql'),
  CHAT_PROVIDER: provider(PROVIDER_VARIABLES.chat.values),
  SLACK_BOT_TOKEN: z.string().regex(/^xox[a-z]-\S+$/, 'must be a Slack token (xoxb-...)').optional(),
  SLACK_API_URL: httpUrl.default('https://slack.com/api/'),
  SLACK_PUBLIC_CHANNELS: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  VIDEO_PROVIDER: provider(PROVIDER_VARIABLES.video.values),
  ZOOM_ACCOUNT_ID: text.optional(),
  ZOOM_CLIENT_ID: text.optional(),
  ZOOM_CLIENT_SECRET: text.optional(),
  ZOOM_API_URL: httpUrl.default('https://api.zoom.us/v2'),
  ZOOM_OAUTH_URL: httpUrl.default('https://zoom.us'),
  ZOOM_USER_ID: text.default('me'),
  VIDEO_ROOM_URL_TEMPLATE: z
    .string()
    .default('https://meet.jit.si/firebreak-{incidentId}-{token}')
    .refine(
      (template) => [...template.matchAll(ROOM_PLACEHOLDERS)].every(([, name]) => ['incidentId', 'key', 'token'].includes(name)),
      'may only hold the placeholders {incidentId}, {token} and {key}',
    )
    .refine((template) => template.includes('{token}'), 'must hold {token}, which makes the room link unguessable')
    .refine((template) => httpUrl.safeParse(template.replace(ROOM_PLACEHOLDERS, 'x')).success, 'must be an http(s) URL'),
  VIDEO_ROOM_SECRET: z.string().trim().min(16, 'must be at least 16 characters').optional(),
  /** Shared with core/schemas/config.ts: where a generated room secret is kept. */
  DATA_DIR: z.string().min(1).default('.data'),
  STATUSPAGE_PROVIDER: provider(PROVIDER_VARIABLES.statusPage.values),
  STATUSPAGE_API_KEY: text.optional(),
  STATUSPAGE_PAGE_ID: text.optional(),
  STATUSPAGE_API_URL: httpUrl.default('https://api.statuspage.io/v1'),
  DEPLOY_PROVIDER: provider(PROVIDER_VARIABLES.deploy.values),
  GITHUB_TOKEN: text.optional(),
  GITHUB_API_URL: httpUrl.default('https://api.github.com'),
  SCALING_PROVIDER: provider(PROVIDER_VARIABLES.scaling.values),
  AWS_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region, e.g. eu-west-1').optional(),
  AWS_ENDPOINT_URL_ECS: httpUrl.optional(),
  ECS_WAIT_TIMEOUT_MS: integer(1_000, 3_600_000, 600_000),
  ECS_POLL_INTERVAL_MS: integer(10, 60_000, 5_000),
  PAGING_PROVIDER: provider(PROVIDER_VARIABLES.paging.values),
  PAGERDUTY_ROUTING_KEY: text.optional(),
  PAGERDUTY_EVENTS_URL: httpUrl.default('https://events.pagerduty.com'),
});

type Env = z.output<typeof IntegrationsEnvSchema>;

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * Validates the integration settings in `env` (pass `process.env` at boot); throws
 * {@link ConfigError} listing every missing or invalid variable.
 */
export function loadIntegrationsConfig(env: Record<string, string | undefined>): IntegrationsConfig {
  const shown = (name: string) => (SECRET_VARIABLES.has(name) ? '' : ` (got ${JSON.stringify(env[name])})`);
  const input = Object.fromEntries(
    Object.keys(IntegrationsEnvSchema.shape).map((name) => [name, env[name]?.trim() ? env[name] : undefined]),
  );
  const parsed = IntegrationsEnvSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        return `${name}: ${issue.message}${shown(name)}`;
      }),
    );
  }
  const values = parsed.data;
  const problems: string[] = [];
  for (const { variable } of Object.values(PROVIDER_VARIABLES)) {
    const chosen = values[variable as keyof Env] as string;
    for (const name of REQUIRED[chosen] ?? []) {
      const required = name as keyof Env;
      if (values[required] === undefined && !problems.some((problem) => problem.startsWith(`${name}:`))) {
        problems.push(`${name}: required when ${variable}=${chosen}`);
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return toConfig(values);
}

function toConfig(values: Env): IntegrationsConfig {
  // Checked above: every variable a chosen adapter requires is present.
  const need = <K extends keyof Env>(name: K) => values[name] as NonNullable<Env[K]>;
  const ecs = (): EcsSettings => ({
    provider: 'ecs',
    region: need('AWS_REGION'),
    ...(values.AWS_ENDPOINT_URL_ECS ? { endpoint: values.AWS_ENDPOINT_URL_ECS } : {}),
    waitTimeoutMs: values.ECS_WAIT_TIMEOUT_MS,
    pollIntervalMs: values.ECS_POLL_INTERVAL_MS,
  });
  return {
    timeoutMs: values.INTEGRATIONS_TIMEOUT_MS,
    ticketing:
      values.TICKETING_PROVIDER === 'jira'
        ? {
            provider: 'jira',
            baseUrl: withoutTrailingSlash(need('JIRA_BASE_URL')),
            email: need('JIRA_EMAIL'),
            apiToken: new Secret(need('JIRA_API_TOKEN')),
            projectKey: need('JIRA_PROJECT_KEY'),
            issueType: values.JIRA_ISSUE_TYPE,
            searchApi: values.JIRA_SEARCH_API,
          }
        : { provider: 'local' },
    chat:
      values.CHAT_PROVIDER === 'slack'
        ? {
            provider: 'slack',
            botToken: new Secret(need('SLACK_BOT_TOKEN')),
            apiUrl: `${withoutTrailingSlash(values.SLACK_API_URL)}/`,
            publicChannels: values.SLACK_PUBLIC_CHANNELS === 'true',
          }
        : { provider: 'local' },
    video:
      values.VIDEO_PROVIDER === 'zoom'
        ? {
            provider: 'zoom',
            accountId: need('ZOOM_ACCOUNT_ID'),
            clientId: need('ZOOM_CLIENT_ID'),
            clientSecret: new Secret(need('ZOOM_CLIENT_SECRET')),
            apiUrl: withoutTrailingSlash(values.ZOOM_API_URL),
            oauthUrl: withoutTrailingSlash(values.ZOOM_OAUTH_URL),
            userId: values.ZOOM_USER_ID,
          }
        : {
            provider: 'local',
            roomUrlTemplate: values.VIDEO_ROOM_URL_TEMPLATE,
            ...(values.VIDEO_ROOM_SECRET ? { roomSecret: new Secret(values.VIDEO_ROOM_SECRET) } : {}),
            roomSecretFile: `${values.DATA_DIR.replace(/\/+$/, '')}/video-room-secret`,
          },
    statusPage:
      values.STATUSPAGE_PROVIDER === 'statuspage'
        ? {
            provider: 'statuspage',
            apiKey: new Secret(need('STATUSPAGE_API_KEY')),
            pageId: need('STATUSPAGE_PAGE_ID'),
            apiUrl: withoutTrailingSlash(values.STATUSPAGE_API_URL),
          }
        : { provider: 'local' },
    deploy:
      values.DEPLOY_PROVIDER === 'github'
        ? { provider: 'github', token: new Secret(need('GITHUB_TOKEN')), apiUrl: withoutTrailingSlash(values.GITHUB_API_URL) }
        : values.DEPLOY_PROVIDER === 'ecs'
          ? ecs()
          : { provider: 'local' },
    scaling: values.SCALING_PROVIDER === 'ecs' ? ecs() : { provider: 'local' },
    paging:
      values.PAGING_PROVIDER === 'pagerduty'
        ? {
            provider: 'pagerduty',
            routingKey: new Secret(need('PAGERDUTY_ROUTING_KEY')),
            eventsUrl: withoutTrailingSlash(values.PAGERDUTY_EVENTS_URL),
          }
        : { provider: 'local' },
  };
}

/** All capabilities on their built-in local adapters: what Firebreak runs with no settings. */
export const localIntegrations = (): IntegrationsConfig => loadIntegrationsConfig({});
