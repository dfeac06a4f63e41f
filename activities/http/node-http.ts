/**
 * The HTTP step on Node's own HTTP client (`node:http`, `node:https`). The request's host must
 * be allowed by `HTTP_STEP_ALLOWED_HOSTS`; it is resolved once, every address it resolves to
 * is checked, and the connection goes to the checked address (a `lookup` that answers only
 * it), so a name cannot resolve to one address for the check and another for the connection.
 * Node's `fetch` takes no such lookup without a dispatcher of its own, hence the HTTP module.
 */
import { lookup } from 'node:dns/promises';
import { type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { type HttpResponse, KEPT_RESPONSE_HEADERS, SECRET_REFERENCE } from '../../core/schemas/capabilities/http';
import { addressKind, allowedBy, forbiddenHost, normalizeHost } from '../../core/schemas/capabilities/http-hosts';
import type { HttpStepSettings } from '../../core/schemas/integrations-config';
import { waitDeadline } from '../deploy/wait';
import { fitText } from '../fit';
import { describeNetworkError, parseRetryAfter, redact, vendorFailure } from '../http-failures';
import { keyDigest } from '../step-input';
import type { HttpPort, HttpRequestCommand } from './port';

const VENDOR = 'HTTP step';
/** Characters of an unexpected answer's body a failure message quotes. */
const EXCERPT = 300;
/** Characters kept of each answer header. */
const HEADER_MAX = 1000;

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has: the system's resolver, or a test's. */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: ResolveHost = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

export interface NodeHttpOptions {
  settings: HttpStepSettings;
  /** `INTEGRATIONS_TIMEOUT_MS`: one attempt's deadline unless the step gives `timeoutMs`. */
  timeoutMs: number;
  /** @default the system's resolver */
  resolve?: ResolveHost;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  bytes: Buffer;
  truncated: boolean;
}

export class NodeHttp implements HttpPort {
  /** Every secret value the step may send, as sent and as JSON escapes it: scrubbed from answers and messages. */
  private readonly scrubbed: string[];

  constructor(private readonly options: NodeHttpOptions) {
    const values = [...options.settings.secrets.values()].map((secret) => secret.reveal());
    this.scrubbed = [...new Set([...values, ...values.map((value) => JSON.stringify(value).slice(1, -1))])];
  }

  async request(command: HttpRequestCommand): Promise<HttpResponse> {
    const startedAt = Date.now();
    const url = new URL(command.url);
    const operation = `${command.method} ${fitText(`${url.origin}${url.pathname}`, 300)}`;
    const headers = this.headers(command, operation);
    const address = await this.destination(url, operation);
    const body = encodeBody(command.body, headers);
    const deadline = Math.max(1, Math.min(command.timeoutMs ?? this.options.timeoutMs, waitDeadline(startedAt) - Date.now()));
    let answer: Answer;
    try {
      answer = await send(url, address, command.method, headers, body, deadline, this.options.settings.maxResponseBytes);
    } catch (error) {
      throw vendorFailure({ vendor: VENDOR, operation, networkError: describeNetworkError(error) }, this.scrubbed);
    }
    return this.outcome(command, operation, answer);
  }

  /**
   * The address to connect to: the host must be allowed, and every address it resolves to
   * must be reachable (never a metadata or link-local one; loopback only for a host named
   * exactly in the list). Refusals are not retried.
   */
  private async destination(url: URL, operation: string): Promise<ResolvedAddress> {
    const host = normalizeHost(url.hostname);
    const refuse = (why: string) =>
      ApplicationFailure.create({ message: `${VENDOR} ${operation} refused: ${why}`, type: CapabilityFailure.OutOfBounds, nonRetryable: true });
    const forbidden = forbiddenHost(host);
    if (forbidden) throw refuse(`${forbidden}, which no HTTP step may reach`);
    const allowed = allowedBy(host, this.options.settings.allowedHosts);
    if (!allowed) throw refuse(`${host} is not in HTTP_STEP_ALLOWED_HOSTS`);
    let addresses: ResolvedAddress[];
    const literal = addressKind(host);
    if (literal) {
      addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }];
    } else {
      try {
        addresses = await (this.options.resolve ?? systemResolver)(host);
      } catch (error) {
        throw vendorFailure({ vendor: VENDOR, operation, networkError: describeNetworkError(error) });
      }
      if (addresses.length === 0) throw vendorFailure({ vendor: VENDOR, operation, networkError: 'ENOTFOUND' });
    }
    for (const { address } of addresses) {
      const kind = addressKind(address);
      const shown = address === host ? host : `${host} resolves to ${address}`;
      if (kind === 'metadata') throw refuse(`${shown}, a cloud metadata address, which no HTTP step may reach`);
      if (kind === 'link-local') throw refuse(`${shown}, a link-local address (169.254.0.0/16, fe80::/10), which no HTTP step may reach`);
      if (kind === 'loopback' && allowed !== 'exact') {
        throw refuse(`${shown}, a loopback address, which only a host named exactly in HTTP_STEP_ALLOWED_HOSTS may reach (not through a wildcard)`);
      }
    }
    return addresses[0];
  }

  /** The request's headers: the runbook's, its secrets filled in by name, and the idempotency key. */
  private headers(command: HttpRequestCommand, operation: string): Record<string, string> {
    const headers: Record<string, string> = { 'user-agent': 'Firebreak', accept: 'application/json, text/*;q=0.9, */*;q=0.8', ...command.headers };
    for (const [name, reference] of Object.entries(command.secretHeaders ?? {})) {
      const [, scheme, variable] = SECRET_REFERENCE.exec(reference) ?? [];
      const secret = variable ? this.options.settings.secrets.get(variable) : undefined;
      if (!secret) {
        throw ApplicationFailure.create({
          message: `${VENDOR} ${operation}: secret header ${name} names ${variable ?? reference}, which is not one of HTTP_STEP_SECRETS`,
          type: CapabilityFailure.Misconfigured,
          nonRetryable: true,
        });
      }
      headers[name] = scheme ? `${scheme} ${secret.reveal()}` : secret.reveal();
    }
    headers['idempotency-key'] = keyDigest(command.idempotencyKey, 32);
    return headers;
  }

  /** The step's result, or its failure when the answer is not one it expects. */
  private outcome(command: HttpRequestCommand, operation: string, answer: Answer): HttpResponse {
    const { status, truncated } = answer;
    const text = redact(decode(answer.bytes, truncated), this.scrubbed);
    const headers = this.keptHeaders(answer.headers);
    const expected = command.expect?.status;
    const accepted = expected ? expected.includes(status) : status >= 200 && status < 300;
    if (!accepted) {
      const notes = [
        expected ? `expected ${expected.join(' or ')}` : undefined,
        status >= 300 && status < 400 ? `redirects are not followed${headers.location ? ` (to ${headers.location})` : ''}` : undefined,
        text.trim() ? fitText(text.trim(), EXCERPT) : undefined,
      ].filter(Boolean);
      // 429, 5xx and 408 are retried, after Retry-After; any other status fails the step.
      throw vendorFailure(
        { vendor: VENDOR, operation, status, detail: notes.join('; ') || undefined, retryAfterMs: parseRetryAfter(headers['retry-after']) },
        this.scrubbed,
      );
    }
    if (truncated && command.expect?.wholeBody) {
      throw ApplicationFailure.create({
        message: `${VENDOR} ${operation}: the answer is longer than HTTP_STEP_MAX_RESPONSE_BYTES (${this.options.settings.maxResponseBytes} bytes), and the step expects the whole body`,
        type: CapabilityFailure.OutOfBounds,
        nonRetryable: true,
        details: [{ status }],
      });
    }
    const body = text === '' ? undefined : !truncated && isJson(headers['content-type']) ? parseJson(text) : text;
    return { status, headers, ...(body !== undefined ? { body } : {}), truncated };
  }

  private keptHeaders(raw: IncomingHttpHeaders): Record<string, string> {
    const kept: Record<string, string> = {};
    for (const name of KEPT_RESPONSE_HEADERS) {
      const value = raw[name];
      if (value !== undefined) kept[name] = fitText(redact(Array.isArray(value) ? value.join(', ') : value, this.scrubbed), HEADER_MAX);
    }
    return kept;
  }
}

/** The body as bytes, with a content type unless the runbook set one: JSON, or a string as it is. */
function encodeBody(body: HttpRequestCommand['body'], headers: Record<string, string>): Buffer | undefined {
  if (body === undefined) return undefined;
  const typed = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  if (typeof body === 'string') {
    if (!typed) headers['content-type'] = 'text/plain; charset=utf-8';
    return Buffer.from(body, 'utf8');
  }
  if (!typed) headers['content-type'] = 'application/json';
  return Buffer.from(JSON.stringify(body), 'utf8');
}

/**
 * Sends one request to `address` (the checked one: the lookup answers nothing else) and reads
 * at most `maxBytes` of the answer's body, then stops reading. Redirects are not followed.
 */
function send(
  url: URL,
  address: ResolvedAddress,
  method: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  timeoutMs: number,
  maxBytes: number,
): Promise<Answer> {
  const pinned = ((_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: address.address, family: address.family }]);
    else callback(null, address.address, address.family);
  }) as LookupFunction;
  const signal = AbortSignal.timeout(timeoutMs);
  const transport = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Answer>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      reject(signal.aborted ? signal.reason : error);
    };
    const outgoing = transport(
      url,
      { method, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) }, lookup: pinned, agent: false, signal },
      (incoming) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = (truncated: boolean) => {
          if (settled) return;
          settled = true;
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, bytes: Buffer.concat(chunks), truncated });
        };
        incoming.on('data', (chunk: Buffer) => {
          if (settled) return;
          const room = maxBytes - size;
          if (chunk.length <= room) {
            chunks.push(chunk);
            size += chunk.length;
            return;
          }
          chunks.push(chunk.subarray(0, room));
          done(true);
          incoming.destroy();
        });
        incoming.on('end', () => done(false));
        incoming.on('error', fail);
        incoming.on('close', () => fail(new Error('the answer ended early')));
      },
    );
    outgoing.on('error', fail);
    outgoing.end(body);
  });
}

/** UTF-8 text of `bytes`; a body cut mid-character loses that character rather than ending in a replacement mark. */
function decode(bytes: Buffer, truncated: boolean): string {
  let end = bytes.length;
  if (truncated) {
    let start = end;
    while (start > 0 && start > end - 4 && (bytes[start - 1] & 0xc0) === 0x80) start -= 1;
    const lead = start > 0 ? bytes[start - 1] : 0;
    const needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (start > 0 && lead >= 0xc0 && end - (start - 1) < needed) end = start - 1;
  }
  return bytes.subarray(0, end).toString('utf8');
}

const isJson = (type: string | undefined) => type !== undefined && /^application\/([\w.+-]+\+)?json\b/i.test(type.trim());

function parseJson(text: string): HttpResponse['body'] {
  try {
    return JSON.parse(text) as HttpResponse['body'];
  } catch {
    return text;
  }
}
