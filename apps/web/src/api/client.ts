import type { ErrorBody, ValidationIssue } from './types';

/**
 * The console's one way to the API: same-origin requests carrying the session cookie, the
 * session's CSRF token on every request that changes something, and every error turned into
 * an {@link ApiError} with the API's own message and field issues.
 */

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken: string | undefined;
const signedOutListeners = new Set<() => void>();

/** The token the API handed out with the session: sent as `X-CSRF-Token` on mutating requests. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when the API answers 401: the session has ended (signed out elsewhere, expired, key removed). */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

/** An error answer of the API, as `{ statusCode, error, message, issues? }` says it. */
export class ApiError extends Error {
  readonly status: number;
  readonly issues: readonly ValidationIssue[];

  constructor(status: number, message: string, issues: readonly ValidationIssue[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.issues = issues;
  }

  /**
   * Messages by field: issues whose path starts with `prefix` (e.g. `input.` for a
   * runbook's input), keyed by the rest of the path (`replicas`, `labels.team`).
   */
  fieldErrors(prefix = ''): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const issue of this.issues) {
      if (!issue.path.startsWith(prefix)) continue;
      const field = issue.path.slice(prefix.length);
      fields[field] = fields[field] ? `${fields[field]}; ${issue.message}` : issue.message;
    }
    return fields;
  }
}

/** Query parameters: undefined and empty values are left out. */
export type Query = object;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** How to read a successful answer. */
  as?: 'json' | 'text';
}

/** `path` with the query's defined values, e.g. `/v1/incidents?status=triggered`. */
export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query) as Array<[string, unknown]>) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** Calls the API; resolves with the answer's body, or rejects with an {@link ApiError}. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: options.as === 'text' ? 'text/plain, text/markdown' : 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (MUTATING.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'the API could not be reached; check the network and try again');
  }
  if (!response.ok) throw await errorOf(response, path);
  if (response.status === 204) return undefined as T;
  if (options.as === 'text') return (await response.text()) as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

async function errorOf(response: Response, path: string): Promise<ApiError> {
  let body: Partial<ErrorBody> | undefined;
  try {
    body = (await response.json()) as Partial<ErrorBody>;
  } catch {
    body = undefined;
  }
  // A 401 on the sign-in route itself is a wrong key, not a session that ended.
  if (response.status === 401 && path !== '/v1/session') for (const listener of signedOutListeners) listener();
  const retry = response.headers.get('Retry-After');
  const message =
    typeof body?.message === 'string' && body.message
      ? body.message
      : `${response.status} ${response.statusText || 'error'}`;
  return new ApiError(response.status, retry && response.status >= 500 ? `${message} (retry in ${retry} s)` : message, body?.issues ?? []);
}

/** The message to show for any error a request may raise. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
