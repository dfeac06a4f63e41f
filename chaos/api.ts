/**
 * Firebreak's API as a monitoring system and an operator reach it during a fault: requests
 * spread round-robin over the API replicas, each with a deadline, and retried as
 * Alertmanager retries a webhook: on a connection error, a timeout, `503` or `429` (after
 * `Retry-After` when given), with back-off, against the next replica, within a bound.
 * A retried write carries the same `Idempotency-Key`, so it applies once.
 */
export interface Answer<T = unknown> {
  status: number;
  body: T;
}

/** Why a request never got an answer worth keeping, with how often it was tried. */
export class GaveUp extends Error {
  constructor(
    readonly attempts: number,
    readonly last: string,
  ) {
    super(`gave up after ${attempts} attempts: ${last}`);
  }
}

export interface RetryPolicy {
  /** How long one attempt may take. */
  attemptTimeoutMs: number;
  /** How long a request may keep retrying in all. */
  giveUpAfterMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export const ALERTMANAGER_LIKE: RetryPolicy = { attemptTimeoutMs: 15_000, giveUpAfterMs: 300_000, firstDelayMs: 250, maxDelayMs: 5_000 };

/** For the checks' reads: a read that cannot be answered soon is asked again by the next poll, so the check's own bound holds. */
export const READS: RetryPolicy = { attemptTimeoutMs: 10_000, giveUpAfterMs: 20_000, firstDelayMs: 250, maxDelayMs: 2_000 };

/** Statuses a sender retries: the API is overloaded or cannot reach Temporal for now. */
const RETRIED = new Set([429, 502, 503, 504]);

export class FirebreakApi {
  private next = 0;
  /** Requests that needed more than one attempt, and attempts made in all. */
  retried = 0;
  attempts = 0;

  constructor(
    private readonly urls: string[],
    private readonly key: string,
    private readonly policy: RetryPolicy = ALERTMANAGER_LIKE,
  ) {}

  get<T>(path: string): Promise<Answer<T>> {
    return this.send<T>('GET', path);
  }

  post<T>(path: string, body: unknown, idempotencyKey?: string): Promise<Answer<T>> {
    return this.send<T>('POST', path, body, idempotencyKey);
  }

  /** Sends until an answer that is not retried, or throws {@link GaveUp} past the bound. */
  async send<T>(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<Answer<T>> {
    const deadline = Date.now() + this.policy.giveUpAfterMs;
    let delay = this.policy.firstDelayMs;
    for (let attempt = 1; ; attempt++) {
      this.attempts++;
      if (attempt === 2) this.retried++;
      const url = this.urls[this.next++ % this.urls.length];
      let last: string;
      let wait = delay;
      try {
        const response = await fetch(`${url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${this.key}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.policy.attemptTimeoutMs),
        });
        const text = await response.text();
        if (!RETRIED.has(response.status)) return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
        last = `${response.status} ${text.slice(0, 200)}`;
        const retryAfter = Number(response.headers.get('retry-after'));
        if (retryAfter > 0) wait = Math.max(wait, retryAfter * 1000);
      } catch (error) {
        last = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      if (Date.now() + wait > deadline) throw new GaveUp(attempt, last);
      await new Promise((resolve) => setTimeout(resolve, wait));
      delay = Math.min(delay * 2, this.policy.maxDelayMs);
    }
  }
}
