import fc from 'fast-check';
import { ROLES } from '../schemas/config';
import { INCIDENT_ACTIONS } from '../schemas/incident-actions';
import { ALL_RIGHTS, INCIDENT_ACTION_RIGHTS, incidentActionRight, isDestructiveRunbook, mayDo, RIGHTS, refusal, rolesHolding, runbookLaunchRight } from './rights';
import { hasRole, RANKED_ROLES } from './roles';

const heldBy = (role: (typeof ROLES)[number]) => ALL_RIGHTS.filter((right) => mayDo(role, right)).sort();

describe('the rights table', () => {
  it('gives a sender alerts and heartbeat pings, and nothing else: not even reads', () => {
    expect(heldBy('sender')).toEqual(['alerts.send', 'heartbeats.ping']);
  });

  it('gives a viewer reads only', () => {
    expect(heldBy('viewer').every((right) => right.endsWith('.read'))).toBe(true);
    expect(heldBy('viewer')).toEqual(expect.arrayContaining(['incidents.read', 'runbooks.read', 'oncall.read', 'docs.read', 'metrics.read']));
  });

  it('lets a responder act on incidents and launch what is not destructive, but not close, reopen, post publicly or launch destructive runbooks', () => {
    for (const right of ['incident.acknowledge', 'incident.note', 'incident.assign-role', 'incident.set-severity', 'incident.mitigate', 'incident.resolve', 'runbook.launch'] as const) {
      expect(mayDo('responder', right)).toBe(true);
    }
    for (const right of ['incident.close', 'incident.reopen', 'incident.post-status-update', 'runbook.launch-destructive', 'schedule.override', 'webhooks.manage'] as const) {
      expect(mayDo('responder', right)).toBe(false);
    }
  });

  it('lets a commander close, reopen, post to the status page and launch destructive runbooks; only an admin manages overrides and webhooks', () => {
    for (const right of ['incident.close', 'incident.reopen', 'incident.post-status-update', 'runbook.launch-destructive'] as const) {
      expect(rolesHolding(right)).toEqual(['commander', 'admin']);
    }
    expect(rolesHolding('schedule.override')).toEqual(['admin']);
    expect(rolesHolding('webhooks.manage')).toEqual(['admin']);
    expect(rolesHolding('audit.read')).toEqual(['admin']);
  });

  it('is ranked: a role above another holds every right the one below holds', () => {
    const ranked = fc.constantFrom(...RANKED_ROLES);
    fc.assert(
      fc.property(ranked, ranked, fc.constantFrom(...ALL_RIGHTS), (lower, higher, right) => {
        fc.pre(RANKED_ROLES.indexOf(lower) <= RANKED_ROLES.indexOf(higher));
        return !mayDo(lower, right) || mayDo(higher, right);
      }),
    );
  });

  it('names at least one role for every right, and only known roles', () => {
    for (const right of ALL_RIGHTS) {
      expect(RIGHTS[right].roles.length).toBeGreaterThan(0);
      for (const role of RIGHTS[right].roles) expect(ROLES).toContain(role);
    }
  });

  it('maps every incident action to a right, and nothing else', () => {
    expect(Object.keys(INCIDENT_ACTION_RIGHTS).sort()).toEqual([...INCIDENT_ACTIONS].sort());
    for (const action of INCIDENT_ACTIONS) expect(ALL_RIGHTS).toContain(incidentActionRight(action));
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (name) => {
        fc.pre(!(INCIDENT_ACTIONS as readonly string[]).includes(name));
        return incidentActionRight(name) === undefined;
      }),
    );
    expect(incidentActionRight('__proto__')).toBeUndefined();
    expect(incidentActionRight('toString')).toBeUndefined();
  });

  it('calls a runbook destructive only when it says so, and asks more only to run one for real', () => {
    const marked = { destructive: true, guardrails: { target: () => 'checkout' } };
    expect(isDestructiveRunbook(marked)).toBe(true);
    expect(isDestructiveRunbook({})).toBe(false);
    // Guardrails alone (a health check may have them) do not make a runbook destructive.
    expect(isDestructiveRunbook({ guardrails: { target: () => 'checkout' } })).toBe(false);
    expect(isDestructiveRunbook({ ...marked, destructive: false })).toBe(false);
    expect(runbookLaunchRight(marked, false)).toBe('runbook.launch-destructive');
    expect(runbookLaunchRight(marked, true)).toBe('runbook.launch');
    expect(runbookLaunchRight({}, false)).toBe('runbook.launch');
  });

  it('says in a refusal what was refused, who may, and who asked', () => {
    expect(refusal({ name: 'alertmanager', role: 'responder' }, 'incident.close')).toBe(
      'close an incident needs the incident.close right (commander, admin); "alertmanager" is responder',
    );
  });
});

describe('hasRole', () => {
  it('ranks viewer < responder < commander < admin and leaves sender outside the ranks', () => {
    expect(hasRole({ role: 'commander' }, 'responder')).toBe(true);
    expect(hasRole({ role: 'responder' }, 'commander')).toBe(false);
    expect(hasRole({ role: 'sender' }, 'viewer')).toBe(false);
    expect(hasRole({ role: 'admin' }, 'sender')).toBe(false);
    expect(hasRole({ role: 'sender' }, 'sender')).toBe(true);
  });
});
