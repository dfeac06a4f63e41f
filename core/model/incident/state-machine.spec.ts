import { INCIDENT_STATUSES, IncidentStatus, type IncidentStatus as Status } from '../incident-model';
import { checkTransition, hasReached, isOpen, REOPENED_STATUS } from './state-machine';

const order = INCIDENT_STATUSES;

describe('incident state machine', () => {
  // Every ordered pair of states, with the answer the model gives.
  const pairs = order.flatMap((from) => order.map((to) => [from, to] as [Status, Status]));

  it.each(pairs)('%s → %s', (from, to) => {
    const check = checkTransition(from, to);
    const forward = order.indexOf(to) > order.indexOf(from);
    const expected = from !== IncidentStatus.Closed && forward;
    expect(check.allowed).toBe(expected);
    if (!check.allowed) expect(check.reason.length).toBeGreaterThan(0);
  });

  it.each(pairs)('reopen %s → %s is allowed only from resolved to investigating', (from, to) => {
    expect(checkTransition(from, to, true).allowed).toBe(from === IncidentStatus.Resolved && to === REOPENED_STATUS);
  });

  it('explains refusals in words an SRE can act on', () => {
    expect(checkTransition('resolved', 'acknowledged')).toEqual({
      allowed: false,
      reason: 'cannot go back from resolved to acknowledged; reopen it first',
    });
    expect(checkTransition('closed', 'resolved')).toEqual({ allowed: false, reason: 'the incident is closed' });
    expect(checkTransition('acknowledged', 'acknowledged')).toEqual({ allowed: false, reason: 'the incident is already acknowledged' });
    expect(checkTransition('closed', 'investigating', true)).toEqual({
      allowed: false,
      reason: 'only a resolved incident can be reopened; this one is closed',
    });
  });

  it('knows which statuses still take firing alerts', () => {
    expect(order.filter(isOpen)).toEqual(['triggered', 'acknowledged', 'investigating', 'mitigated']);
    expect(hasReached('mitigated', 'acknowledged')).toBe(true);
    expect(hasReached('triggered', 'acknowledged')).toBe(false);
  });
});
