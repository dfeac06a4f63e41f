/**
 * Integration settings: which adapter each capability uses (`<CAPABILITY>_PROVIDER`,
 * default `local`) and what each real adapter needs. Pure: it reads the environment object
 * it is given, once, at boot; a configured real adapter that lacks a setting stops start-up
 * with a {@link ConfigError} naming every variable and its rule, never a secret's value.
 */
import { z } from 'zod';
import { ConfigError, ConfigSchema } from './config';
import { Secret } from './secret';

export { Secret };
import { parseTarget } from '../model/oncall/targets';
import { allowedHostProblem, parseAllowedHosts } from './capabilities/http-hosts';
import type { EscalationPolicy } from './operator-config';

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

/**
 * Microsoft Graph with an app-only token (OAuth2 client credentials), shared by the Teams
 * chat and video adapters.
 */
export interface TeamsConnection {
  /** `TEAMS_TENANT_ID`: the Entra ID tenant (its id, or a domain such as `contoso.onmicrosoft.com`). */
  tenantId: string;
  /** `TEAMS_CLIENT_ID`: the app registration's application (client) id. */
  clientId: string;
  /** `TEAMS_CLIENT_SECRET`: the app's client secret; never printed. */
  clientSecret: Secret;
  /** `TEAMS_GRAPH_URL`, ending in `/`. @default https://graph.microsoft.com/v1.0/ */
  graphUrl: string;
  /** `TEAMS_LOGIN_URL`, ending in `/`; tokens from `<url><tenant>/oauth2/v2.0/token`. @default https://login.microsoftonline.com/ */
  loginUrl: string;
}

/** Incident channels in one team (`CHAT_PROVIDER=teams`). */
export interface TeamsChatSettings extends TeamsConnection {
  provider: 'teams';
  /** `TEAMS_TEAM_ID`: the team incident channels are made in (its group id). */
  teamId: string;
  /** Standard channels, open to the team's members (`TEAMS_PUBLIC_CHANNELS`, the default): a Teams bot cannot post in a private channel. @default true */
  publicChannels: boolean;
  /** `TEAMS_CHANNEL_OWNER_ID`: the user who owns private channels (an app alone cannot). Required unless {@link publicChannels}. */
  channelOwnerId?: string;
  /**
   * `TEAMS_BOT_SERVICE_URL`, ending in `/`: the Bot Framework Connector messages are posted
   * through, as the app's bot. @default https://smba.trafficmanager.net/teams/
   */
  botServiceUrl: string;
}

/** Teams meetings (`VIDEO_PROVIDER=teams`). */
export interface TeamsVideoSettings extends TeamsConnection {
  provider: 'teams';
  /** `TEAMS_MEETING_ORGANIZER_ID`: the user (object id) meetings are made for; an application access policy must allow the app. */
  organizerId: string;
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
  /** `DEPLOY_POLL_INTERVAL_MS`: the first pause between looks at a rollback's statuses (doubling up to 5 s). @default 1000 */
  pollIntervalMs: number;
}

/** Octopus Deploy through its official client; a deploy target's scope is the project, its environment Octopus's. */
export interface OctopusSettings {
  provider: 'octopus';
  /** `OCTOPUS_URL`: the server, e.g. `https://acme.octopus.app`. */
  url: string;
  /** `OCTOPUS_API_KEY`: sent as `X-Octopus-ApiKey`; never printed. */
  apiKey: Secret;
  /** `OCTOPUS_SPACE`: the space's name. @default Default */
  space: string;
  /** `DEPLOY_POLL_INTERVAL_MS`: the first pause between looks at a deployment's task (doubling up to 5 s). @default 1000 */
  pollIntervalMs: number;
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

/**
 * CloudWatch alarms through the AWS SDK (`MONITORING_PROVIDER=cloudwatch`): the region and
 * credentials chain the ECS adapters use, and an endpoint of its own.
 */
export interface CloudWatchSettings {
  provider: 'cloudwatch';
  /** `AWS_REGION`, shared with ECS. */
  region: string;
  /** `AWS_ENDPOINT_URL_CLOUDWATCH`: another CloudWatch endpoint (a test server, a VPC endpoint). */
  endpoint?: string;
}

/**
 * Kubernetes through `@kubernetes/client-node` (`KUBERNETES_PROVIDER=kubernetes`): a
 * kubeconfig file or the pod's service account, and the namespaces steps may act in.
 */
export interface KubernetesSettings {
  provider: 'kubernetes';
  /** `KUBECONFIG`: the kubeconfig file (one path). @default `~/.kube/config`, unless {@link inCluster} */
  kubeconfig?: string;
  /** `KUBERNETES_IN_CLUSTER=true`: the service account of the pod the worker runs in. @default false */
  inCluster: boolean;
  /** `KUBERNETES_CONTEXT`: the kubeconfig context to use. @default the file's `current-context` */
  context?: string;
  /** `KUBERNETES_NAMESPACES`: the only namespaces steps may read or change; a step on another is refused. */
  namespaces: readonly string[];
  /** `KUBERNETES_POLL_INTERVAL_MS`: the first pause between looks at a rollout (doubling up to 5 s). @default 1000 */
  pollIntervalMs: number;
}

/**
 * AWS Systems Manager Run Command through the AWS SDK (`SSM_PROVIDER=ssm`): the region and
 * credentials chain the ECS adapters use, and an endpoint of its own.
 */
export interface SsmSettings {
  provider: 'ssm';
  /** `AWS_REGION`, shared with ECS. */
  region: string;
  /** `AWS_ENDPOINT_URL_SSM`: another SSM endpoint (a test server, a VPC endpoint). */
  endpoint?: string;
  /** `SSM_POLL_INTERVAL_MS`: the first pause between looks at a command (doubling up to 5 s). @default 1000 */
  pollIntervalMs: number;
}

/**
 * The built-in HTTP step (`ctx.http.request`): the hosts it may reach, the secrets it may
 * send, and how much of an answer it keeps. With no allowed hosts it refuses every request.
 */
export interface HttpStepSettings {
  /**
   * `HTTP_STEP_ALLOWED_HOSTS`: host names, `*.example.com` (any name under example.com) and IP
   * literals, normalized (lower case, no brackets). Empty: every request is refused.
   */
  allowedHosts: readonly string[];
  /** `HTTP_STEP_SECRETS`: the variables it names, read once at boot, by name. */
  secrets: ReadonlyMap<string, Secret>;
  /** `HTTP_STEP_MAX_RESPONSE_BYTES`: the most of an answer's body kept; the rest is cut. @default 262144 */
  maxResponseBytes: number;
}

export interface PagerDutySettings {
  provider: 'pagerduty';
  /** The default routing key: for plain pager targets and levels naming no `pagerduty:` service. */
  routingKey?: Secret;
  /** `PAGERDUTY_SERVICE_KEYS`: the routing key of each service a `pagerduty:<service>` target names. */
  services: ReadonlyMap<string, Secret>;
  /** @default https://events.pagerduty.com (events go to `/v2/enqueue`) */
  eventsUrl: string;
}

/** Slack direct messages to people: the chat adapter's bot token and API URL (`SLACK_DM_PROVIDER=slack`). */
export type SlackDmSettings = Pick<SlackSettings, 'provider' | 'botToken' | 'apiUrl'>;

/** Email over SMTP (`EMAIL_PROVIDER=smtp`). */
export interface SmtpSettings {
  provider: 'smtp';
  /** `SMTP_URL`: `smtp://user:password@host:587` or `smtps://…:465`; may hold a password, so never printed. */
  url: Secret;
  /** `SMTP_FROM`: the sender, e.g. `Firebreak <pager@acme.com>`. */
  from: string;
}

/** SMS and voice calls through Twilio (`SMS_PROVIDER=twilio`, `VOICE_PROVIDER=twilio`). */
export interface TwilioSettings {
  provider: 'twilio';
  /** `TWILIO_ACCOUNT_SID`: `AC` and 32 hex digits. */
  accountSid: string;
  /** `TWILIO_AUTH_TOKEN`: signs API calls (HTTP Basic) and Twilio's webhooks; never printed. */
  authToken: Secret;
  /** `TWILIO_FROM`: the Twilio number messages and calls come from (E.164). */
  from: string;
  /** `TWILIO_API_URL`: another base URL for a test server or a proxy; unset, Twilio's own. */
  apiUrl?: string;
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
  chat: { provider: 'local' } | SlackSettings | TeamsChatSettings;
  video: LocalVideoSettings | ZoomSettings | TeamsVideoSettings;
  statusPage: { provider: 'local' } | StatuspageSettings;
  deploy: { provider: 'local' } | GithubSettings | EcsSettings | OctopusSettings;
  scaling: { provider: 'local' } | EcsSettings;
  paging: { provider: 'local' } | PagerDutySettings;
  /** Reading a service's alarms. */
  monitoring: { provider: 'local' } | CloudWatchSettings;
  /** Deployments on Kubernetes: describe, scale, restart, roll back. */
  kubernetes: { provider: 'local' } | KubernetesSettings;
  /** Notifying people: one adapter per contact method. */
  slackDm: { provider: 'local' } | SlackDmSettings;
  email: { provider: 'local' } | SmtpSettings;
  sms: { provider: 'local' } | TwilioSettings;
  voice: { provider: 'local' } | TwilioSettings;
  /** Running commands on instances (AWS Systems Manager Run Command). */
  ssm: { provider: 'local' } | SsmSettings;
  /** The built-in HTTP step: no provider to pick, only where it may go. */
  http: HttpStepSettings;
}

/** Which variable picks each capability's adapter, and the adapters it may pick. */
export const PROVIDER_VARIABLES = {
  ticketing: { variable: 'TICKETING_PROVIDER', values: ['local', 'jira'] },
  chat: { variable: 'CHAT_PROVIDER', values: ['local', 'slack', 'teams'] },
  video: { variable: 'VIDEO_PROVIDER', values: ['local', 'zoom', 'teams'] },
  statusPage: { variable: 'STATUSPAGE_PROVIDER', values: ['local', 'statuspage'] },
  deploy: { variable: 'DEPLOY_PROVIDER', values: ['local', 'github', 'ecs', 'octopus'] },
  scaling: { variable: 'SCALING_PROVIDER', values: ['local', 'ecs'] },
  paging: { variable: 'PAGING_PROVIDER', values: ['local', 'pagerduty'] },
  monitoring: { variable: 'MONITORING_PROVIDER', values: ['local', 'cloudwatch'] },
  kubernetes: { variable: 'KUBERNETES_PROVIDER', values: ['local', 'kubernetes'] },
  slackDm: { variable: 'SLACK_DM_PROVIDER', values: ['local', 'slack'] },
  email: { variable: 'EMAIL_PROVIDER', values: ['local', 'smtp'] },
  sms: { variable: 'SMS_PROVIDER', values: ['local', 'twilio'] },
  voice: { variable: 'VOICE_PROVIDER', values: ['local', 'twilio'] },
  ssm: { variable: 'SSM_PROVIDER', values: ['local', 'ssm'] },
} as const;

/** What each real adapter cannot do without. */
const REQUIRED: Record<string, readonly string[]> = {
  jira: ['JIRA_BASE_URL', 'JIRA_EMAIL', 'JIRA_API_TOKEN', 'JIRA_PROJECT_KEY'],
  slack: ['SLACK_BOT_TOKEN'],
  zoom: ['ZOOM_ACCOUNT_ID', 'ZOOM_CLIENT_ID', 'ZOOM_CLIENT_SECRET'],
  // What only chat or only video needs is checked below.
  teams: ['TEAMS_TENANT_ID', 'TEAMS_CLIENT_ID', 'TEAMS_CLIENT_SECRET'],
  statuspage: ['STATUSPAGE_API_KEY', 'STATUSPAGE_PAGE_ID'],
  github: ['GITHUB_TOKEN'],
  ecs: ['AWS_REGION'],
  cloudwatch: ['AWS_REGION'],
  ssm: ['AWS_REGION'],
  octopus: ['OCTOPUS_URL', 'OCTOPUS_API_KEY'],
  kubernetes: ['KUBERNETES_NAMESPACES'],
  // PagerDuty needs PAGERDUTY_ROUTING_KEY or PAGERDUTY_SERVICE_KEYS: checked below.
  pagerduty: [],
  smtp: ['SMTP_URL', 'SMTP_FROM'],
  twilio: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'],
};

const SECRET_VARIABLES = new Set([
  'JIRA_API_TOKEN',
  'SLACK_BOT_TOKEN',
  'ZOOM_CLIENT_SECRET',
  'TEAMS_CLIENT_SECRET',
  'STATUSPAGE_API_KEY',
  'GITHUB_TOKEN',
  'OCTOPUS_API_KEY',
  'PAGERDUTY_ROUTING_KEY',
  'PAGERDUTY_SERVICE_KEYS',
  'VIDEO_ROOM_SECRET',
  'SMTP_URL',
  'TWILIO_AUTH_TOKEN',
]);

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const text = z.string().trim().min(1);
const integer = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);
const provider = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` }).default(values[0]);

/** An Entra ID object or application id. */
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const guid = (what: string) => z.string().trim().regex(GUID, `must be ${what}: a GUID such as 00000000-0000-0000-0000-000000000000`);

const ROOM_PLACEHOLDERS = /\{(\w+)\}/g;

function isSmtpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
  } catch {
    return false;
  }
}

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
  TEAMS_TENANT_ID: z
    .string()
    .trim()
    .refine((value) => GUID.test(value) || /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i.test(value), 'must be a tenant id (a GUID) or the tenant\'s domain, e.g. contoso.onmicrosoft.com')
    .optional(),
  TEAMS_CLIENT_ID: guid("the app registration's application (client) id").optional(),
  TEAMS_CLIENT_SECRET: text.optional(),
  TEAMS_TEAM_ID: guid("the team's id (its Microsoft 365 group id)").optional(),
  TEAMS_PUBLIC_CHANNELS: z.enum(['true', 'false'], { error: 'must be true or false' }).default('true'),
  TEAMS_CHANNEL_OWNER_ID: guid("the channel owner's user object id").optional(),
  TEAMS_MEETING_ORGANIZER_ID: guid("the organizer's user object id").optional(),
  TEAMS_GRAPH_URL: httpUrl.default('https://graph.microsoft.com/v1.0/'),
  TEAMS_LOGIN_URL: httpUrl.default('https://login.microsoftonline.com/'),
  TEAMS_BOT_SERVICE_URL: httpUrl.default('https://smba.trafficmanager.net/teams/'),
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
  DEPLOY_POLL_INTERVAL_MS: integer(10, 60_000, 1_000),
  GITHUB_TOKEN: text.optional(),
  GITHUB_API_URL: httpUrl.default('https://api.github.com'),
  OCTOPUS_URL: httpUrl.optional(),
  OCTOPUS_API_KEY: text.optional(),
  OCTOPUS_SPACE: text.default('Default'),
  SCALING_PROVIDER: provider(PROVIDER_VARIABLES.scaling.values),
  AWS_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region, e.g. eu-west-1').optional(),
  AWS_ENDPOINT_URL_ECS: httpUrl.optional(),
  ECS_WAIT_TIMEOUT_MS: integer(1_000, 3_600_000, 600_000),
  ECS_POLL_INTERVAL_MS: integer(10, 60_000, 5_000),
  MONITORING_PROVIDER: provider(PROVIDER_VARIABLES.monitoring.values),
  AWS_ENDPOINT_URL_CLOUDWATCH: httpUrl.optional(),
  KUBERNETES_PROVIDER: provider(PROVIDER_VARIABLES.kubernetes.values),
  /** One kubeconfig file; unset, `~/.kube/config` (or the pod's service account with KUBERNETES_IN_CLUSTER). */
  KUBECONFIG: text.optional(),
  KUBERNETES_IN_CLUSTER: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  KUBERNETES_CONTEXT: text.optional(),
  /** The namespaces steps may act in, comma-separated. */
  KUBERNETES_NAMESPACES: z
    .string()
    .trim()
    .regex(
      /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\s*,\s*[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/,
      'must be comma-separated Kubernetes namespaces (lower case letters, digits and -), e.g. shop,payments',
    )
    .optional(),
  KUBERNETES_POLL_INTERVAL_MS: integer(10, 60_000, 1_000),
  PAGING_PROVIDER: provider(PROVIDER_VARIABLES.paging.values),
  PAGERDUTY_ROUTING_KEY: text.optional(),
  /** `service=routing-key` pairs, comma-separated: one Events API v2 key per PagerDuty service. */
  PAGERDUTY_SERVICE_KEYS: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}=[^,=\s]+(\s*,\s*[a-z0-9][a-z0-9-]{0,62}=[^,=\s]+)*$/, 'must be comma-separated service=routing-key pairs (service names as in pagerduty:<service> targets)')
    .optional(),
  PAGERDUTY_EVENTS_URL: httpUrl.default('https://events.pagerduty.com'),
  SLACK_DM_PROVIDER: provider(PROVIDER_VARIABLES.slackDm.values),
  EMAIL_PROVIDER: provider(PROVIDER_VARIABLES.email.values),
  SMTP_URL: z.string().trim().refine(isSmtpUrl, 'must be an smtp:// or smtps:// URL with a host').optional(),
  SMTP_FROM: z
    .string()
    .trim()
    .max(320)
    .regex(/^([^<>@\s]+@[^<>@\s]+|[^<>]*<[^<>@\s]+@[^<>@\s]+>)$/, 'must be an email address, e.g. pager@acme.com or Firebreak <pager@acme.com>')
    .optional(),
  SMS_PROVIDER: provider(PROVIDER_VARIABLES.sms.values),
  VOICE_PROVIDER: provider(PROVIDER_VARIABLES.voice.values),
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be a Twilio account SID: AC and 32 hex digits').optional(),
  TWILIO_AUTH_TOKEN: text.optional(),
  TWILIO_FROM: z.string().regex(/^\+[1-9]\d{1,14}$/, 'must be a phone number in E.164 form, e.g. +14155550100').optional(),
  TWILIO_API_URL: httpUrl.optional(),
  SSM_PROVIDER: provider(PROVIDER_VARIABLES.ssm.values),
  AWS_ENDPOINT_URL_SSM: httpUrl.optional(),
  SSM_POLL_INTERVAL_MS: integer(10, 60_000, 1_000),
  /** Comma-separated hosts the HTTP step may reach: names, `*.example.com`, IP literals. */
  HTTP_STEP_ALLOWED_HOSTS: z
    .string()
    .superRefine((text, context) => {
      for (const entry of parseAllowedHosts(text)) {
        const problem = allowedHostProblem(entry);
        if (problem) context.addIssue({ code: 'custom', message: problem });
      }
    })
    .optional(),
  /** Comma-separated names of the variables whose values the HTTP step may send (`secretHeaders`). */
  HTTP_STEP_SECRETS: z
    .string()
    .trim()
    .regex(/^[A-Z_][A-Z0-9_]{0,127}(\s*,\s*[A-Z_][A-Z0-9_]{0,127})*$/, 'must be comma-separated variable names (capital letters, digits and _)')
    .optional(),
  HTTP_STEP_MAX_RESPONSE_BYTES: integer(1_024, 1_048_576, 262_144),
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
  if (values.PAGING_PROVIDER === 'pagerduty' && values.PAGERDUTY_ROUTING_KEY === undefined && values.PAGERDUTY_SERVICE_KEYS === undefined) {
    problems.push('PAGERDUTY_ROUTING_KEY: required when PAGING_PROVIDER=pagerduty, unless PAGERDUTY_SERVICE_KEYS gives each service its key');
  }
  if (values.CHAT_PROVIDER === 'teams') {
    if (values.TEAMS_TEAM_ID === undefined) problems.push('TEAMS_TEAM_ID: required when CHAT_PROVIDER=teams');
    if (values.TEAMS_PUBLIC_CHANNELS === 'false' && values.TEAMS_CHANNEL_OWNER_ID === undefined) {
      problems.push('TEAMS_CHANNEL_OWNER_ID: required when CHAT_PROVIDER=teams and TEAMS_PUBLIC_CHANNELS=false (a private channel needs a user as its owner)');
    }
  }
  if (values.VIDEO_PROVIDER === 'teams' && values.TEAMS_MEETING_ORGANIZER_ID === undefined) {
    problems.push('TEAMS_MEETING_ORGANIZER_ID: required when VIDEO_PROVIDER=teams');
  }
  if (values.KUBERNETES_PROVIDER === 'kubernetes' && values.KUBERNETES_IN_CLUSTER === 'true') {
    for (const name of ['KUBECONFIG', 'KUBERNETES_CONTEXT'] as const) {
      if (values[name] !== undefined) problems.push(`${name}: must be unset when KUBERNETES_IN_CLUSTER=true (the pod's service account is used)`);
    }
  }
  const httpSecrets = readHttpSecrets(values.HTTP_STEP_SECRETS, env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return toConfig(values, httpSecrets);
}

/** Shorter secrets could not be told apart from ordinary text when they are scrubbed from answers. */
const HTTP_SECRET_MIN = 8;

/**
 * The variables `HTTP_STEP_SECRETS` names, read from `env`: each must be set, long enough to
 * scrub from answers, one line, and none of Firebreak's own settings (a runbook must not be
 * able to send those anywhere).
 */
function readHttpSecrets(names: string | undefined, env: Record<string, string | undefined>, problems: string[]): ReadonlyMap<string, Secret> {
  const secrets = new Map<string, Secret>();
  for (const name of (names ?? '').split(',').map((each) => each.trim()).filter(Boolean)) {
    const value = env[name];
    if (name in IntegrationsEnvSchema.shape || name in ConfigSchema.shape || name.startsWith('AWS_')) {
      problems.push(`HTTP_STEP_SECRETS: ${name} is one of Firebreak's own settings; give the HTTP step a variable of its own`);
    } else if (value === undefined || value.trim() === '') {
      problems.push(`${name}: named in HTTP_STEP_SECRETS, but not set`);
    } else if (value.length < HTTP_SECRET_MIN) {
      problems.push(`${name}: must be at least ${HTTP_SECRET_MIN} characters, so that it can be scrubbed from answers`);
    } else if (/[\r\n\0]/.test(value)) {
      problems.push(`${name}: must be one line (it is sent as a header value)`);
    } else {
      secrets.set(name, new Secret(value));
    }
  }
  return secrets;
}

/**
 * With PagerDuty configured, every `pagerduty:<service>` target in the escalation policies
 * needs its routing key: a missing one stops start-up (naming the policy's field) rather
 * than failing the first page at 3 a.m.
 */
export function checkPagerDutyTargets(policies: ReadonlyMap<string, EscalationPolicy>, paging: IntegrationsConfig['paging'], file = 'runbooks/escalation-policies.ts'): void {
  if (paging.provider !== 'pagerduty') return;
  const problems: string[] = [];
  for (const [name, policy] of policies) {
    const check = (path: string, targets: readonly string[]) =>
      targets.forEach((text, index) => {
        const target = parseTarget(text);
        if (target?.kind === 'pagerduty' && !paging.services.has(target.service)) {
          problems.push(`${file}: ${name}.${path}.${index}: PagerDuty service "${target.service}" has no routing key in PAGERDUTY_SERVICE_KEYS`);
        } else if ((target?.kind === 'pager') && !paging.routingKey) {
          problems.push(`${file}: ${name}.${path}.${index}: "${text}" pages PagerDuty's default key, and PAGERDUTY_ROUTING_KEY is unset`);
        }
      });
    policy.levels.forEach((level, index) => check(`levels.${index}.targets`, level.targets));
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

/** `payments=KEY1,platform=KEY2` as a map of secrets. */
function parseServiceKeys(text: string | undefined): ReadonlyMap<string, Secret> {
  const services = new Map<string, Secret>();
  for (const pair of text?.split(',') ?? []) {
    const [service, key] = pair.trim().split('=');
    services.set(service, new Secret(key));
  }
  return services;
}

function toConfig(values: Env, httpSecrets: ReadonlyMap<string, Secret>): IntegrationsConfig {
  // Checked above: every variable a chosen adapter requires is present.
  const need = <K extends keyof Env>(name: K) => values[name] as NonNullable<Env[K]>;
  const ecs = (): EcsSettings => ({
    provider: 'ecs',
    region: need('AWS_REGION'),
    ...(values.AWS_ENDPOINT_URL_ECS ? { endpoint: values.AWS_ENDPOINT_URL_ECS } : {}),
    waitTimeoutMs: values.ECS_WAIT_TIMEOUT_MS,
    pollIntervalMs: values.ECS_POLL_INTERVAL_MS,
  });
  const teams = (): TeamsConnection => ({
    tenantId: need('TEAMS_TENANT_ID'),
    clientId: need('TEAMS_CLIENT_ID'),
    clientSecret: new Secret(need('TEAMS_CLIENT_SECRET')),
    graphUrl: `${withoutTrailingSlash(values.TEAMS_GRAPH_URL)}/`,
    loginUrl: `${withoutTrailingSlash(values.TEAMS_LOGIN_URL)}/`,
  });
  const twilio = (): TwilioSettings => ({
    provider: 'twilio',
    accountSid: need('TWILIO_ACCOUNT_SID'),
    authToken: new Secret(need('TWILIO_AUTH_TOKEN')),
    from: need('TWILIO_FROM'),
    ...(values.TWILIO_API_URL ? { apiUrl: withoutTrailingSlash(values.TWILIO_API_URL) } : {}),
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
        : values.CHAT_PROVIDER === 'teams'
          ? {
              provider: 'teams',
              ...teams(),
              teamId: need('TEAMS_TEAM_ID'),
              publicChannels: values.TEAMS_PUBLIC_CHANNELS === 'true',
              ...(values.TEAMS_CHANNEL_OWNER_ID ? { channelOwnerId: values.TEAMS_CHANNEL_OWNER_ID } : {}),
              botServiceUrl: `${withoutTrailingSlash(values.TEAMS_BOT_SERVICE_URL)}/`,
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
        : values.VIDEO_PROVIDER === 'teams'
          ? { provider: 'teams', ...teams(), organizerId: need('TEAMS_MEETING_ORGANIZER_ID') }
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
        ? {
            provider: 'github',
            token: new Secret(need('GITHUB_TOKEN')),
            apiUrl: withoutTrailingSlash(values.GITHUB_API_URL),
            pollIntervalMs: values.DEPLOY_POLL_INTERVAL_MS,
          }
        : values.DEPLOY_PROVIDER === 'ecs'
          ? ecs()
          : values.DEPLOY_PROVIDER === 'octopus'
            ? {
                provider: 'octopus',
                url: withoutTrailingSlash(need('OCTOPUS_URL')),
                apiKey: new Secret(need('OCTOPUS_API_KEY')),
                space: values.OCTOPUS_SPACE,
                pollIntervalMs: values.DEPLOY_POLL_INTERVAL_MS,
              }
            : { provider: 'local' },
    scaling: values.SCALING_PROVIDER === 'ecs' ? ecs() : { provider: 'local' },
    paging:
      values.PAGING_PROVIDER === 'pagerduty'
        ? {
            provider: 'pagerduty',
            ...(values.PAGERDUTY_ROUTING_KEY ? { routingKey: new Secret(values.PAGERDUTY_ROUTING_KEY) } : {}),
            services: parseServiceKeys(values.PAGERDUTY_SERVICE_KEYS),
            eventsUrl: withoutTrailingSlash(values.PAGERDUTY_EVENTS_URL),
          }
        : { provider: 'local' },
    monitoring:
      values.MONITORING_PROVIDER === 'cloudwatch'
        ? {
            provider: 'cloudwatch',
            region: need('AWS_REGION'),
            ...(values.AWS_ENDPOINT_URL_CLOUDWATCH ? { endpoint: values.AWS_ENDPOINT_URL_CLOUDWATCH } : {}),
          }
        : { provider: 'local' },
    kubernetes:
      values.KUBERNETES_PROVIDER === 'kubernetes'
        ? {
            provider: 'kubernetes',
            ...(values.KUBECONFIG ? { kubeconfig: values.KUBECONFIG } : {}),
            inCluster: values.KUBERNETES_IN_CLUSTER === 'true',
            ...(values.KUBERNETES_CONTEXT ? { context: values.KUBERNETES_CONTEXT } : {}),
            namespaces: [...new Set(need('KUBERNETES_NAMESPACES').split(',').map((namespace) => namespace.trim()))],
            pollIntervalMs: values.KUBERNETES_POLL_INTERVAL_MS,
          }
        : { provider: 'local' },
    slackDm:
      values.SLACK_DM_PROVIDER === 'slack'
        ? { provider: 'slack', botToken: new Secret(need('SLACK_BOT_TOKEN')), apiUrl: `${withoutTrailingSlash(values.SLACK_API_URL)}/` }
        : { provider: 'local' },
    email: values.EMAIL_PROVIDER === 'smtp' ? { provider: 'smtp', url: new Secret(need('SMTP_URL')), from: need('SMTP_FROM') } : { provider: 'local' },
    sms: values.SMS_PROVIDER === 'twilio' ? twilio() : { provider: 'local' },
    voice: values.VOICE_PROVIDER === 'twilio' ? twilio() : { provider: 'local' },
    ssm:
      values.SSM_PROVIDER === 'ssm'
        ? {
            provider: 'ssm',
            region: need('AWS_REGION'),
            ...(values.AWS_ENDPOINT_URL_SSM ? { endpoint: values.AWS_ENDPOINT_URL_SSM } : {}),
            pollIntervalMs: values.SSM_POLL_INTERVAL_MS,
          }
        : { provider: 'local' },
    http: {
      allowedHosts: parseAllowedHosts(values.HTTP_STEP_ALLOWED_HOSTS),
      secrets: httpSecrets,
      maxResponseBytes: values.HTTP_STEP_MAX_RESPONSE_BYTES,
    },
  };
}

/** All capabilities on their built-in local adapters: what Firebreak runs with no settings. */
export const localIntegrations = (): IntegrationsConfig => loadIntegrationsConfig({});
