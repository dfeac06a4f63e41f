/**
 * Checks that an SNS message came from SNS
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html): the
 * signature is RSA over {@link snsStringToSign}, checked with the certificate at
 * `SigningCertURL`, which must be on the SNS service's own host. Also confirms
 * subscriptions, visiting `SubscribeURL` only when it is SNS's.
 */
import { type KeyObject, verify as verifySignature, X509Certificate } from 'node:crypto';
import {
  isSnsServiceUrl,
  SnsMessageType,
  snsStringToSign,
  type SnsEnvelope,
  type SnsSubscriptionConfirmation,
} from '../../../../../core/schemas/alert-sources/sns';

/** Fetches the PEM certificate at a URL; {@link fetchSnsCertificate} in production. */
export type FetchCertificate = (url: string) => Promise<string>;

/** The subset of `fetch` that {@link confirmSubscription} uses. */
export type HttpGet = (url: string, init?: RequestInit) => Promise<Response>;

/** The digest each `SignatureVersion` signs with (RSA PKCS#1 v1.5 either way). */
const DIGEST_OF_VERSION: Record<string, string> = { '1': 'sha1', '2': 'sha256' };

/** Requests to SNS give up after this long; SNS retries a delivery Firebreak did not take. */
export const SNS_REQUEST_TIMEOUT_MS = 5_000;

/** Signing certificates remembered, by URL. SNS uses a handful at a time; this bounds a flood of made-up URLs. */
export const SNS_CERTIFICATE_CACHE_SIZE = 32;

/** A message published longer ago than this is refused: a captured message cannot be replayed later. */
export const SNS_MAX_MESSAGE_AGE_MS = 60 * 60 * 1000;

/** How far ahead of this clock a message's `Timestamp` may be (clock skew), before it is refused too. */
export const SNS_MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * Why a message's `Timestamp` (when SNS published it; redeliveries keep it) is too old or too
 * far in the future to accept now, or undefined. Check it with the signature, which vouches for it.
 */
export function snsTimestampRefusal(timestamp: string, nowMs: number): string | undefined {
  const at = Date.parse(timestamp);
  if (Number.isNaN(at)) return 'Timestamp is not a date-time';
  if (nowMs - at > SNS_MAX_MESSAGE_AGE_MS) return `the message was published more than an hour ago (Timestamp ${timestamp}); a replay, or a redelivery too late to act on`;
  if (at - nowMs > SNS_MAX_CLOCK_SKEW_MS) return `the message's Timestamp ${timestamp} is in the future: check this host's clock`;
  return undefined;
}

/** The topic's name (the ARN's last part): with `sns:`, the actor on the timeline. */
export const snsTopicName = (topicArn: string): string => topicArn.slice(topicArn.lastIndexOf(':') + 1);

/** Certificates are about 2 KB; anything far larger is not one. */
const MAX_CERTIFICATE_CHARS = 64 * 1024;

/** A URL in an SNS message that is not on the SNS service's host, so Firebreak will not request it. */
export class SnsUrlRefusedError extends Error {
  constructor(
    readonly field: 'SigningCertURL' | 'SubscribeURL',
    readonly url: string,
  ) {
    super(`${field} is not an https URL on the SNS service's host: ${url}`);
    this.name = 'SnsUrlRefusedError';
  }
}

/**
 * The signing certificate could not be fetched or read. The message may well be genuine, so
 * the caller should answer 5xx and let SNS redeliver, not refuse it.
 */
export class SnsCertificateUnavailableError extends Error {
  constructor(
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(`the SNS signing certificate at ${url} could not be fetched or read`, options);
    this.name = 'SnsCertificateUnavailableError';
  }
}

/**
 * Fetches a signing certificate from SNS. Refuses, before any request, a URL that
 * {@link isSnsServiceUrl} rejects, and follows no redirects, so the certificate can only
 * come from SNS itself over TLS.
 */
export async function fetchSnsCertificate(url: string, timeoutMs: number = SNS_REQUEST_TIMEOUT_MS): Promise<string> {
  if (!isSnsServiceUrl(url)) throw new SnsUrlRefusedError('SigningCertURL', url);
  const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`SNS answered ${response.status} for its signing certificate`);
  const pem = await response.text();
  if (pem.length > MAX_CERTIFICATE_CHARS) throw new Error('the signing certificate is implausibly large');
  return pem;
}

export interface SnsSignatureVerifierOptions {
  /** @default {@link fetchSnsCertificate} */
  fetchCertificate?: FetchCertificate;
  /** @default {@link SNS_CERTIFICATE_CACHE_SIZE} */
  cacheSize?: number;
}

export class SnsSignatureVerifier {
  private readonly fetchCertificate: FetchCertificate;
  private readonly cacheSize: number;
  /** Public keys by certificate URL, least recently used first; a pending fetch is shared. */
  private readonly keys = new Map<string, Promise<KeyObject>>();

  constructor({
    fetchCertificate = fetchSnsCertificate,
    cacheSize = SNS_CERTIFICATE_CACHE_SIZE,
  }: SnsSignatureVerifierOptions = {}) {
    this.fetchCertificate = fetchCertificate;
    this.cacheSize = Math.max(1, cacheSize);
  }

  /**
   * True when SNS signed this message. False for an unknown signature version, a
   * certificate URL off the SNS host (never fetched) or a signature that does not match.
   * @throws {@link SnsCertificateUnavailableError} when the certificate cannot be had.
   */
  async verify(envelope: SnsEnvelope): Promise<boolean> {
    const digest = DIGEST_OF_VERSION[envelope.SignatureVersion];
    if (!digest || !isSnsServiceUrl(envelope.SigningCertURL)) return false;
    const key = await this.publicKey(envelope.SigningCertURL);
    try {
      return verifySignature(
        digest,
        Buffer.from(snsStringToSign(envelope), 'utf8'),
        key,
        Buffer.from(envelope.Signature, 'base64'),
      );
    } catch {
      // A signature of the wrong shape for the key is a bad signature, not an outage.
      return false;
    }
  }

  private publicKey(url: string): Promise<KeyObject> {
    const cached = this.keys.get(url);
    if (cached) {
      this.keys.delete(url);
      this.keys.set(url, cached);
      return cached;
    }
    const loading = this.load(url);
    this.keys.set(url, loading);
    // A failure is not remembered: the next message tries again.
    void loading.catch(() => {
      if (this.keys.get(url) === loading) this.keys.delete(url);
    });
    while (this.keys.size > this.cacheSize) this.keys.delete(this.keys.keys().next().value as string);
    return loading;
  }

  private async load(url: string): Promise<KeyObject> {
    try {
      return new X509Certificate(await this.fetchCertificate(url)).publicKey;
    } catch (error) {
      throw new SnsCertificateUnavailableError(url, { cause: error });
    }
  }
}

/**
 * Confirms a subscription by visiting its `SubscribeURL` once. Call it only for a message
 * {@link SnsSignatureVerifier.verify} accepted. Refuses, before any request, a URL off the
 * SNS host (the message's sender chose it) and an `UnsubscribeConfirmation`, whose
 * `SubscribeURL` would undo an unsubscribe.
 * @throws {@link SnsUrlRefusedError} for such a URL; an Error when SNS does not answer 2xx.
 */
export async function confirmSubscription(
  envelope: SnsSubscriptionConfirmation,
  get: HttpGet = fetch,
  timeoutMs: number = SNS_REQUEST_TIMEOUT_MS,
): Promise<void> {
  if (envelope.Type !== SnsMessageType.SubscriptionConfirmation) {
    throw new Error(`only a SubscriptionConfirmation is confirmed, not a ${String(envelope.Type)}`);
  }
  if (!isSnsServiceUrl(envelope.SubscribeURL)) throw new SnsUrlRefusedError('SubscribeURL', envelope.SubscribeURL);
  const response = await get(envelope.SubscribeURL, {
    method: 'GET',
    redirect: 'error',
    signal: AbortSignal.timeout(timeoutMs),
  });
  // Read the answer so the connection can be reused; its XML only repeats the subscription ARN.
  await response.text();
  if (!response.ok) throw new Error(`SNS answered ${response.status} when confirming the subscription`);
}
