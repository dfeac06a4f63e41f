/**
 * Firebreak's settings, read once at boot from the environment and validated into a typed
 * object. A bad value stops start-up with a message naming the variable and the rule.
 */
import { z } from 'zod';

export const ROLES = ['viewer', 'responder', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** An API key as configured: the name is the actor recorded on the timeline. */
export interface ApiKey {
  name: string;
  role: Role;
  key: string;
}

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const positiveMs = (fallback: number) => z.coerce.number().int().min(1).max(3_600_000).default(fallback);

const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:]+\]:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:7233');

const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Parses `name:role:key` triples. Never echoes a key back in an error. */
export function parseApiKeys(value: string): ApiKey[] {
  const keys: ApiKey[] = [];
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  entries.forEach((entry, index) => {
    const [name, role, ...rest] = entry.split(':');
    const key = rest.join(':');
    const where = `entry ${index + 1}`;
    if (!name || !role || !key) throw new Error(`${where} must be name:role:key`);
    if (!KEY_NAME.test(name)) throw new Error(`${where}: name "${name}" must be 1-64 letters, digits, '.', '_' or '-'`);
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new Error(`${where} (${name}): role must be one of ${ROLES.join(', ')}`);
    }
    if (key.length < 8) throw new Error(`${where} (${name}): key must be at least 8 characters`);
    if (keys.some((existing) => existing.key === key)) throw new Error(`${where} (${name}): key is already used by another entry`);
    keys.push({ name, role: role as Role, key });
  });
  if (keys.length === 0) throw new Error('must hold at least one name:role:key entry');
  return keys;
}

const apiKeys = z
  .string()
  .optional()
  .superRefine((value, ctx) => {
    if (value === undefined) return;
    try {
      parseApiKeys(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });

export const ConfigSchema = z.object({
  PORT: port(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  TEMPORAL_ADDRESS: hostPort.default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('firebreak'),
  DATA_DIR: z.string().min(1).default('.data'),
  API_KEYS: apiKeys,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  ALERT_ACK_TIMEOUT_MS: positiveMs(10_000),
  TEMPORAL_RPC_TIMEOUT_MS: positiveMs(5_000),
  ALERT_DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(2),
  ALERT_QUEUE_RECOVERY_MS: positiveMs(10_000),
  ALERT_MAX_PENDING: z.coerce.number().int().min(1).max(10_000_000).default(50_000),
  INCIDENT_MAX_HISTORY_EVENTS: z.coerce.number().int().min(100).max(50_000).default(10_000),
  INCIDENT_EVENTS_POLL_MS: positiveMs(1_000),
  STATUS_CACHE_MS: z.coerce.number().int().min(0).max(300_000).default(5_000),
  READYZ_CACHE_MS: z.coerce.number().int().min(0).max(300_000).default(1_000),
  INCIDENT_EVENTS_MAX_STREAMS: z.coerce.number().int().min(1).max(100_000).default(500),
  INCIDENT_EVENTS_MAX_STREAMS_PER_KEY: z.coerce.number().int().min(1).max(100_000).default(20),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(10_000_000).default(600),
  RATE_LIMIT_PER_KEY_PER_MINUTE: z.coerce.number().int().min(0).max(10_000_000).default(6_000),
  RATE_LIMIT_ALERTS_PER_MINUTE: z.coerce.number().int().min(0).max(10_000_000).default(0),
  GRAFANA_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Where people reach this API: the base of the links in notifications and of Twilio's webhook signatures. */
  PUBLIC_URL: z.string().url('must be an absolute URL such as https://firebreak.example.com').optional(),
  /** Signs the acknowledgement links in notifications; default: `DATA_DIR/ack-secret`, made by `npm start`. */
  ACK_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** The Slack app's signing secret: slash commands and buttons are read only when set, and only when signed with it. */
  SLACK_SIGNING_SECRET: z.string().min(16, "must be the Slack app's signing secret (Basic Information → App Credentials)").optional(),
  /** How long a console session lasts after sign-in, in hours. */
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(168).default(12),
  /** How long an API process trusts its last read of the ended sessions (sign-outs on other replicas). */
  SESSION_REVOCATION_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  /** The built console the API serves at `/`; relative to the working directory. */
  WEB_ROOT: z.string().min(1).default('apps/web/dist'),
  SNS_TOPIC_ARNS: z
    .string()
    .regex(/^arn:aws[a-z-]*:sns:[^,\s]+(,\s*arn:aws[a-z-]*:sns:[^,\s]+)*$/, 'must be comma-separated SNS topic ARNs')
    .optional(),
});

export interface Config {
  port: number;
  host: string;
  temporal: { address: string; namespace: string; taskQueue: string };
  dataDir: string;
  /** Keys from `API_KEYS`; undefined when unset (the API then reads `DATA_DIR/api-key`). */
  apiKeys?: ApiKey[];
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** How long the API waits for Temporal to record an alert before answering 503. */
  alertAckTimeoutMs: number;
  /** Dedup keys the API delivers alerts to at once; an alert that would wait for a slot is queued durably. */
  alertDeliveryConcurrency: number;
  /**
   * Silence after which an API process counts as gone: its alert queues then deliver their
   * alerts themselves. The process renews its lease every quarter of it while it holds queues.
   */
  alertQueueRecoveryMs: number;
  /** Queued alerts an API process holds for delivery; past it, their alert queues deliver them at once. */
  alertMaxPending: number;
  /** Deadline for the API's other Temporal calls (queries, lists, health). */
  temporalRpcTimeoutMs: number;
  /** History events after which an incident continues as new. */
  incidentMaxHistoryEvents: number;
  /** How often the incident event stream (SSE) looks for new timeline entries. */
  incidentEventsPollMs: number;
  /** How long one read of the public status page serves `/status` and `/status.json` (0: read on every request). */
  statusCacheMs: number;
  /** How long one Temporal probe answers `/readyz` (0: probe on every request). */
  readyzCacheMs: number;
  /** Incident event streams (SSE) open at once across all keys; more answer 429. */
  incidentEventsMaxStreams: number;
  /** Incident event streams (SSE) one API key may hold open at once; more answer 429. */
  incidentEventsMaxStreamsPerKey: number;
  /** Requests per minute per client IP without a valid API key (0: unlimited). */
  rateLimitPerMinute: number;
  /** Requests per minute per API key (0: unlimited). */
  rateLimitPerKeyPerMinute: number;
  /** Requests per minute per sender on the alert and heartbeat routes (0, the default: unlimited). */
  rateLimitAlertsPerMinute: number;
  /** When set, Grafana deliveries must carry a valid HMAC-SHA256 signature made with it. */
  grafanaWebhookSecret?: string;
  /** When set, SNS messages from other topics are refused. */
  snsTopicArns?: string[];
  /** The base of links people open (no trailing slash); default `http://HOST:PORT`. */
  publicUrl: string;
  /** From `ACK_SIGNING_SECRET`; undefined when unset (then `DATA_DIR/ack-secret` is read, see security/ack-secret.ts). */
  ackSigningSecret?: string;
  /** From `SLACK_SIGNING_SECRET`; undefined when unset (then `/v1/chat/slack/*` answer 404). */
  slackSigningSecret?: string;
  /** How long a console session lasts after sign-in (1 to 168 hours). */
  sessionTtlHours: number;
  /**
   * How long an API process answers from its last read of the ended sessions: a sign-out on
   * another replica takes effect here within this (0: read on every request).
   */
  sessionRevocationCacheMs: number;
  /** The folder of the built console (`vite build`'s output), served at `/`. */
  webRoot: string;
}

/** Variables whose values must never be shown, even in a validation error. */
const SECRET_VARIABLES = new Set(['API_KEYS', 'GRAFANA_WEBHOOK_SECRET', 'ACK_SIGNING_SECRET', 'SLACK_SIGNING_SECRET']);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment; throws {@link ConfigError} listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const blankToUndefined = Object.fromEntries(
    Object.keys(ConfigSchema.shape).map((name) => [name, env[name] === '' ? undefined : env[name]]),
  );
  const parsed = ConfigSchema.safeParse(blankToUndefined);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        const shown = SECRET_VARIABLES.has(name) ? '' : ` (got ${JSON.stringify(env[name])})`;
        return `${name}: ${issue.message}${shown}`;
      }),
    );
  }
  const values = parsed.data;
  return {
    port: values.PORT,
    host: values.HOST,
    temporal: {
      address: values.TEMPORAL_ADDRESS,
      namespace: values.TEMPORAL_NAMESPACE,
      taskQueue: values.TEMPORAL_TASK_QUEUE,
    },
    dataDir: values.DATA_DIR,
    apiKeys: values.API_KEYS === undefined ? undefined : parseApiKeys(values.API_KEYS),
    logLevel: values.LOG_LEVEL,
    alertAckTimeoutMs: values.ALERT_ACK_TIMEOUT_MS,
    temporalRpcTimeoutMs: values.TEMPORAL_RPC_TIMEOUT_MS,
    alertDeliveryConcurrency: values.ALERT_DELIVERY_CONCURRENCY,
    alertQueueRecoveryMs: values.ALERT_QUEUE_RECOVERY_MS,
    alertMaxPending: values.ALERT_MAX_PENDING,
    incidentMaxHistoryEvents: values.INCIDENT_MAX_HISTORY_EVENTS,
    incidentEventsPollMs: values.INCIDENT_EVENTS_POLL_MS,
    statusCacheMs: values.STATUS_CACHE_MS,
    readyzCacheMs: values.READYZ_CACHE_MS,
    incidentEventsMaxStreams: values.INCIDENT_EVENTS_MAX_STREAMS,
    incidentEventsMaxStreamsPerKey: values.INCIDENT_EVENTS_MAX_STREAMS_PER_KEY,
    rateLimitPerMinute: values.RATE_LIMIT_PER_MINUTE,
    rateLimitPerKeyPerMinute: values.RATE_LIMIT_PER_KEY_PER_MINUTE,
    rateLimitAlertsPerMinute: values.RATE_LIMIT_ALERTS_PER_MINUTE,
    grafanaWebhookSecret: values.GRAFANA_WEBHOOK_SECRET,
    snsTopicArns: values.SNS_TOPIC_ARNS?.split(',').map((arn) => arn.trim()),
    publicUrl: (values.PUBLIC_URL ?? `http://${values.HOST}:${values.PORT}`).replace(/\/+$/, ''),
    ackSigningSecret: values.ACK_SIGNING_SECRET,
    slackSigningSecret: values.SLACK_SIGNING_SECRET,
    sessionTtlHours: values.SESSION_TTL_HOURS,
    sessionRevocationCacheMs: values.SESSION_REVOCATION_CACHE_MS,
    webRoot: values.WEB_ROOT,
  };
}
