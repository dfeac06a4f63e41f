import type { Right } from '../../../../core/model/rights';
import { routeAccess } from './requires.decorator';

/**
 * A route the guard lets through without a key. `why` says what stands in for one: nothing
 * (health, the status page), a signature (Slack, Twilio, SNS) or a signed token (ack links).
 * `checks` is the right the route's own check enforces with its own credential (PagerDuty's
 * `routing_key`, a calendar feed's key), stated in the OpenAPI document like any other.
 */
export const Public = (why: string, options: { checks?: Right } = {}) => routeAccess({ kind: 'public', why, ...options });
