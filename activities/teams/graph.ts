/**
 * Microsoft Graph for the Teams adapters: the official client (`@microsoft/microsoft-graph-client`)
 * with an app-only token from the OAuth2 client-credentials flow, a deadline on every call, no
 * retries of its own (Temporal retries the activity, and a throttled call fails at once with its
 * Retry-After instead of sleeping inside it), and Graph's errors mapped by {@link vendorFailure}.
 */
import { type AuthenticationProvider, Client, type Context, type GraphError, GraphClientError, type Middleware, ResponseType } from '@microsoft/microsoft-graph-client';
import type { ApplicationFailure } from '@temporalio/common';
import type { TeamsConnection } from '../../core/schemas/integrations-config';
import { describeNetworkError, parseRetryAfter, type VendorCallProblem, vendorFailure, vendorMessage } from '../http-failures';
import { fetchWithTimeout } from '../vendor-http';

export const TEAMS_VENDOR = 'Microsoft Teams';
/** What the token is for: every Graph permission granted to the app. */
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** Microsoft's national clouds, whose Graph tokens name their own host. */
const NATIONAL_GRAPH_HOSTS = new Set(['graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn']);

/** The token scope for the Graph at `graphUrl`: a national cloud's own, else the global one (also behind a proxy). */
export function graphScope(graphUrl: string): string {
  const host = new URL(graphUrl).host;
  return NATIONAL_GRAPH_HOSTS.has(host) ? `https://${host}/.default` : GRAPH_SCOPE;
}
/** Refresh a token this long before Entra ID says it expires. */
const TOKEN_MARGIN_MS = 120_000;

/** An Entra ID object id. */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface TokenAnswer {
  access_token?: string;
  expires_in?: number | string;
  error?: string;
  error_description?: string;
}

/**
 * App-only tokens for `scope` (Graph by default) from `POST <login>/<tenant>/oauth2/v2.0/token`,
 * fetched on demand and reused until shortly before they expire. Implements the Graph client's
 * `AuthenticationProvider`; a failure to get one is already a Temporal failure, named by
 * `operation`.
 */
export class ClientCredentialsAuth implements AuthenticationProvider {
  private cached?: { token: string; until: number };
  private pending?: Promise<string>;

  constructor(
    private readonly settings: Pick<TeamsConnection, 'loginUrl' | 'tenantId' | 'clientId' | 'clientSecret'>,
    private readonly timeoutMs: number,
    private readonly scope: string = GRAPH_SCOPE,
    private readonly operation: string = 'get access token',
  ) {}

  getAccessToken = async (): Promise<string> => {
    if (this.cached && Date.now() < this.cached.until) return this.cached.token;
    // Concurrent calls share one token request.
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    return this.pending;
  };

  private async fetchToken(): Promise<string> {
    const { loginUrl, tenantId, clientId, clientSecret } = this.settings;
    const url = `${loginUrl}${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret.reveal(), scope: this.scope });
    let response: Response;
    let answer: TokenAnswer | undefined;
    try {
      response = await fetchWithTimeout(this.timeoutMs)(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
      });
      answer = parseJson(await response.text()) as TokenAnswer | undefined;
    } catch (error) {
      throw this.failure({ networkError: describeNetworkError(error) });
    }
    if (!response.ok || typeof answer?.access_token !== 'string') {
      const detail = [answer?.error, answer?.error_description].filter(Boolean).join(': ') || undefined;
      throw this.failure({ status: response.ok ? 502 : response.status, detail, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) });
    }
    const lifetimeMs = Number(answer.expires_in ?? 3599) * 1000;
    // A short-lived token is kept for half its life rather than not at all.
    const margin = Math.min(TOKEN_MARGIN_MS, lifetimeMs / 2);
    this.cached = { token: answer.access_token, until: Date.now() + lifetimeMs - margin };
    return answer.access_token;
  }

  private failure(problem: Omit<VendorCallProblem, 'vendor' | 'operation'>): ApplicationFailure {
    return vendorFailure({ vendor: TEAMS_VENDOR, operation: this.operation, ...problem }, [this.settings.clientSecret.reveal()]);
  }
}

export function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The last two links of the Graph client's chain. The client's own authentication handler
 * sends the token only to Microsoft's https hosts; this one sends it to the configured Graph URL
 * (a sovereign cloud, a test stub) and to nothing else, so a `@odata.nextLink` pointing
 * elsewhere never carries it.
 */
class BearerToken implements Middleware {
  private next?: Middleware;

  constructor(
    private readonly auth: AuthenticationProvider,
    private readonly graphUrl: string,
  ) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    if (url.startsWith(this.graphUrl)) {
      const options = (context.options ??= {});
      options.headers = { ...(options.headers as Record<string, string> | undefined), Authorization: `Bearer ${await this.auth.getAccessToken()}` };
    }
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/**
 * A call that failed, as the last link of the chain saw it. A `GraphClientError`, because
 * the Graph client passes those through untouched (anything else it rewraps, losing the
 * status of a non-JSON answer and every header, Retry-After included).
 */
class GraphCallError extends GraphClientError {
  constructor(readonly problem: Omit<VendorCallProblem, 'vendor' | 'operation'>) {
    super(problem.networkError ?? `HTTP ${problem.status}`);
    // GraphClientError's constructor sets its own prototype, which would hide this class.
    Object.setPrototypeOf(this, GraphCallError.prototype);
    this.name = 'GraphCallError';
  }
}

/** Sends the request with the deadline; a non-2xx answer or none becomes a {@link GraphCallError}. */
class DeadlineFetch implements Middleware {
  constructor(private readonly timeoutMs: number) {}

  async execute(context: Context): Promise<void> {
    let response: Response;
    let text: string | undefined;
    try {
      response = await fetchWithTimeout(this.timeoutMs)(context.request, context.options as RequestInit);
      if (!response.ok) text = await response.text();
    } catch (error) {
      throw new GraphCallError({ networkError: describeNetworkError(error) });
    }
    if (!response.ok) {
      throw new GraphCallError({ status: response.status, detail: graphDetail(parseJson(text ?? '')), retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) });
    }
    context.response = response;
  }
}

/** `TEAMS_GRAPH_URL` split as the Graph client wants it: host part and version. */
function splitGraphUrl(graphUrl: string): { baseUrl: string; defaultVersion: string } {
  const trimmed = graphUrl.replace(/\/+$/, '');
  // A URL without a version path (`https://graph.microsoft.com`) means v1.0.
  if (new URL(trimmed).pathname === '/') return { baseUrl: trimmed, defaultVersion: 'v1.0' };
  const at = trimmed.lastIndexOf('/');
  return { baseUrl: trimmed.slice(0, at), defaultVersion: trimmed.slice(at + 1) };
}

/** A Graph answer together with its status, for calls whose status says something (201 vs 200). */
export interface GraphAnswer<T> {
  status: number;
  body: T;
}

/**
 * Graph through one app registration: every call made with a token, within the deadline, and
 * failing with a Temporal failure that names the operation and holds no secret.
 */
export class GraphApi {
  readonly client: Client;
  private readonly auth: ClientCredentialsAuth;
  private readonly secrets: string[];
  /** Where every path is: `<base>/<version>/`. */
  private readonly root: string;

  constructor(
    readonly settings: TeamsConnection,
    /** The deadline on each call, which other Teams clients built beside this one share. */
    readonly timeoutMs: number,
  ) {
    this.auth = new ClientCredentialsAuth(settings, timeoutMs, graphScope(settings.graphUrl));
    this.secrets = [settings.clientSecret.reveal()];
    const { baseUrl, defaultVersion } = splitGraphUrl(settings.graphUrl);
    this.root = `${baseUrl}/${defaultVersion}/`;
    this.client = Client.initWithMiddleware({
      baseUrl,
      defaultVersion,
      middleware: [new BearerToken(this.auth, this.root), new DeadlineFetch(timeoutMs)],
    });
  }

  /** `path` relative to the Graph URL (`/teams/…`), or a `@odata.nextLink` under it. */
  async get<T>(operation: string, path: string): Promise<T> {
    const target = this.relative(operation, path);
    return this.call(operation, () => this.client.api(target).get() as Promise<T>);
  }

  async post<T>(operation: string, path: string, body: unknown): Promise<T> {
    return this.call(operation, () => this.client.api(path).post(body) as Promise<T>);
  }

  async patch<T>(operation: string, path: string, body: unknown): Promise<T> {
    return this.call(operation, () => this.client.api(path).patch(body) as Promise<T>);
  }

  /** A POST whose status matters (createOrGet answers 201 for new, 200 for existing). */
  async postWithStatus<T>(operation: string, path: string, body: unknown): Promise<GraphAnswer<T>> {
    // Raw, for the status; a refusal has already failed in the chain.
    const response = await this.call(operation, () => this.client.api(path).responseType(ResponseType.RAW).post(body) as Promise<Response>);
    const text = await this.call(operation, () => response.text());
    return { status: response.status, body: parseJson(text) as T };
  }

  /** The Temporal failure for a refusal found after the call (a status the adapter reads itself). */
  failure(operation: string, problem: Omit<VendorCallProblem, 'vendor' | 'operation'>): ApplicationFailure {
    return vendorFailure({ vendor: TEAMS_VENDOR, operation, ...problem }, this.secrets);
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    // The token first, outside the Graph client, which would rewrap its failure.
    await this.auth.getAccessToken();
    try {
      return await fn();
    } catch (error) {
      throw vendorFailure(graphProblem(operation, error), this.secrets);
    }
  }

  private relative(operation: string, path: string): string {
    if (!/^https?:\/\//.test(path)) return path;
    if (!path.startsWith(this.root)) {
      throw this.failure(operation, { status: 502, detail: 'Graph answered with a next page outside its own URL' });
    }
    return `/${path.slice(this.root.length)}`;
  }
}

/**
 * What Graph (or the Bot Framework, whose errors have the same shape) said: `error.code` and
 * `error.message` (`{ "error": { "code", "message" } }`), or any other body.
 */
export function graphDetail(body: unknown): string | undefined {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (error && typeof error === 'object') {
    return [error.code, error.message].filter((part) => typeof part === 'string' && part).join(': ') || undefined;
  }
  return vendorMessage(body);
}

/** What went wrong: from the chain's own error, or (should the client fail another way) its `GraphError`. */
function graphProblem(operation: string, error: unknown): VendorCallProblem {
  const base = { vendor: TEAMS_VENDOR, operation };
  if (error instanceof GraphCallError) return { ...base, ...error.problem };
  const graph = error as Partial<GraphError>;
  // A 2xx here is an answer whose body never arrived whole.
  if (typeof graph.statusCode === 'number' && graph.statusCode >= 300) return { ...base, status: graph.statusCode, detail: graph.message || undefined };
  return { ...base, networkError: describeNetworkError(error) };
}

/** Whether a failure from {@link GraphApi} is Graph's answer `status` (with, optionally, a code or words matching `said`). */
export function graphRefused(failure: unknown, status: number, said?: RegExp): boolean {
  const details = (failure as ApplicationFailure | undefined)?.details as Array<{ status?: number | null }> | undefined;
  if (details?.[0]?.status !== status) return false;
  return said === undefined || said.test(String((failure as Error).message));
}
