/**
 * Calendar feeds of schedules. Calendar apps subscribe to a URL and cannot send an API key,
 * so each schedule's feed has a token of its own: an HMAC of the schedule id under the ack
 * secret. It reads that one schedule's shifts and nothing else; rotating the ack secret
 * revokes every feed token (and every unused ack link).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import ical, { ICalCalendarMethod } from 'ical-generator';
import type { Override, Schedule, Shift } from '../../../../core/model/oncall/types';

/** Kept apart from ack tokens, which sign `v1.<base64url>`. */
const FEED_CONTEXT = 'firebreak calendar feed v1\n';

export function calendarFeedToken(secret: string, scheduleId: string): string {
  return createHmac('sha256', secret).update(FEED_CONTEXT).update(scheduleId).digest('base64url');
}

/** Whether `token` is schedule `scheduleId`'s feed token, compared in constant time. */
export function isCalendarFeedToken(secret: string, scheduleId: string, token: string): boolean {
  const expected = Buffer.from(calendarFeedToken(secret, scheduleId));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * A shift's event id: the same shift (schedule, source, person, start) has the same UID in
 * every read of the feed, so calendar apps update events rather than duplicate them.
 */
export function shiftUid(scheduleId: string, shift: Shift, host: string): string {
  const source = shift.source.kind === 'layer' ? `layer:${shift.source.layer}` : `override:${shift.source.overrideId}`;
  const hash = createHash('sha256').update(JSON.stringify([scheduleId, source, shift.responder, shift.from])).digest('hex').slice(0, 32);
  return `${hash}@${host}`;
}

/** The shifts as an iCalendar document (RFC 5545), one event per shift. */
export function renderCalendar(options: {
  schedule: Schedule;
  shifts: readonly Shift[];
  overrides: readonly Override[];
  nameOf: (responderId: string) => string;
  publicUrl: string;
}): string {
  const { schedule, shifts, overrides, nameOf, publicUrl } = options;
  const host = new URL(publicUrl).hostname || 'firebreak';
  const overrideById = new Map(overrides.map((override) => [override.id, override]));
  const calendar = ical({
    name: `On call: ${schedule.name}`,
    prodId: { company: 'Firebreak', product: 'on-call', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    // Calendar apps refresh subscriptions at their own pace; this asks for an hourly one.
    ttl: 60 * 60,
  });
  for (const shift of shifts) {
    const name = nameOf(shift.responder);
    let source: string;
    if (shift.source.kind === 'layer') source = `layer ${shift.source.layer}`;
    else {
      const override = overrideById.get(shift.source.overrideId);
      source = `override by ${override?.createdBy ?? 'someone'}${override?.reason ? `: ${override.reason}` : ''}`;
    }
    calendar.createEvent({
      id: shiftUid(schedule.id, shift, host),
      start: new Date(shift.from),
      end: new Date(shift.to),
      summary: `On call: ${name} (${schedule.name})`,
      description: `${name} is on call for ${schedule.name} (${source}).`,
      categories: [{ name: shift.source.kind === 'layer' ? 'Layer' : 'Override' }],
      x: { 'X-FIREBREAK-RESPONDER': shift.responder, 'X-FIREBREAK-SOURCE': shift.source.kind === 'layer' ? `layer:${shift.source.layer}` : `override:${shift.source.overrideId}` },
    });
  }
  // RFC 5545 ends every content line, the last one too, with CRLF.
  return calendar.toString().replace(/(\r\n)?$/, '\r\n');
}
