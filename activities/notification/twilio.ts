import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type { TwilioSettings } from '../../core/schemas/integrations-config';
import { describeNetworkError, parseRetryAfter, type VendorCallProblem, vendorFailure, vendorMessage } from '../http-failures';
import { smsText, voiceScript } from './message';
import type { Delivery, NotificationChannel } from './port';

const VENDOR = 'Twilio';

/** A non-2xx answer, with what the library's own exceptions drop: the Retry-After header. */
class TwilioAnswer extends Error {
  constructor(
    readonly status: number,
    readonly detail: string | undefined,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`HTTP ${status}${detail ? `: ${detail}` : ''}`);
    this.name = 'TwilioAnswer';
  }
}

/**
 * The twilio library's own HTTP client (HTTP Basic with the account SID and auth token,
 * form-encoded bodies), with two changes: requests go to `apiUrl` instead of Twilio's hosts
 * when it is set (a test server, a proxy), and a non-2xx answer is raised with its status,
 * Twilio's error code and message, and its Retry-After.
 */
class TwilioHttpClient extends twilio.RequestClient {
  constructor(
    private readonly apiUrl: string | undefined,
    timeoutMs: number,
  ) {
    super({ timeout: timeoutMs, autoRetry: false });
  }

  override async request<TData>(options: RequestClient.RequestOptions<TData>) {
    const uri = this.apiUrl ? rebased(options.uri, this.apiUrl) : options.uri;
    const response = await super.request({ ...options, uri });
    if (response.statusCode < 200 || response.statusCode >= 300) {
      const body = typeof response.body === 'string' ? parsed(response.body) : (response.body as unknown);
      const code = (body as { code?: unknown } | undefined)?.code;
      const said = vendorMessage(body);
      const detail = said && typeof code === 'number' ? `${said} (Twilio error ${code})` : said;
      throw new TwilioAnswer(response.statusCode, detail, parseRetryAfter(response.headers?.['retry-after']));
    }
    return response;
  }
}

/** `uri` (on Twilio's host) with its path and query under `base`. */
function rebased(uri: string, base: string): string {
  const url = new URL(uri);
  return `${base.replace(/\/+$/, '')}${url.pathname}${url.search}`;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The official Twilio client, with its own retries off: Temporal retries the activity. */
export function createTwilioClient(settings: TwilioSettings, timeoutMs: number): twilio.Twilio {
  return twilio(settings.accountSid, settings.authToken.reveal(), {
    httpClient: new TwilioHttpClient(settings.apiUrl, timeoutMs),
    autoRetry: false,
  });
}

/**
 * Twilio has no idempotency key for messages or calls, and a record kept in this process
 * would not survive a worker restart. So each attempt sends at most once and the guard is the
 * workflow's: one activity per person, level, round and rule, never started twice. A retry
 * after a timeout whose request did reach Twilio can still send a second SMS or call; a
 * refusal (4xx: a bad number, a bad sender) fails at once instead of retrying.
 */
abstract class TwilioChannel implements NotificationChannel {
  readonly provider = 'twilio';
  private readonly secrets: string[];

  constructor(
    protected readonly client: twilio.Twilio,
    protected readonly settings: Pick<TwilioSettings, 'authToken' | 'from'>,
  ) {
    this.secrets = [settings.authToken.reveal()];
  }

  abstract deliver(delivery: Delivery): Promise<{ vendorId?: string }>;

  protected async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw vendorFailure(twilioProblem(operation, error), this.secrets);
    }
  }
}

/** SMS through Twilio's Messages API: the headline, the reply code and the acknowledgement link. */
export class TwilioSmsChannel extends TwilioChannel {
  async deliver({ command, address, links }: Delivery): Promise<{ vendorId?: string }> {
    const message = await this.call('send SMS', () =>
      this.client.messages.create({ to: address, from: this.settings.from, body: smsText(command, links) }),
    );
    return { vendorId: message.sid };
  }
}

/**
 * A voice call through Twilio's Calls API with inline TwiML: the incident read out twice,
 * then how to acknowledge (the link sent by SMS or email, or an SMS reply). A call carries
 * no link of its own.
 */
export class TwilioVoiceChannel extends TwilioChannel {
  async deliver({ command, address }: Delivery): Promise<{ vendorId?: string }> {
    const script = voiceScript(command);
    const twiml = new twilio.twiml.VoiceResponse();
    twiml.say(script);
    twiml.pause({ length: 1 });
    twiml.say(script);
    const call = await this.call('place call', () =>
      this.client.calls.create({ to: address, from: this.settings.from, twiml: twiml.toString() }),
    );
    return { vendorId: call.sid };
  }
}

/** What went wrong: an answer from {@link TwilioHttpClient}, or none (axios's timeout and network errors). */
function twilioProblem(operation: string, error: unknown): VendorCallProblem {
  const base = { vendor: VENDOR, operation };
  if (error instanceof TwilioAnswer) return { ...base, status: error.status, detail: error.detail, retryAfterMs: error.retryAfterMs };
  const code = (error as { code?: unknown }).code;
  return { ...base, networkError: code === 'ECONNABORTED' || code === 'ETIMEDOUT' ? 'timed out' : describeNetworkError(error) };
}
