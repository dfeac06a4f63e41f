/**
 * Outgoing webhook subscriptions (`runbooks/webhooks.ts`): where Firebreak POSTs its events,
 * which ones, and the NAME of the environment variable holding each signing secret. The file
 * is checked with the other operator files (loadOperatorConfig); the secrets are read from
 * the environment once, at start, by {@link loadWebhookSecrets}. A secret's value is never
 * in the file, in workflow history, in a log or in an error.
 */
import { z } from 'zod';
import { ID_PATTERN, ID_RULE } from '../model/oncall/targets';
import { DEFAULT_RETRY_FOR_MS, WEBHOOK_EVENT_TYPES, type WebhookInterest } from '../model/webhook-event-types';
import { Secret } from './secret';
import { ConfigError } from './config';

/** Headers Firebreak sets itself; a subscription may not set them. */
const RESERVED_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'content-type', 'content-length', 'host', 'connection', 'transfer-encoding', 'user-agent'];

const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|seconds?|m|minutes?|h|hours?|d|days?)\s*$/i;
const MIN_RETRY_FOR_MS = 1_000;
const MAX_RETRY_FOR_MS = 7 * 24 * 60 * 60 * 1000;

/** A duration such as `30 seconds`, `24 hours` or `2 days`, or a number of milliseconds; undefined when it is not one. */
export function durationMs(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const match = DURATION.exec(value);
  if (!match) return undefined;
  const unit = match[2].toLowerCase();
  const scale = unit.startsWith('ms') || unit.startsWith('milli') ? 1 : unit.startsWith('s') ? 1000 : unit.startsWith('m') ? 60_000 : unit.startsWith('h') ? 3_600_000 : 86_400_000;
  return Number(match[1]) * scale;
}

const RetryForSchema = z.union([z.string(), z.number()]).refine((value) => {
  const ms = durationMs(value);
  return ms !== undefined && ms >= MIN_RETRY_FOR_MS && ms <= MAX_RETRY_FOR_MS;
}, 'a duration between 1 second and 7 days, such as "24 hours" (a number is milliseconds)');

const UrlSchema = z
  .string()
  .max(2048)
  .refine((text) => {
    try {
      const url = new URL(text);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
    } catch {
      return false;
    }
  }, 'an absolute http:// or https:// URL')
  .refine((text) => !URL.canParse(text) || (new URL(text).username === '' && new URL(text).password === ''), 'no user or password in the URL (requests cannot carry them)');

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;

const HeadersSchema = z.record(z.string(), z.string().max(1024).regex(/^[\t\x20-\x7e]*$/, 'printable ASCII')).superRefine((headers, ctx) => {
  const names = Object.keys(headers);
  if (names.length > 20) ctx.addIssue({ code: 'custom', message: 'at most 20 headers' });
  for (const name of names) {
    if (!HEADER_NAME.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: "a header name (letters, digits and !#$%&'*+.^_`|~-)" });
    else if (RESERVED_HEADERS.includes(name.toLowerCase())) ctx.addIssue({ code: 'custom', path: [name], message: `not one Firebreak sets itself (${RESERVED_HEADERS.join(', ')})` });
  }
});

const WebhookSubscriptionSchema = z
  .object({
    /** Stable: it names the subscription's delivery workflow and its deliveries. */
    id: z.string().regex(ID_PATTERN, ID_RULE),
    url: UrlSchema,
    /** The event types to send, or `'*'` for all of them. */
    events: z.union([z.literal('*'), z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1, 'at least one event type, or "*"')]),
    /** The NAME of the environment variable holding the signing secret (`whsec_<base64>`), never the secret. */
    secret: z.string().regex(/^[A-Z_][A-Z0-9_]{0,127}$/, 'the name of an environment variable (capital letters, digits and _), not the secret itself'),
    description: z.string().max(500).optional(),
    /** Extra, non-secret headers sent with every delivery. */
    headers: HeadersSchema.optional(),
    /** How long a delivery is retried before it goes to the failed list. @default 24 hours */
    retryFor: RetryForSchema.optional(),
  })
  .strict();

export const WebhooksFileSchema = z.array(WebhookSubscriptionSchema).max(100, 'at most 100 subscriptions');
export type WebhooksFile = z.input<typeof WebhooksFileSchema>;

/** A subscription as Firebreak uses it: the retry window in milliseconds, no secret value. */
export interface WebhookSubscription {
  id: string;
  url: string;
  events: WebhookInterest;
  /** The environment variable that holds the secret. */
  secret: string;
  description?: string;
  headers: Record<string, string>;
  retryForMs: number;
}

/** Identity helper that gives authors type checking and completion in `runbooks/webhooks.ts`. */
export const defineWebhooks = (subscriptions: WebhooksFile): WebhooksFile => subscriptions;

export function toSubscription(parsed: z.infer<typeof WebhookSubscriptionSchema>): WebhookSubscription {
  return {
    id: parsed.id,
    url: parsed.url,
    events: parsed.events,
    secret: parsed.secret,
    ...(parsed.description ? { description: parsed.description } : {}),
    headers: parsed.headers ?? {},
    retryForMs: parsed.retryFor === undefined ? DEFAULT_RETRY_FOR_MS : durationMs(parsed.retryFor)!,
  };
}

/** What the Standard Webhooks spec asks of a symmetric key: `whsec_` and 24 to 512 bytes, base64. */
function secretProblem(value: string): string | undefined {
  if (!value.startsWith('whsec_')) return 'does not start with whsec_ (a Standard Webhooks secret is whsec_<base64>)';
  const encoded = value.slice('whsec_'.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return 'is not whsec_ followed by base64';
  const bytes = Buffer.from(encoded, 'base64').length;
  if (bytes < 24 || bytes > 512) return `holds a key of ${bytes} bytes; the key must be 24 to 512 bytes`;
  return undefined;
}

/**
 * Each subscription's signing secret, read from the environment variable it names. A
 * variable missing or malformed stops start-up naming the file, the subscription and the
 * variable, never the value.
 */
export function loadWebhookSecrets(
  subscriptions: readonly WebhookSubscription[],
  env: Readonly<Record<string, string | undefined>>,
  file = 'runbooks/webhooks.ts',
): Map<string, Secret> {
  const problems: string[] = [];
  const secrets = new Map<string, Secret>();
  subscriptions.forEach((subscription, index) => {
    const value = env[subscription.secret];
    const where = `${file}: ${index}.secret (subscription "${subscription.id}")`;
    if (value === undefined || value === '') {
      problems.push(`${where}: environment variable ${subscription.secret} is not set`);
      return;
    }
    const problem = secretProblem(value);
    if (problem) problems.push(`${where}: environment variable ${subscription.secret} ${problem}`);
    else secrets.set(subscription.id, new Secret(value));
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return secrets;
}
