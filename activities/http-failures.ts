/**
 * The one place vendor call failures become Temporal failures. Every adapter states what
 * went wrong as a {@link VendorCallProblem} (its client library's error shape is its own
 * business) and gets back the failure Temporal acts on:
 *
 * | answer                                   | failure                                   |
 * |------------------------------------------|-------------------------------------------|
 * | 429, or the vendor's own throttling      | `VendorThrottled`, retried after `Retry-After` |
 * | 5xx, 408, network error, timeout         | `VendorUnavailable`, retried               |
 * | any other 4xx (400, 401, 403, 404, 422…) | `VendorRejected`, not retried              |
 *
 * Messages carry the vendor's own words, scrubbed of every secret the adapter holds.
 */
import { ApplicationFailure } from '@temporalio/common';
import { CapabilityFailure } from '../core/schemas/capabilities/common';

export interface VendorCallProblem {
  /** e.g. "Jira". */
  vendor: string;
  /** What was being done, e.g. "create issue". */
  operation: string;
  /** The HTTP status; absent when nothing was answered. */
  status?: number;
  /** The vendor's own explanation, if it gave one. */
  detail?: string;
  /** How long the vendor asked us to wait (Retry-After, or its own rate-limit answer). */
  retryAfterMs?: number;
  /** The vendor throttled us without a 429 (AWS ThrottlingException, GitHub's secondary limits). */
  throttled?: boolean;
  /** Why nothing was answered (a timeout, a refused connection), when that is the problem. */
  networkError?: string;
}

const MAX_DETAIL = 500;

/** Replaces every secret in `text`; secrets shorter than 4 characters are not worth matching. */
export function redact(text: string, secrets: readonly string[]): string {
  let scrubbed = text;
  for (const secret of secrets) {
    if (secret.length >= 4) scrubbed = scrubbed.split(secret).join('[redacted]');
  }
  return scrubbed;
}

/** True when the problem is worth retrying (throttling, server trouble, no answer). */
export function isRetryable(problem: Pick<VendorCallProblem, 'status' | 'throttled'>): boolean {
  const { status, throttled } = problem;
  return throttled === true || status === undefined || status === 408 || status === 429 || status >= 500;
}

/** The Temporal failure for a failed vendor call. */
export function vendorFailure(problem: VendorCallProblem, secrets: readonly string[] = []): ApplicationFailure {
  const { vendor, operation, status, detail, retryAfterMs, throttled, networkError } = problem;
  const answered = status === undefined ? `no answer (${networkError ?? 'network error'})` : `HTTP ${status}`;
  const said = detail ? `: ${detail.length > MAX_DETAIL ? `${detail.slice(0, MAX_DETAIL)}…` : detail}` : '';
  const message = redact(`${vendor} ${operation} failed: ${answered}${said}`, secrets);
  const details = [{ vendor, operation, status: status ?? null }];
  if (!isRetryable(problem)) {
    return ApplicationFailure.create({ message, type: CapabilityFailure.Rejected, nonRetryable: true, details });
  }
  const type = throttled || status === 429 ? CapabilityFailure.Throttled : CapabilityFailure.Unavailable;
  return ApplicationFailure.create({
    message,
    type,
    details,
    ...(retryAfterMs !== undefined ? { nextRetryDelay: Math.max(1, retryAfterMs) } : {}),
  });
}

/**
 * Milliseconds to wait from a `Retry-After` header: delay-seconds or an HTTP date.
 * Undefined when absent or unreadable (Temporal's backoff applies then).
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The vendor's explanation from an error body, whatever its vendor's shape. */
export function vendorMessage(body: unknown): string | undefined {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string') return body.trim() ? body.trim() : undefined;
  if (typeof body !== 'object') return String(body);
  const record = body as Record<string, unknown>;
  const parts: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'string' && value.trim()) parts.push(value.trim());
    else if (Array.isArray(value)) value.forEach(add);
    else if (value && typeof value === 'object') {
      const inner = value as Record<string, unknown>;
      if (typeof inner.message === 'string') add(inner.message);
      else for (const [field, text] of Object.entries(inner)) if (typeof text === 'string') parts.push(`${field}: ${text}`);
    }
  };
  // Jira: errorMessages + errors; Zoom, GitHub, PagerDuty: message (+ errors); Statuspage: error.
  add(record.message);
  add(record.errorMessages);
  add(record.error);
  add(record.errors);
  return parts.length > 0 ? [...new Set(parts)].join('; ') : undefined;
}

/** A short, secret-free description of why a request got no answer. */
export function describeNetworkError(error: unknown): string {
  // Duck-typed: errors from Node's own fetch may come from another realm than this module's Error.
  if (typeof error !== 'object' || error === null) return 'network error';
  const { name, code, cause, message } = error as { name?: unknown; code?: unknown; cause?: unknown; message?: unknown };
  if (name === 'TimeoutError' || name === 'AbortError') return 'timed out';
  // Some clients rewrap a timeout as a plain Error whose message names it.
  if (typeof message === 'string' && /^(TimeoutError|AbortError)\b|aborted due to timeout/.test(message)) return 'timed out';
  if (typeof code === 'string') return code;
  if (cause !== undefined) return describeNetworkError(cause);
  return typeof name === 'string' ? name : 'network error';
}
