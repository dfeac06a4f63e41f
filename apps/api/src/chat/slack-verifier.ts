import { Inject, Injectable, NotFoundException, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { RecentKeys } from './recent-keys';
import { checkSlackSignature, SLACK_REQUEST_WINDOW_SECONDS } from './slack-signature';
import { SLACK_INTERACTIVITY, type SlackInteractivity } from './slack-settings';

/** Signatures and trigger ids held at most, each; past it requests answer 503 until the oldest expire. */
export const SLACK_RECENT_MAX = 20_000;
/**
 * A signature is accepted while its timestamp is within 5 minutes of now, so for at most 10
 * minutes after it is first seen (a timestamp 5 minutes ahead): held that long.
 */
const SIGNATURE_TTL_MS = 2 * SLACK_REQUEST_WINDOW_SECONDS * 1000;
/** Slack retries within minutes, and a `response_url` lives 30: an action is remembered that long. */
const ACTED_TTL_MS = 30 * 60 * 1000;

/** A request that is Slack's: its raw body, and whether it repeats one already received. */
export interface SlackRequest {
  body: Buffer;
  /** A Slack retry (`X-Slack-Retry-Num`) of a request received before: answer 200, do nothing. */
  repeat: boolean;
}

const header = (request: Request, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Which requests are Slack's, and which were acted on. A request must carry Slack's
 * signature of its raw body and a timestamp within 5 minutes; a signature seen before is a
 * replay (401), unless Slack says it is retrying (then 200 and nothing done again). What a
 * request asks is done once per Slack trigger id, whichever replica or retry brings it here
 * first in this process; Temporal's ids (derived from the trigger id) keep it once across
 * replicas.
 */
@Injectable()
export class SlackVerifier {
  private readonly signatures = new RecentKeys(SIGNATURE_TTL_MS, SLACK_RECENT_MAX);
  private readonly acted = new RecentKeys(ACTED_TTL_MS, SLACK_RECENT_MAX);

  constructor(@Inject(SLACK_INTERACTIVITY) private readonly settings: SlackInteractivity) {}

  /** The request's raw body once it is shown to be Slack's; 404 without a signing secret, 401 when it is not. */
  verify(request: Request): SlackRequest {
    const secret = this.settings.signingSecret;
    if (!secret) throw new NotFoundException('Slack requests need SLACK_SIGNING_SECRET');
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const signature = header(request, 'x-slack-signature');
    const check = checkSlackSignature(secret, { timestamp: header(request, 'x-slack-request-timestamp'), signature }, body, Date.now());
    if (!check.ok) throw new UnauthorizedException(check.reason);
    const seen = this.signatures.add(signature!);
    if (seen === 'full') throw new ServiceUnavailableException('too many Slack requests in the last 10 minutes: try again shortly');
    if (seen === 'seen') {
      if (header(request, 'x-slack-retry-num') !== undefined) return { body, repeat: true };
      throw new UnauthorizedException('this request was received before: refused as a replay');
    }
    return { body, repeat: false };
  }

  /** True the first time a trigger id is acted on; false for a retry or a repeat of it. */
  firstTime(triggerId: string): boolean {
    const noted = this.acted.add(triggerId);
    if (noted === 'full') throw new ServiceUnavailableException('too many Slack requests in the last 30 minutes: try again shortly');
    return noted === 'added';
  }
}
