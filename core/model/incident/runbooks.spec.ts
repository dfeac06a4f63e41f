import { INCIDENT_LIMITS } from './bounds';
import { newIncident } from './lifetime';
import { queueDecision, startsNow, trimRunbookList, type PendingLaunch } from './runbooks';

const input = { incidentId: 'INC-1', title: 'Checkout down', severity: 'SEV2' as const, openedBy: 'ops', commander: 'ann' };
const fresh = () => newIncident(input, '2026-12-07T10:00:00.000Z');

describe('incident runbooks', () => {
  const launch = (runbookId: string, extra: Partial<PendingLaunch> = {}): PendingLaunch => ({ runbookId, input: {}, trigger: 'alert', ...extra });

  it('holds a start once per runbook unless it runs on every alert, within the pending bound', () => {
    const incident = fresh();
    expect(queueDecision(incident, [], launch('a'))).toBe('hold');
    expect(queueDecision(incident, [launch('a')], launch('a'))).toBe('skip');
    expect(queueDecision(incident, [launch('a')], launch('a', { everyAlert: true }))).toBe('hold');
    const waiting = Array.from({ length: INCIDENT_LIMITS.pendingLaunches }, (_, i) => launch(`r${i}`));
    expect(queueDecision(incident, waiting, launch('b'))).toBe('full');
  });

  it('starts only while open, and keeps one entry per runbook when trimming', () => {
    const incident = fresh();
    expect(startsNow(incident, launch('a'))).toBe(true);
    incident.status = 'resolved';
    expect(startsNow(incident, launch('a'))).toBe(false);
    const runs = Array.from({ length: INCIDENT_LIMITS.runbooks + 1 }, (_, i) => ({ runbookId: i === 0 || i === 5 ? 'dup' : `r${i}`, executionId: `x${i}`, startedAt: 'now', trigger: 'alert' as const }));
    trimRunbookList(runs);
    expect(runs).toHaveLength(INCIDENT_LIMITS.runbooks);
    expect(runs[0].executionId).toBe('x1');
  });
});
