/**
 * Who is notified, how and when, once a level's targets are resolved to people: each
 * person's rules become pending notifications due at the page's time plus the rule's delay.
 * The incident holds them in its escalation progress (carried through continue-as-new),
 * sends each when due, and drops them all once acknowledged. Pure and zod-free.
 */
import { INCIDENT_LIMITS } from '../incident/bounds';
import type { EscalationProgress, IncidentSnapshot } from '../incident';
import { shortHash } from '../text';
import type { LevelNotify, NotificationRecord, PendingNotification, ResolvedPerson } from './types';

export type { PendingNotification };

export const notificationId = (round: number, level: number, responder: string, rule: number): string => `r${round}-l${level}-${responder}-${rule}`;

/**
 * The people a level notifies: everyone it resolved to (each once), or with `round-robin`
 * one of them, starting at a person chosen by the incident (so incidents spread across the
 * people) and moving one on each round.
 */
export function choosePeople(people: ResolvedPerson[], mode: LevelNotify | undefined, incidentId: string, round: number): ResolvedPerson[] {
  const unique = people.filter((person, index) => people.findIndex((other) => other.responder === person.responder) === index);
  if (mode !== 'round-robin' || unique.length <= 1) return unique;
  const start = parseInt(shortHash(incidentId).slice(0, 8), 16) % unique.length;
  return [unique[(start + round - 1) % unique.length]];
}

/** Each person's rules as pending notifications, due `afterMinutes` past `pageAtMs`. */
export function planNotifications(people: ResolvedPerson[], page: { level: number; round: number; pageAtMs: number }): PendingNotification[] {
  return people.flatMap((person) =>
    person.rules.map((rule, index) => ({
      id: notificationId(page.round, page.level, person.responder, index),
      responder: person.responder,
      name: person.name,
      method: rule.method,
      dueAt: new Date(page.pageAtMs + Math.round(rule.afterMinutes * 60_000)).toISOString(),
      level: page.level,
      round: page.round,
      rule: index,
    })),
  );
}

/**
 * Adds planned notifications to the queue, earliest first; when the queue is full the
 * latest-due ones are left out and counted. Returns how many were left out.
 */
export function enqueue(progress: EscalationProgress, planned: PendingNotification[]): number {
  const queue = (progress.queue ??= []);
  const known = new Set(queue.map((entry) => entry.id));
  for (const entry of planned) if (!known.has(entry.id)) queue.push(entry);
  queue.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
  const over = Math.max(0, queue.length - INCIDENT_LIMITS.pendingNotifications);
  if (over > 0) queue.splice(queue.length - over, over);
  return over;
}

/** Takes the notifications due at `nowMs` off the queue. */
export function takeDue(progress: EscalationProgress, nowMs: number): PendingNotification[] {
  const queue = progress.queue ?? [];
  const due = queue.filter((entry) => Date.parse(entry.dueAt) <= nowMs);
  if (due.length > 0) progress.queue = queue.filter((entry) => Date.parse(entry.dueAt) > nowMs);
  return due;
}

/** When the next pending notification is due (epoch ms), if any. */
export function nextDueMs(progress: EscalationProgress): number | undefined {
  const first = progress.queue?.[0];
  return first ? Date.parse(first.dueAt) : undefined;
}

/**
 * A channel failed for good: the person's next pending method for the same page is moved
 * up to now. Returns it, or undefined when the person has no method left for this page.
 */
export function moveOn(progress: EscalationProgress, failed: PendingNotification, nowMs: number): PendingNotification | undefined {
  const queue = progress.queue ?? [];
  const next = queue
    .filter((entry) => entry.responder === failed.responder && entry.level === failed.level && entry.round === failed.round && entry.rule > failed.rule)
    .sort((a, b) => a.rule - b.rule)[0];
  if (!next) return undefined;
  next.dueAt = new Date(nowMs).toISOString();
  queue.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
  return next;
}

/** Drops every pending notification; returns how many there were. */
export function cancelPending(progress: EscalationProgress): number {
  const count = progress.queue?.length ?? 0;
  if (count > 0) progress.queue = [];
  return count;
}

/** Keeps the record (a bounded window, oldest dropped and counted) and who was reached. */
export function recordNotification(incident: IncidentSnapshot, record: NotificationRecord): void {
  const records = (incident.notifications ??= []);
  records.push(record);
  const over = records.length - INCIDENT_LIMITS.notifications;
  if (over > 0) {
    records.splice(0, over);
    incident.notificationsDropped = (incident.notificationsDropped ?? 0) + over;
  }
  if (record.outcome !== 'sent') return;
  const people = (incident.escalation.notified ??= []);
  const known = people.find((person) => person.responder === record.responder);
  const entry = known ?? { responder: record.responder, at: record.at };
  entry.at = record.at;
  if (record.method === 'sms') entry.smsAt = record.at;
  if (!known) people.push(entry);
  if (people.length > INCIDENT_LIMITS.notifiedPeople) people.splice(0, people.length - INCIDENT_LIMITS.notifiedPeople);
}

/**
 * Why an acknowledgement from a notification is refused, or undefined when it is taken:
 * the person must have been notified for this incident (by SMS, for an SMS reply), and the
 * incident not acknowledged since the link was issued (or since that SMS).
 */
export function refuseFromNotification(
  incident: IncidentSnapshot,
  from: { responder: string; channel: 'link' | 'sms'; issuedAt?: number },
): string | undefined {
  const person = incident.escalation.notified?.find((entry) => entry.responder === from.responder);
  if (!person) return `${from.responder} was not notified for this incident`;
  if (from.channel === 'sms' && !person.smsAt) return `${from.responder} was not sent an SMS for this incident`;
  const since = from.channel === 'sms' ? Date.parse(person.smsAt!) : from.issuedAt;
  if (since === undefined || !Number.isFinite(since)) return 'the acknowledgement carries no time';
  if (incident.acknowledgedAt && Date.parse(incident.acknowledgedAt) >= since) return 'the incident was acknowledged already';
  return undefined;
}
