import type { IncidentSnapshot } from '../incident';
import type { EscalationPolicy } from '../../schemas/operator-config';
import { advanceLevel, beginPage, levelTimedOut } from './escalation';
import { newIncident } from './lifetime';

const ladder = (repeat: number): EscalationPolicy =>
  ({
    name: 'primary',
    repeat,
    levels: [
      { targets: ['alice'], timeoutSeconds: 60 },
      { targets: ['bob'], timeoutSeconds: 120 },
    ],
  }) as unknown as EscalationPolicy;

const incident = (repeat: number): IncidentSnapshot =>
  newIncident({ incidentId: 'INC-1', title: 't', severity: 'SEV1', openedBy: 'ops', policy: { escalation: ladder(repeat), runbooks: [], autoMitigate: false } as never }, '2026-12-07T10:00:00.000Z');

describe('escalation ladder', () => {
  it('starts paging level 1 when the incident has a policy', () => {
    expect(incident(0).escalation).toEqual({ policy: 'primary', state: 'paging', level: 0, round: 0, pages: 0, pagePending: true });
  });

  it('walks the levels, then the rounds, then is exhausted', () => {
    const walked = incident(1);
    const places: Array<[number, number]> = [];
    while (advanceLevel(walked)) places.push([walked.escalation.round, walked.escalation.level]);
    expect(places).toEqual([[0, 1], [1, 0], [1, 1]]);
  });

  it('a page counts, times out after the level timeout, and says where it is', () => {
    const paging = incident(1);
    const page = beginPage(paging, Date.parse('2026-12-07T10:00:00.000Z'));
    expect(page.where).toBe('level 1, round 1');
    expect(paging.escalation).toMatchObject({ pages: 1, pagePending: false, nextAt: '2026-12-07T10:01:00.000Z' });
  });

  it('a timed-out last level exhausts the ladder, on the timeline', () => {
    const last = incident(0);
    last.escalation.level = 1;
    const effects = levelTimedOut(last);
    expect(last.escalation).toMatchObject({ state: 'exhausted', nextAt: undefined });
    expect(effects).toEqual([
      { kind: 'record', entry: { kind: 'notification', actor: 'firebreak', summary: 'Escalation exhausted: every level was paged and nobody acknowledged' } },
    ]);
    const early = incident(0);
    expect(levelTimedOut(early)).toEqual([]);
    expect(early.escalation).toMatchObject({ level: 1, pagePending: true });
  });
});
