import { createHash, timingSafeEqual } from 'node:crypto';
import { ValidationFailedError } from '../http/failures';

/** Bytes of the check in front of each token. */
const CHECK_BYTES = 12;

/** How one listing hands out Temporal's page tokens and takes them back. */
export interface ListingTokens {
  /** Temporal's `nextPageToken` for the listing of `query`, as the API hands it out. */
  seal(query: string, token: Uint8Array): string;
  /** Temporal's page token from one the API handed out for `query`; a 400 naming the field for any other. */
  open(query: string, sealed: string): Buffer;
}

/**
 * Page tokens that carry a check of their listing: Temporal answers a page token it cannot
 * decode with an error the client retries until its deadline (a 503), so the API refuses any
 * token it did not hand out for the same filters, up front, with a 400 naming the field.
 *
 * `listing` names what is listed (`incident`): one listing's tokens do not open another's.
 * `field` is the query parameter tokens come back in, the answer field they go out in, and
 * the rule a bad one breaks.
 */
export function listingTokens(listing: string, field: { request: string; answer: string; rule: string }): ListingTokens {
  const check = (query: string, token: Uint8Array) =>
    createHash('sha256').update(`firebreak ${listing} page\n`).update(query).update('\n').update(token).digest().subarray(0, CHECK_BYTES);
  return {
    seal: (query, token) => Buffer.concat([check(query, token), token]).toString('base64url'),
    open(query, sealed) {
      const bytes = Buffer.from(sealed, 'base64url');
      const token = bytes.subarray(CHECK_BYTES);
      if (token.length === 0 || !timingSafeEqual(bytes.subarray(0, CHECK_BYTES), check(query, token))) {
        const message = `not a ${field.answer} of this listing: use one from an earlier page with the same filters`;
        throw new ValidationFailedError([{ path: [field.request], rule: field.rule, message }]);
      }
      return token;
    },
  };
}
