/**
 * The core of every vendor stub: a real HTTP server on a free loopback port that routes
 * requests to a vendor's handlers, checks authentication, records every request, counts
 * side effects, and on demand answers with a fault instead: any status (429 with
 * Retry-After, 5xx, 4xx), or no answer at all (hang), before or after acting.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface StubRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON or form body (form values that are JSON are parsed too), else the text. */
  body: any;
  /** Path parameters (`:name` segments of the route). */
  params: Record<string, string>;
  /** The route that took it. */
  route: string;
}

export interface StubAnswer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type StubHandler = (request: StubRequest) => StubAnswer | Promise<StubAnswer>;

/** What a route does instead of answering normally, once per queued fault. */
export type Fault =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Never answer, and do nothing. */
  | 'hang'
  /** Do the work (effects count), but never answer: a call whose outcome the caller cannot know. */
  | 'act-then-hang'
  /** Do the work (effects count), and answer only once `until` settles: a slow answer. */
  | { actThenAnswerAfter: Promise<unknown> };

interface Route {
  name: string;
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: StubHandler;
}

export interface StubOptions {
  vendor: string;
  /** Whether a request carries valid credentials; others get `unauthorized`. */
  authorize: (request: StubRequest) => boolean;
  /** The vendor's own answer to bad credentials. */
  unauthorized: StubAnswer;
  /** The vendor's answer to an unknown route. */
  notFound?: StubAnswer;
}

export class StubServer {
  readonly requests: StubRequest[] = [];
  private readonly routes: Route[] = [];
  private readonly faults = new Map<string, Fault[]>();
  private readonly effects = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private server?: Server;
  url = '';

  constructor(private readonly options: StubOptions) {}

  /** Adds a route; `path` may hold `:name` segments. */
  route(name: string, method: string, path: string, handler: StubHandler): this {
    const keys: string[] = [];
    const pattern = new RegExp(
      `^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_, key: string) => (keys.push(key), '([^/]+)'))}$`,
    );
    this.routes.push({ name, method, pattern, keys, handler });
    return this;
  }

  /** The next requests to `route` meet these faults, in order; later ones are served normally. */
  fail(route: string, ...faults: Fault[]): this {
    this.faults.set(route, [...(this.faults.get(route) ?? []), ...faults]);
    return this;
  }

  /** Every request to `route` meets `fault`, until {@link heal}. */
  failAlways(route: string, fault: Fault): this {
    return this.fail(route, ...Array.from({ length: 10_000 }, () => fault));
  }

  heal(route?: string): this {
    if (route) this.faults.delete(route);
    else this.faults.clear();
    return this;
  }

  /** Counts one side effect of `kind` (handlers call this when they change state). */
  effect(kind: string): void {
    this.effects.set(kind, (this.effects.get(kind) ?? 0) + 1);
  }

  /** How many side effects of `kind` happened. */
  count(kind: string): number {
    return this.effects.get(kind) ?? 0;
  }

  /** The requests `route` received (faulted ones included). */
  calls(route: string): StubRequest[] {
    return this.requests.filter((request) => request.route === route);
  }

  async start(): Promise<this> {
    this.server = createServer((incoming, response) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const url = new URL(incoming.url ?? '/', 'http://stub');
        const raw = Buffer.concat(chunks).toString('utf8');
        void this.handle(incoming.method ?? 'GET', url, incoming.headers, parseBody(raw, incoming.headers['content-type']), response);
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(method: string, url: URL, headers: IncomingHttpHeaders, body: unknown, response: ServerResponse) {
    let matched: { route: Route; params: Record<string, string> } | undefined;
    for (const route of this.routes) {
      const match = route.method === method ? route.pattern.exec(url.pathname) : null;
      if (match) {
        matched = { route, params: Object.fromEntries(route.keys.map((key, i) => [key, decodeURIComponent(match[i + 1])])) };
        break;
      }
    }
    const request: StubRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers,
      body,
      params: matched?.params ?? {},
      route: matched?.route.name ?? '(none)',
    };
    this.requests.push(request);
    if (!matched) return send(response, this.options.notFound ?? { status: 404, body: { message: `no route ${method} ${url.pathname}` } });
    const fault = this.faults.get(matched.route.name)?.shift();
    if (fault === 'hang') return;
    if (fault && fault !== 'act-then-hang' && !('actThenAnswerAfter' in fault)) return send(response, fault);
    if (!this.options.authorize(request)) return send(response, this.options.unauthorized);
    let answer: StubAnswer;
    try {
      answer = await matched.route.handler(request);
    } catch (error) {
      answer =
        error instanceof StubRejection ? error.answer : { status: 500, body: { message: `stub handler failed: ${String(error)}` } };
    }
    if (fault === 'act-then-hang') return;
    if (fault) await fault.actThenAnswerAfter.catch(() => undefined);
    send(response, answer);
  }
}

function send(response: ServerResponse, { status = 200, body, headers = {} }: StubAnswer): void {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}), ...headers });
  response.end(text);
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (!raw) return undefined;
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(
      [...new URLSearchParams(raw)].map(([key, value]) => {
        if (/^[[{]/.test(value)) {
          try {
            return [key, JSON.parse(value)];
          } catch {
            return [key, value];
          }
        }
        return [key, value];
      }),
    );
  }
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Thrown by a handler that refuses a request as its vendor would: the stub answers with it. */
export class StubRejection extends Error {
  constructor(readonly answer: StubAnswer) {
    super(`rejected with ${answer.status}`);
  }
}

/** `Basic` credentials as a header value. */
export const basicAuth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
