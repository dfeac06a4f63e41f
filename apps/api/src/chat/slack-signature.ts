import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a request's timestamp may be from now, either way, in seconds (Slack's own advice). */
export const SLACK_REQUEST_WINDOW_SECONDS = 5 * 60;

/**
 * Slack's signature of a request: `v0=` and the hex HMAC-SHA256, keyed with the app's signing
 * secret, of `v0:<X-Slack-Request-Timestamp>:<the body as sent>`.
 */
export function slackSignature(secret: string, timestamp: string, body: Buffer): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(body);
  return `v0=${hmac.digest('hex')}`;
}

/** Why a request is not Slack's, or that it is. */
export type SlackSignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: string };

/**
 * Checks a request's signature headers against its raw body: the timestamp within
 * {@link SLACK_REQUEST_WINDOW_SECONDS} of `nowMs`, and the signature equal to ours, compared in
 * constant time.
 */
export function checkSlackSignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: Buffer,
  nowMs: number,
): SlackSignatureCheck {
  const { timestamp, signature } = headers;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'X-Slack-Request-Timestamp must be a Unix time in seconds' };
  const seconds = Number(timestamp);
  if (Math.abs(nowMs / 1000 - seconds) > SLACK_REQUEST_WINDOW_SECONDS) {
    return { ok: false, reason: 'X-Slack-Request-Timestamp is more than 5 minutes from now: refused as a possible replay' };
  }
  if (!signature || !/^v0=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'X-Slack-Signature must be v0= and 64 hex digits' };
  const expected = Buffer.from(slackSignature(secret, timestamp, body), 'utf8');
  if (!timingSafeEqual(expected, Buffer.from(signature, 'utf8'))) return { ok: false, reason: 'X-Slack-Signature does not match this request' };
  return { ok: true, timestamp: seconds };
}
