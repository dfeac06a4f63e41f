/**
 * The built-in HTTP step: one request to a host the operator allows
 * (`HTTP_STEP_ALLOWED_HOSTS`), with secrets referenced by name and injected by the worker, so
 * no secret value is ever in the step's input, its result or the workflow's history.
 */
import { z } from 'zod';
import { utf8Bytes } from '../../model/text';
import { bytesRule } from '../text-schemas';
import { StepInputBase, STEP_TEXT_MAX_BYTES } from './common';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** The longest a URL may be, in characters. */
export const HTTP_URL_MAX = 2048;
/** The longest one attempt of a request may wait for its answer, per step. */
export const HTTP_TIMEOUT_MAX_MS = 60_000;
/** Headers per request, plain and secret together. */
const HEADERS_MAX = 30;
const HEADER_VALUE_MAX = 4096;

/**
 * Headers a runbook may not set: the worker sets them (`Idempotency-Key`, `Host`, the body's
 * length), or they carry credentials, which belong in `secretHeaders` so that their values stay
 * out of the run's history.
 */
export const RESERVED_HEADERS = ['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'idempotency-key'] as const;
export const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'x-auth-token'] as const;

/** A header name: an HTTP token (RFC 9110). */
const HeaderNameSchema = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'must be a header name: 1 to 100 letters, digits and !#$%&\'*+.^_`|~-');
const HeaderValueSchema = z
  .string()
  .max(HEADER_VALUE_MAX)
  .refine((value) => !/[\r\n\0]/.test(value), 'must not hold a line break or NUL');

/**
 * A secret header's value: the name of a variable listed in `HTTP_STEP_SECRETS`, or a scheme
 * and that name (`Bearer PAYMENTS_ADMIN_TOKEN` sends `Bearer <the value>`).
 */
export const SECRET_REFERENCE = /^(?:([!#$%&'*+.^_`|~0-9A-Za-z-]{1,40}) )?([A-Z_][A-Z0-9_]{0,127})$/;

/** Whether `url` is one the HTTP step may even consider: http(s), no credentials in it. */
function urlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an http(s) URL';
  if (parsed.username || parsed.password) return 'must not hold credentials: reference a secret in secretHeaders instead';
  return undefined;
}

const lower = (names: readonly string[]) => names.map((name) => name.toLowerCase());

export const HttpRequestInputSchema = StepInputBase.extend({
  method: z.enum(HTTP_METHODS, { error: `must be one of ${HTTP_METHODS.join(', ')}` }),
  /** An http(s) URL on a host `HTTP_STEP_ALLOWED_HOSTS` allows; checked again once resolved. */
  url: z
    .string()
    .max(HTTP_URL_MAX)
    .superRefine((url, context) => {
      const problem = urlProblem(url);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    }),
  /** Plain headers, recorded with the step. Credentials go in `secretHeaders`. */
  headers: z
    .record(HeaderNameSchema, HeaderValueSchema)
    .refine((headers) => !lower(Object.keys(headers)).some((name) => (RESERVED_HEADERS as readonly string[]).includes(name)), {
      message: `must not set ${RESERVED_HEADERS.join(', ')}: the worker sets them`,
    })
    .refine((headers) => !lower(Object.keys(headers)).some((name) => (CREDENTIAL_HEADERS as readonly string[]).includes(name)), {
      message: `must not carry credentials (${CREDENTIAL_HEADERS.join(', ')}): put them in secretHeaders, which name a secret instead of holding it`,
    })
    .optional(),
  /**
   * Headers whose values the worker fills in from its own secrets: header → the name of a
   * variable in `HTTP_STEP_SECRETS`, alone or after a scheme (`Bearer PAYMENTS_ADMIN_TOKEN`).
   */
  secretHeaders: z
    .record(
      HeaderNameSchema,
      z.string().regex(SECRET_REFERENCE, 'must name a variable listed in HTTP_STEP_SECRETS (capital letters, digits and _), optionally after a scheme: "Bearer PAYMENTS_ADMIN_TOKEN"'),
    )
    .refine((headers) => !lower(Object.keys(headers)).some((name) => (RESERVED_HEADERS as readonly string[]).includes(name)), {
      message: `must not set ${RESERVED_HEADERS.join(', ')}: the worker sets them`,
    })
    .optional(),
  /** Sent as JSON (`application/json`), or as it is when a string (`text/plain` unless `headers` say otherwise). */
  body: z
    .json()
    .refine((body) => utf8Bytes(JSON.stringify(body) ?? '') <= STEP_TEXT_MAX_BYTES, { message: bytesRule(STEP_TEXT_MAX_BYTES) })
    .optional(),
  /** What the step accepts as an answer; any other fails it, not retried. */
  expect: z
    .object({
      /** The statuses that are an answer. @default any 2xx */
      status: z.array(z.number().int().min(100).max(599)).min(1).max(50).optional(),
      /** Fail (not retried) instead of answering a body cut at `HTTP_STEP_MAX_RESPONSE_BYTES`. @default false */
      wholeBody: z.boolean().optional(),
    })
    .optional(),
  /** How long one attempt waits for the whole answer. @default INTEGRATIONS_TIMEOUT_MS */
  timeoutMs: z.number().int().min(100).max(HTTP_TIMEOUT_MAX_MS).optional(),
})
  .refine((input) => input.body === undefined || (input.method !== 'GET' && input.method !== 'HEAD'), {
    message: 'a GET or HEAD request has no body',
    path: ['body'],
  })
  .refine(
    (input) => {
      const names = lower([...Object.keys(input.headers ?? {}), ...Object.keys(input.secretHeaders ?? {})]);
      return new Set(names).size === names.length;
    },
    { message: 'a header is given twice (names are case-insensitive)', path: ['secretHeaders'] },
  )
  .refine((input) => Object.keys(input.headers ?? {}).length + Object.keys(input.secretHeaders ?? {}).length <= HEADERS_MAX, {
    message: `at most ${HEADERS_MAX} headers`,
    path: ['headers'],
  });
export type HttpRequestInput = z.input<typeof HttpRequestInputSchema>;

/** The answer headers a step's result keeps (lower case); others are dropped. */
export const KEPT_RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'location',
  'etag',
  'last-modified',
  'retry-after',
  'x-request-id',
  'request-id',
  'idempotent-replayed',
] as const;

export const HttpResponseSchema = z.object({
  status: z.number().int(),
  /** The few answer headers worth keeping ({@link KEPT_RESPONSE_HEADERS}), lower case. */
  headers: z.record(z.string(), z.string()),
  /**
   * The body: parsed when it is JSON (and whole), else text. Every secret value the worker
   * holds for the HTTP step is replaced by `[redacted]`, so an echoed header stays out.
   */
  body: z.json().optional(),
  /** The body was longer than `HTTP_STEP_MAX_RESPONSE_BYTES` and was cut (so it is text). */
  truncated: z.boolean(),
});
export type HttpResponse = z.infer<typeof HttpResponseSchema>;
