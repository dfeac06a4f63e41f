/**
 * On call as the operator writes it in `runbooks/`: responders with their contact methods
 * and notification rules, schedules made of rotation layers, and the overrides people add
 * through the API. Plain data, free of zod, so workflows may import it.
 */

/** How a person is reached. */
export const CONTACT_METHODS = ['slack', 'email', 'sms', 'voice'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Notify by `method` once the page has gone `afterMinutes` unacknowledged (0: at once). */
export interface NotificationRule {
  method: ContactMethod;
  afterMinutes: number;
}

export interface Responder {
  /** Lowercase letters, digits and dashes: what `user:<id>` and overrides name. */
  id: string;
  name: string;
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timeZone: string;
  /** Addresses per method: Slack user id, email address, E.164 phone numbers. */
  contact: Partial<Record<ContactMethod, string>>;
  /** In the order they fire; every method used has an address in `contact`. */
  rules: NotificationRule[];
}

/** A weekly window in the schedule's zone; `to` at or before `from` runs past midnight. */
export interface Restriction {
  days: Weekday[];
  /** `HH:MM` */
  from: string;
  /** `HH:MM`; `24:00` is the end of the day. */
  to: string;
}

export interface Layer {
  name: string;
  /** Responder ids, in rotation order. */
  responders: string[];
  /** The first shift's local date (`YYYY-MM-DD`) in the schedule's zone. */
  start: string;
  /** `HH:MM` in the schedule's zone: when shifts hand over. */
  handoff: string;
  /** Days and weeks are calendar days in the zone (a day may be 23 or 25 hours); hours are elapsed time. */
  shift: { every: number; unit: 'hours' | 'days' | 'weeks' };
  /** When set, the layer is on call only inside these windows; lower layers cover the rest. */
  restrictions?: Restriction[];
}

export interface Schedule {
  id: string;
  name: string;
  timeZone: string;
  /** Later layers cover earlier ones wherever they are on call. */
  layers: Layer[];
}

/** Someone covering a schedule for a while, added through the API. */
export interface Override {
  id: string;
  responder: string;
  /** ISO-8601 instants, `from < to`. */
  from: string;
  to: string;
  createdBy: string;
  createdAt: string;
  reason?: string;
}

export type ShiftSource = { kind: 'layer'; layer: string } | { kind: 'override'; overrideId: string };

/** Who is on call from `from` to `to` (ISO-8601 instants) and why. */
export interface Shift {
  responder: string;
  from: string;
  to: string;
  source: ShiftSource;
}

/** What an escalation level targets, parsed from its `targets` strings. */
export type EscalationTarget =
  | { kind: 'user'; id: string }
  | { kind: 'schedule'; id: string }
  /** A PagerDuty service (its own routing key), paged through the paging capability. */
  | { kind: 'pagerduty'; service: string }
  /** A plain name handed to the paging provider, as before on-call existed. */
  | { kind: 'pager'; name: string };

/** `all`: everyone the level names; `round-robin`: one person per page, the next one each round. */
export type LevelNotify = 'all' | 'round-robin';

/** A person a level resolved to, with the rules they are notified by. */
export interface ResolvedPerson {
  responder: string;
  name: string;
  /** The target that named them: `user:dana` or `schedule:primary`. */
  via: string;
  rules: NotificationRule[];
}

/** A level's targets resolved at the moment it is paged. */
export interface ResolvedLevel {
  people: ResolvedPerson[];
  /** Targets handed to the paging capability (`pager` and `pagerduty` kinds), as written. */
  pagers: string[];
  /** Schedule targets on which nobody was on call at that moment. */
  empty: string[];
}

/** One notification of one person, as `GET /v1/notifications` lists it. */
export interface NotificationRecord {
  /** Unique in the incident: `r<round>-l<level>-<responder>-<rule index>`. */
  id: string;
  responder: string;
  name: string;
  method: ContactMethod;
  /** 1-based escalation level and round. */
  level: number;
  round: number;
  /** When it was sent, or given up on. */
  at: string;
  /** `failed`: the channel refused it or kept failing; the person's next method follows at once. */
  outcome: 'sent' | 'failed';
  /** `local`, `slack`, `smtp`, `twilio`. */
  provider?: string;
  /** The vendor's id for it (message id, call sid), when there is one. */
  vendorId?: string;
  error?: string;
}

/** A notification waiting for its time, held in the incident's escalation progress. */
export interface PendingNotification {
  /** `r<round>-l<level>-<responder>-<rule index>`: once per person, level, round and rule. */
  id: string;
  responder: string;
  name: string;
  method: ContactMethod;
  /** ISO-8601 instant at which it is sent. */
  dueAt: string;
  /** 1-based. */
  level: number;
  round: number;
  rule: number;
}
