/**
 * Grafana's webhook HMAC signature
 * (https://grafana.com/docs/grafana/latest/alerting/configure-notifications/manage-contact-points/integrations/webhook-notifier/#hmac-signature):
 * with a secret set on the contact point, Grafana sends the hex HMAC-SHA256 of the raw body,
 * or of `timestamp:body` when a timestamp header is configured, in a signature header.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header Grafana puts the signature in unless the contact point names another (Node lower-cases header names). */
export const GRAFANA_SIGNATURE_HEADER = 'x-grafana-alerting-signature';

/**
 * Grafana sends a timestamp only when the contact point names a header for it; it has no
 * default. This is the name Grafana's own examples use, and the one Firebreak requires
 * whenever a secret is set: a signature without a timestamp could be replayed forever.
 */
export const GRAFANA_TIMESTAMP_HEADER = 'x-grafana-alerting-timestamp';

/** How far a signed timestamp may be from now before a request counts as a replay. */
export const GRAFANA_TIMESTAMP_TOLERANCE_SECONDS = 300;

export interface GrafanaSignatureInput {
  /** The body exactly as received: re-serialized JSON would not match. */
  rawBody: Buffer;
  secret: string;
  /** The signature header's value; absent means unsigned, which never verifies. */
  signature: string | undefined;
  /** The timestamp header's value, when the contact point sends one. */
  timestamp?: string;
}

/** True when `signature` is Grafana's HMAC of this body (and timestamp) under `secret`. */
export function verifyGrafanaSignature({ rawBody, secret, signature, timestamp }: GrafanaSignatureInput): boolean {
  // An empty secret would let anyone who guesses the setting is blank sign requests.
  if (!secret || !signature) return false;
  const hmac = createHmac('sha256', secret);
  if (timestamp !== undefined) hmac.update(`${timestamp}:`);
  const expected = Buffer.from(hmac.update(rawBody).digest('hex'), 'utf8');
  const received = Buffer.from(signature.trim().toLowerCase(), 'utf8');
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/**
 * True when a signed Unix timestamp (seconds) is within `toleranceSeconds` of `nowMs`: a
 * captured request replayed later fails. Check it after the signature, which vouches for it.
 */
export function isFreshGrafanaTimestamp(
  timestamp: string,
  nowMs: number,
  toleranceSeconds: number = GRAFANA_TIMESTAMP_TOLERANCE_SECONDS,
): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(nowMs / 1000 - Number(timestamp)) <= toleranceSeconds;
}

export interface GrafanaDelivery {
  rawBody: Buffer;
  secret: string;
  signature: string | undefined;
  timestamp: string | undefined;
  nowMs: number;
}

/**
 * Why a delivery does not prove it is Grafana's, now, or undefined when it does: the
 * signature and the timestamp present, the signature over `timestamp:body` right, the
 * timestamp within {@link GRAFANA_TIMESTAMP_TOLERANCE_SECONDS} of now.
 */
export function grafanaDeliveryRefusal({ rawBody, secret, signature, timestamp, nowMs }: GrafanaDelivery): string | undefined {
  if (!signature) return `the ${GRAFANA_SIGNATURE_HEADER} header is missing: give the contact point's HMAC signature the secret in GRAFANA_WEBHOOK_SECRET`;
  if (!timestamp) {
    return `the ${GRAFANA_TIMESTAMP_HEADER} header is missing: set the contact point's HMAC timestamp header to X-Grafana-Alerting-Timestamp (a signature without a time could be replayed)`;
  }
  if (!verifyGrafanaSignature({ rawBody, secret, signature, timestamp })) return `the ${GRAFANA_SIGNATURE_HEADER} signature does not match the timestamp and body`;
  if (!isFreshGrafanaTimestamp(timestamp, nowMs)) {
    return `the ${GRAFANA_TIMESTAMP_HEADER} timestamp is more than ${GRAFANA_TIMESTAMP_TOLERANCE_SECONDS / 60} minutes from now (a replayed delivery, or a clock that is off)`;
  }
  return undefined;
}
