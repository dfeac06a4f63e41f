/** The CLI's one way to the API: Node's fetch, the key as a Bearer token, error answers as {@link ApiError}s. */
import { randomUUID } from 'node:crypto';
import { ApiError, CliError, type FieldIssue } from './errors';

/** How long one request may take before the CLI gives up on it. */
const REQUEST_TIMEOUT_MS = 30_000;
/** Attempts of a request that is safe to repeat (reads, and writes with an Idempotency-Key). */
const ATTEMPTS = 3;
/** The longest the CLI waits between attempts, whatever Retry-After says. */
const MAX_RETRY_WAIT_MS = 10_000;

type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Sends an Idempotency-Key, which makes the write safe to retry. */
  idempotent?: boolean;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly key: string | undefined,
  ) {}

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, { query });
  }

  post<T>(path: string, body: unknown, options: Omit<RequestOptions, 'body'> = {}): Promise<T> {
    return this.request<T>('POST', path, { ...options, body });
  }

  /** A text answer (a postmortem's Markdown). */
  async text(path: string): Promise<string> {
    const response = await this.send('GET', path, { accept: 'text/*' }, true);
    return response.text();
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotent) headers['idempotency-key'] = `cli-${randomUUID()}`;
    const response = await this.send(method, withQuery(path, options.query), headers, method === 'GET' || options.idempotent === true, options.body);
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /**
   * Opens a Server-Sent Events stream; resolves once the API has answered with the stream's
   * head. `signal` ends it.
   */
  async stream(path: string, lastEventId: string | undefined, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const headers: Record<string, string> = { accept: 'text/event-stream', ...this.clientHeaders() };
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    // Bounded until the API answers; the stream itself lasts until `signal` ends it.
    const connecting = new AbortController();
    const timer = setTimeout(() => connecting.abort(new DOMException('no answer', 'TimeoutError')), REQUEST_TIMEOUT_MS);
    const response = await this.fetch(path, { headers, signal: AbortSignal.any([signal, connecting.signal]) }).finally(() => clearTimeout(timer));
    if (!response.ok) throw await apiErrorOf(response);
    if (!response.body) throw new CliError(`${path} answered without a stream`);
    return response.body;
  }

  /** The key, and who is calling: the API's audit log records CLI actions as the CLI's. */
  private clientHeaders(): Record<string, string> {
    return { 'user-agent': 'firebreak-cli', ...(this.key ? { authorization: `Bearer ${this.key}` } : {}) };
  }

  private async send(method: string, path: string, headers: Record<string, string>, retryable: boolean, body?: unknown): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      let response: Response | undefined;
      let failure: CliError;
      try {
        response = await this.fetch(path, {
          method,
          headers: { ...headers, ...this.clientHeaders() },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        if (response.ok) return response;
        failure = await apiErrorOf(response);
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        failure = error;
      }
      const transient = !(failure instanceof ApiError) || [429, 502, 503, 504].includes(failure.status);
      if (!retryable || !transient || attempt >= ATTEMPTS) throw failure;
      const waitSeconds = failure instanceof ApiError ? failure.retryAfterSeconds : undefined;
      await sleep(Math.min(MAX_RETRY_WAIT_MS, waitSeconds !== undefined ? waitSeconds * 1000 : 500 * attempt));
    }
  }

  /** fetch, with a network failure said in words (never with the key). */
  private async fetch(path: string, init: RequestInit): Promise<Response> {
    const url = `${this.baseUrl}${path}`;
    try {
      return await fetch(url, init);
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      if ((error as Error).name === 'TimeoutError') throw new CliError(`${this.baseUrl} did not answer within ${REQUEST_TIMEOUT_MS / 1000} s`);
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(`cannot reach ${this.baseUrl}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
  }
}

function withQuery(path: string, query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(name, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** The API's error body (`{ statusCode, error, message, issues? }`, docs/api-errors.md) as an {@link ApiError}. */
export async function apiErrorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let message = `${response.status} ${response.statusText}`.trim();
  let issues: FieldIssue[] = [];
  try {
    const body = JSON.parse(text) as { message?: unknown; issues?: unknown };
    if (typeof body.message === 'string' && body.message) message = body.message;
    else if (Array.isArray(body.message)) message = body.message.map(String).join('; ');
    if (Array.isArray(body.issues)) issues = body.issues.filter(isIssue);
  } catch {
    // Not the API's JSON (a proxy's page): the status line says enough.
  }
  const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
  return new ApiError(response.status, message, issues, Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined);
}

const isIssue = (value: unknown): value is FieldIssue =>
  typeof value === 'object' && value !== null && typeof (value as FieldIssue).path === 'string' && typeof (value as FieldIssue).message === 'string';
