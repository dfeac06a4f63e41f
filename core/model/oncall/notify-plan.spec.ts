import type { EscalationProgress, IncidentSnapshot } from '../incident';
import { INCIDENT_LIMITS } from '../incident/bounds';
import { cancelPending, choosePeople, enqueue, moveOn, nextDueMs, planNotifications, recordNotification, refuseFromNotification, takeDue } from './notify-plan';
import type { ResolvedPerson } from './types';

const person = (responder: string, via = `user:${responder}`): ResolvedPerson => ({
  responder,
  name: responder.toUpperCase(),
  via,
  rules: [
    { method: 'slack', afterMinutes: 0 },
    { method: 'sms', afterMinutes: 2 },
    { method: 'voice', afterMinutes: 5 },
  ],
});
const progress = (): EscalationProgress => ({ state: 'paging', level: 0, round: 0, pages: 1 });
const T0 = Date.parse('2026-12-07T03:00:00Z');

describe('who a level notifies, how and when', () => {
  it('notifies each person once, or one per round in turn with round-robin, starting where the incident says', () => {
    const people = [person('dana'), person('lee'), person('dana', 'schedule:primary'), person('kim')];
    expect(choosePeople(people, 'all', 'inc-1', 1).map((p) => p.responder)).toEqual(['dana', 'lee', 'kim']);
    const turns = [1, 2, 3, 4].map((round) => choosePeople(people, 'round-robin', 'inc-1', round).map((p) => p.responder));
    expect(turns.every((turn) => turn.length === 1)).toBe(true);
    expect(new Set(turns.slice(0, 3).flat()).size).toBe(3);
    expect(turns[3]).toEqual(turns[0]);
    // Another incident may start elsewhere in the list, the same one always at the same place.
    expect(choosePeople(people, 'round-robin', 'inc-1', 1)).toEqual(choosePeople(people, 'round-robin', 'inc-1', 1));
  });

  it("plans each rule at the page's time plus its delay, keyed by round, level, person and rule", () => {
    const planned = planNotifications([person('dana')], { level: 2, round: 1, pageAtMs: T0 });
    expect(planned.map((entry) => [entry.id, entry.method, entry.dueAt])).toEqual([
      ['r1-l2-dana-0', 'slack', '2026-12-07T03:00:00.000Z'],
      ['r1-l2-dana-1', 'sms', '2026-12-07T03:02:00.000Z'],
      ['r1-l2-dana-2', 'voice', '2026-12-07T03:05:00.000Z'],
    ]);
  });

  it('sends what is due, moves a failed channel on to the next method at once, and drops all on acknowledge', () => {
    const held = progress();
    enqueue(held, planNotifications([person('dana'), person('lee')], { level: 1, round: 1, pageAtMs: T0 }));
    expect(takeDue(held, T0).map((entry) => entry.id)).toEqual(['r1-l1-dana-0', 'r1-l1-lee-0']);
    expect(nextDueMs(held)).toBe(T0 + 120_000);
    const next = moveOn(held, { id: 'r1-l1-dana-0', responder: 'dana', name: 'DANA', method: 'slack', dueAt: '', level: 1, round: 1, rule: 0 }, T0 + 5_000);
    expect(next?.method).toBe('sms');
    expect(takeDue(held, T0 + 5_000).map((entry) => entry.id)).toEqual(['r1-l1-dana-1']);
    expect(cancelPending(held)).toBe(3);
    expect(nextDueMs(held)).toBeUndefined();
  });

  it('holds at most the bounded number of pending notifications, the latest left out and counted', () => {
    const held = progress();
    const many = Array.from({ length: 80 }, (_, index) => person(`p${index}`));
    expect(enqueue(held, planNotifications(many, { level: 1, round: 1, pageAtMs: T0 }))).toBe(240 - INCIDENT_LIMITS.pendingNotifications);
    expect(held.queue).toHaveLength(INCIDENT_LIMITS.pendingNotifications);
    expect(held.queue!.filter((entry) => entry.method === 'voice')).toHaveLength(INCIDENT_LIMITS.pendingNotifications - 160);
  });

  it('takes an acknowledgement from a notified person issued after the last acknowledgement, and nothing else', () => {
    const incident = { escalation: progress(), notifications: [] } as unknown as IncidentSnapshot;
    const at = '2026-12-07T03:00:01.000Z';
    recordNotification(incident, { id: 'r1-l1-dana-1', responder: 'dana', name: 'DANA', method: 'sms', level: 1, round: 1, at, outcome: 'sent' });
    expect(refuseFromNotification(incident, { responder: 'dana', channel: 'link', issuedAt: T0 })).toBeUndefined();
    expect(refuseFromNotification(incident, { responder: 'dana', channel: 'sms' })).toBeUndefined();
    expect(refuseFromNotification(incident, { responder: 'lee', channel: 'link', issuedAt: T0 })).toBe('lee was not notified for this incident');
    incident.acknowledgedAt = '2026-12-07T03:00:02.000Z';
    expect(refuseFromNotification(incident, { responder: 'dana', channel: 'link', issuedAt: T0 })).toBe('the incident was acknowledged already');
    expect(refuseFromNotification(incident, { responder: 'dana', channel: 'sms' })).toBe('the incident was acknowledged already');
  });
});
