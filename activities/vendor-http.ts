/**
 * A small typed wrapper over Node's `fetch` for vendors without an official Node client
 * (Zoom, Statuspage, PagerDuty Events v2) and for jira-client's transport: JSON in and out,
 * a deadline on every call, failures mapped by {@link vendorFailure}.
 */
import {
  describeNetworkError,
  parseRetryAfter,
  type VendorCallProblem,
  vendorFailure,
  vendorMessage,
} from './http-failures';

/** `fetch` with a deadline, also honouring a signal the caller passes. */
export function fetchWithTimeout(timeoutMs: number): typeof fetch {
  return (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    return fetch(input, { ...init, signal });
  };
}

export interface VendorHttpOptions {
  vendor: string;
  /** Prefix of relative paths, e.g. `https://api.zoom.us/v2`. */
  baseUrl: string;
  timeoutMs: number;
  /** Headers for every request (authentication); may fetch a token. */
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
  /** Values scrubbed from any failure message. */
  secrets?: readonly string[];
}

export interface VendorRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** An answer that was not 2xx, or no answer: the problem, for {@link vendorFailure}. */
export class VendorHttpError extends Error {
  constructor(
    readonly status: number | undefined,
    readonly detail: string | undefined,
    readonly retryAfterMs: number | undefined,
    readonly networkError: string | undefined,
  ) {
    super(status === undefined ? `no answer (${networkError})` : `HTTP ${status}${detail ? `: ${detail}` : ''}`);
    this.name = 'VendorHttpError';
  }

  problem(vendor: string, operation: string): VendorCallProblem {
    const { status, detail, retryAfterMs, networkError } = this;
    return { vendor, operation, status, detail, retryAfterMs, networkError };
  }
}

/**
 * Sends one request and returns the parsed JSON answer (undefined when empty). Throws
 * {@link VendorHttpError} for a non-2xx answer or none at all.
 */
export async function sendJson<T>(url: string, timeoutMs: number, request: VendorRequest = {}): Promise<T> {
  const target = new URL(url);
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) target.searchParams.set(name, String(value));
  }
  let response: Response;
  let text: string;
  try {
    response = await fetchWithTimeout(timeoutMs)(target, {
      method: request.method ?? 'GET',
      headers: {
        accept: 'application/json',
        ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...request.headers,
      },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      redirect: 'follow',
    });
    text = await response.text();
  } catch (error) {
    throw new VendorHttpError(undefined, undefined, undefined, describeNetworkError(error));
  }
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (!response.ok) {
    throw new VendorHttpError(response.status, vendorMessage(body), parseRetryAfter(response.headers.get('retry-after')), undefined);
  }
  return body as T;
}

/** One vendor's HTTP API: a base URL, its authentication and the failure mapping. */
export class VendorHttp {
  constructor(private readonly options: VendorHttpOptions) {}

  /** `path` is relative to the base URL, or absolute. */
  async request<T>(operation: string, path: string, request: VendorRequest = {}): Promise<T> {
    const { vendor, baseUrl, timeoutMs, headers, secrets = [] } = this.options;
    const url = /^https?:\/\//.test(path) ? path : `${baseUrl}${path}`;
    try {
      return await sendJson<T>(url, timeoutMs, { ...request, headers: { ...(await headers?.()), ...request.headers } });
    } catch (error) {
      if (!(error instanceof VendorHttpError)) throw error;
      throw vendorFailure(error.problem(vendor, operation), secrets);
    }
  }
}
