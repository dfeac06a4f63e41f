/**
 * What an escalation level's `targets` strings name: a responder, a schedule, a PagerDuty
 * service, or (as before on-call existed) a plain name handed to the paging provider.
 */
import type { EscalationTarget } from './types';

/** Ids in the operator's files: responders, schedules, layers, policies, routes, monitors. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** What {@link ID_PATTERN} asks for, in words. */
export const ID_RULE = 'lowercase letters, digits and dashes, starting with a letter or digit';

/** A plain pager name is at most this long. */
export const PAGER_NAME_MAX = 200;

/** What a target string may look like, for error messages. */
export const TARGET_FORMS = 'user:<id>, schedule:<id>, pagerduty:<service> or a plain pager name without ":"';

/**
 * `user:<id>`, `schedule:<id>`, `pagerduty:<service>` (ids and services as {@link ID_PATTERN}),
 * or a plain pager name (no `:`, not blank). Anything else, such as `user:` or a misspelt
 * kind (`shedule:primary`), is undefined: a mistake rather than a pager name.
 */
export function parseTarget(text: string): EscalationTarget | undefined {
  const colon = text.indexOf(':');
  if (colon < 0) {
    if (text.trim() === '' || text.length > PAGER_NAME_MAX) return undefined;
    return { kind: 'pager', name: text };
  }
  const kind = text.slice(0, colon);
  const rest = text.slice(colon + 1);
  if (!ID_PATTERN.test(rest)) return undefined;
  switch (kind) {
    case 'user':
      return { kind: 'user', id: rest };
    case 'schedule':
      return { kind: 'schedule', id: rest };
    case 'pagerduty':
      return { kind: 'pagerduty', service: rest };
    default:
      return undefined;
  }
}

/** The target as written in a policy: the inverse of {@link parseTarget}. */
export function formatTarget(target: EscalationTarget): string {
  switch (target.kind) {
    case 'user':
      return `user:${target.id}`;
    case 'schedule':
      return `schedule:${target.id}`;
    case 'pagerduty':
      return `pagerduty:${target.service}`;
    case 'pager':
      return target.name;
  }
}
