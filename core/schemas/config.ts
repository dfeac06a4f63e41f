/**
 * Firebreak's settings, read once at boot from the environment and validated into a typed
 * object. A bad value stops start-up with a message naming the variable and the rule.
 */
import { z } from 'zod';
import { type ApiKey, parseApiKeys, type Role } from './api-keys';
import { Secret } from './secret';

export { type ApiKey, parseApiKeys, type Role, ROLES } from './api-keys';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const positiveMs = (fallback: number) => z.coerce.number().int().min(1).max(3_600_000).default(fallback);

const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).default('false');

const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:]+\]:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:7233');

/** A file path; the file itself is read when the connection is made (temporal-client/connection-options.ts). */
const tlsPath = z.string().min(1).max(4096).regex(/^[^\0\n]+$/, 'must be a file path');

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

/** Roles a person may get from single sign-on: `sender` is for alerting systems' keys only. */
export const PERSON_ROLES = ['viewer', 'responder', 'commander', 'admin'] as const satisfies readonly Role[];

/** One `OIDC_ROLES` entry: people whose role claim holds `value` get `role`. */
export interface OidcRoleMapping {
  value: string;
  role: Role;
}

/**
 * Parses `value:role` pairs (`sre-leads:commander,sre:responder`). The value is everything
 * before the last `:`, so group names that hold a colon (URNs) still map.
 */
export function parseOidcRoles(value: string): OidcRoleMapping[] {
  const mappings: OidcRoleMapping[] = [];
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  entries.forEach((entry, index) => {
    const at = entry.lastIndexOf(':');
    const claimValue = at > 0 ? entry.slice(0, at).trim() : '';
    const role = at > 0 ? entry.slice(at + 1).trim() : '';
    const where = `entry ${index + 1}`;
    if (!claimValue || !role) throw new Error(`${where} must be value:role, e.g. sre:responder`);
    if (claimValue.length > 256) throw new Error(`${where}: the value must be at most 256 characters`);
    if (!(PERSON_ROLES as readonly string[]).includes(role)) throw new Error(`${where} (${claimValue}): role must be one of ${PERSON_ROLES.join(', ')}`);
    if (mappings.some((existing) => existing.value === claimValue)) throw new Error(`${where} (${claimValue}): the value is already mapped`);
    mappings.push({ value: claimValue, role: role as Role });
  });
  if (mappings.length === 0) throw new Error('must hold at least one value:role entry');
  return mappings;
}

/** Single sign-on for people (OpenID Connect), set by `OIDC_ISSUER`, `OIDC_CLIENT_ID` and `OIDC_CLIENT_SECRET` together. */
export interface OidcConfig {
  /** The issuer; its discovery document is `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: Secret;
  /** The claim (ID token, else userinfo) whose values map to roles; a dotted path reaches into objects. @default groups */
  roleClaim: string;
  /** Claim value → role; the highest role mapped from a person's values wins. */
  roles: OidcRoleMapping[];
  /** Scopes asked for, space-separated. @default openid profile email */
  scopes: string;
}

const isLoopback = (hostname: string) => hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);

const oidcIssuer = z
  .string()
  .url('must be an absolute URL such as https://login.example.com/realms/ops')
  .refine((value) => {
    const url = URL.parse(value);
    return !url || url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
  }, 'must be https:// (http:// only on this machine: localhost or 127.0.0.1)')
  .refine((value) => !URL.parse(value)?.search && !URL.parse(value)?.hash, 'must have no query or fragment');

const oidcRoles = z
  .string()
  .optional()
  .superRefine((value, ctx) => {
    if (value === undefined) return;
    try {
      parseOidcRoles(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });

export const ConfigSchema = z.object({
  PORT: port(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** The worker's Prometheus endpoint (`GET /metrics`); none when unset. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  TEMPORAL_ADDRESS: hostPort.default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('firebreak'),
  /** mTLS to Temporal's frontend: this process's client certificate (PEM file), with TEMPORAL_TLS_KEY. */
  TEMPORAL_TLS_CERT: tlsPath.optional(),
  /** The private key (PEM file) of TEMPORAL_TLS_CERT. */
  TEMPORAL_TLS_KEY: tlsPath.optional(),
  /** The CA (PEM file) that signed the frontend's certificate; unset: the system's trusted CAs. */
  TEMPORAL_TLS_CA: tlsPath.optional(),
  /** The name the frontend's certificate must carry, when it differs from TEMPORAL_ADDRESS's host. */
  TEMPORAL_TLS_SERVER_NAME: z
    .string()
    .regex(/^[A-Za-z0-9.-]{1,253}$/, 'must be a host name such as temporal or temporal.internal')
    .optional(),
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
  /** OTLP/HTTP base URL (e.g. `http://collector:4318`): traces are exported there only when set. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url('must be an absolute URL such as http://localhost:4318').optional(),
  /** The `service.name` of this process's spans; default `firebreak-api` or `firebreak-worker`. */
  OTEL_SERVICE_NAME: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, "must be 1-100 letters, digits, '.', '_' or '-'").optional(),
  /** `true`: `/docs` and `/docs-json` are served without a key. */
  PUBLIC_DOCS: flag,
  /** `true`: `/metrics` is served without a key. */
  PUBLIC_METRICS: flag,
  /** `true`: SNS messages signed with SignatureVersion 1 (SHA1) are taken too; by default only version 2 (SHA256). */
  SNS_ALLOW_SIGNATURE_V1: flag,
  SNS_TOPIC_ARNS: z
    .string()
    .regex(/^arn:aws[a-z-]*:sns:[^,\s]+(,\s*arn:aws[a-z-]*:sns:[^,\s]+)*$/, 'must be comma-separated SNS topic ARNs')
    .optional(),
  /**
   * The lasting record's PostgreSQL (`postgres://user:password@host:5432/db`); secret, since it
   * may hold a password. Unset: `npm start` serves the embedded one and sets it for its children.
   */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** How long the Temporal namespace `npm start` creates keeps closed workflows, in days. */
  TEMPORAL_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Single sign-on: the OpenID provider's issuer URL (with OIDC_CLIENT_ID and OIDC_CLIENT_SECRET). */
  OIDC_ISSUER: oidcIssuer.optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(255).regex(/^[\x21-\x7E]+$/, 'must be printable ASCII without spaces').optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).max(1024).optional(),
  OIDC_ROLE_CLAIM: z.string().regex(/^[\x21-\x7E]{1,200}$/, 'must be a claim name: 1-200 printable characters without spaces').default('groups'),
  OIDC_ROLES: oidcRoles,
  OIDC_SCOPES: z
    .string()
    .regex(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, 'must be scopes separated by single spaces')
    .refine((value) => value.split(' ').includes('openid'), 'must include openid')
    .default('openid profile email'),
});

/** TLS to Temporal's frontend, from the `TEMPORAL_TLS_*` paths; undefined when none is set (plain gRPC). */
export interface TemporalTlsConfig {
  /** Client certificate and key for mTLS; unset: TLS without a client certificate. */
  clientCertPair?: { certPath: string; keyPath: string };
  /** The CA the server's certificate must chain to; unset: the system's trusted CAs. */
  caPath?: string;
  serverName?: string;
}

export interface Config {
  port: number;
  host: string;
  /** `WORKER_METRICS_PORT`: where the worker serves `GET /metrics` (on `host`); none when undefined. */
  workerMetricsPort?: number;
  temporal: { address: string; namespace: string; taskQueue: string; tls?: TemporalTlsConfig };
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
  /** The topics the SNS route takes messages from; unset, the route is off (404). */
  snsTopicArns?: string[];
  /** `SNS_ALLOW_SIGNATURE_V1=true`: SHA1 signatures (SNS's default for a topic) are accepted besides SHA256 ones. */
  snsAllowSignatureV1: boolean;
  /** `PUBLIC_DOCS=true`: the OpenAPI document and its page need no key. */
  publicDocs: boolean;
  /** `PUBLIC_METRICS=true`: `/metrics` needs no key. */
  publicMetrics: boolean;
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
  /** The lasting record (`DATABASE_URL`, secret: never log it); undefined when unset (search and reports answer 503). */
  databaseUrl?: string;
  /** Closed workflows' retention in the namespace `npm start` creates (`TEMPORAL_RETENTION_DAYS`). */
  temporalRetentionDays: number;
  /** `OTEL_EXPORTER_OTLP_ENDPOINT`: traces are exported over OTLP/HTTP only when set. */
  otelEndpoint?: string;
  /** `OTEL_SERVICE_NAME`: the `service.name` of this process's spans when set. */
  otelServiceName?: string;
  /** Single sign-on for people in the console; undefined when `OIDC_ISSUER` is unset (API keys only). */
  oidc?: OidcConfig;
}

/** Variables whose values must never be shown, even in a validation error (nor in a log line). */
export const SECRET_VARIABLES = new Set(['API_KEYS', 'GRAFANA_WEBHOOK_SECRET', 'ACK_SIGNING_SECRET', 'SLACK_SIGNING_SECRET', 'DATABASE_URL', 'OIDC_CLIENT_SECRET']);

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
  const oidc = oidcConfigOf(values);
  const tls = temporalTlsOf(values);
  return {
    port: values.PORT,
    host: values.HOST,
    ...(values.WORKER_METRICS_PORT === undefined ? {} : { workerMetricsPort: values.WORKER_METRICS_PORT }),
    temporal: {
      address: values.TEMPORAL_ADDRESS,
      namespace: values.TEMPORAL_NAMESPACE,
      taskQueue: values.TEMPORAL_TASK_QUEUE,
      ...(tls ? { tls } : {}),
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
    snsAllowSignatureV1: values.SNS_ALLOW_SIGNATURE_V1 === 'true',
    publicDocs: values.PUBLIC_DOCS === 'true',
    publicMetrics: values.PUBLIC_METRICS === 'true',
    publicUrl: (values.PUBLIC_URL ?? `http://${values.HOST}:${values.PORT}`).replace(/\/+$/, ''),
    ackSigningSecret: values.ACK_SIGNING_SECRET,
    slackSigningSecret: values.SLACK_SIGNING_SECRET,
    sessionTtlHours: values.SESSION_TTL_HOURS,
    sessionRevocationCacheMs: values.SESSION_REVOCATION_CACHE_MS,
    webRoot: values.WEB_ROOT,
    databaseUrl: values.DATABASE_URL,
    temporalRetentionDays: values.TEMPORAL_RETENTION_DAYS,
    otelEndpoint: values.OTEL_EXPORTER_OTLP_ENDPOINT,
    otelServiceName: values.OTEL_SERVICE_NAME,
    oidc,
  };
}

/** TLS to Temporal: the certificate and key together or neither; a CA or server name alone means TLS without mTLS. */
function temporalTlsOf(values: z.infer<typeof ConfigSchema>): TemporalTlsConfig | undefined {
  const { TEMPORAL_TLS_CERT: certPath, TEMPORAL_TLS_KEY: keyPath, TEMPORAL_TLS_CA: caPath, TEMPORAL_TLS_SERVER_NAME: serverName } = values;
  if ((certPath === undefined) !== (keyPath === undefined)) {
    const missing = certPath === undefined ? 'TEMPORAL_TLS_CERT' : 'TEMPORAL_TLS_KEY';
    const set = certPath === undefined ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT';
    throw new ConfigError([`${missing}: required when ${set} is set (a client certificate needs its key)`]);
  }
  if (certPath === undefined && caPath === undefined && serverName === undefined) return undefined;
  return {
    ...(certPath !== undefined && keyPath !== undefined ? { clientCertPair: { certPath, keyPath } } : {}),
    ...(caPath !== undefined ? { caPath } : {}),
    ...(serverName !== undefined ? { serverName } : {}),
  };
}

const OIDC_TRIO = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;

/** The single sign-on settings: the issuer, client id and secret all set (with OIDC_ROLES), or none of them. */
function oidcConfigOf(values: z.infer<typeof ConfigSchema>): OidcConfig | undefined {
  const set = OIDC_TRIO.filter((name) => values[name] !== undefined);
  if (set.length === 0) {
    if (values.OIDC_ROLES !== undefined) throw new ConfigError([`OIDC_ROLES: needs ${OIDC_TRIO.join(', ')} (single sign-on is off without them)`]);
    return undefined;
  }
  const problems = OIDC_TRIO.filter((name) => values[name] === undefined).map(
    (name) => `${name}: required when ${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'} set (single sign-on needs ${OIDC_TRIO.join(', ')})`,
  );
  if (values.OIDC_ROLES === undefined) problems.push('OIDC_ROLES: required with OIDC_ISSUER: claim values and the roles they give, e.g. sre-leads:commander,sre:responder');
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    issuer: values.OIDC_ISSUER!,
    clientId: values.OIDC_CLIENT_ID!,
    clientSecret: new Secret(values.OIDC_CLIENT_SECRET!),
    roleClaim: values.OIDC_ROLE_CLAIM,
    roles: parseOidcRoles(values.OIDC_ROLES!),
    scopes: values.OIDC_SCOPES,
  };
}
