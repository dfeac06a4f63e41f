import { INCIDENT_LIMITS } from './bounds';
import { carriedWindowBytes, carry, newIncident, openingEntries, stateOverBudget } from './lifetime';

const input = { incidentId: 'INC-1', title: 'Checkout down', severity: 'SEV2' as const, openedBy: 'ops', commander: 'ann' };
const fresh = () => newIncident(input, '2026-12-07T10:00:00.000Z');

describe('incident lifetime', () => {
  it('opens with the opening entries, the commander named', () => {
    expect(openingEntries(fresh(), input).map((entry) => entry.summary)).toEqual([
      'Incident opened (SEV2): Checkout down',
      'ann is the incident commander',
    ]);
  });

  it('continues on state size only past the budget and a quarter of growth', () => {
    expect(stateOverBudget(500, 0, 512)).toBe(false);
    expect(stateOverBudget(512, 0, 512)).toBe(true);
    expect(stateOverBudget(700, 600, 512)).toBe(false);
    expect(carriedWindowBytes(INCIDENT_LIMITS.continueAtStateBytes)).toEqual({ timeline: 192 * 1024, alerts: 96 * 1024 });
  });

  it('carries the snapshot without its postmortem, counting the continuation', () => {
    const incident = { ...fresh(), postmortem: '# pm' };
    const carried = carry(incident, { receipts: ['r'], firing: [], firingUntracked: false }, []);
    expect(carried).toEqual({ snapshot: { ...incident, postmortem: undefined, continuedAsNew: 1 }, receipts: ['r'], firing: [], launches: [] });
    expect(carry(incident, { receipts: [], firing: [], firingUntracked: true }, []).firingUntracked).toBe(true);
  });
});
