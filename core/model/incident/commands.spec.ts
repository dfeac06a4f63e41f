import type { IncidentSnapshot, OpenIncidentInput } from '../incident';
import type { IncidentAction } from '../../schemas/incident-actions';
import { IncidentStatus } from '../incident-model';
import type { EscalationPolicy } from '../../schemas/operator-config';
import { INCIDENT_LIMITS } from './bounds';
import { apply, refuse } from './commands';
import { newIncident } from './lifetime';

const OPENED = '2026-12-07T10:00:00.000Z';
const policy: EscalationPolicy = { name: 'primary', repeat: 0, levels: [{ targets: ['alice'], timeoutSeconds: 300 }] } as unknown as EscalationPolicy;

function incident(overrides: Partial<OpenIncidentInput> = {}): IncidentSnapshot {
  return newIncident({ incidentId: 'INC-1', title: 'Checkout down', severity: 'SEV2', openedBy: 'ops', ...overrides }, OPENED);
}
const at = (minutes: number) => new Date(Date.parse(OPENED) + minutes * 60_000).toISOString();
const command = (action: IncidentAction, actor = 'ops') => ({ actor, action });

describe('refuse', () => {
  it('allows forward moves and refuses going back, with the reason', () => {
    const open = incident();
    expect(refuse(open, { action: 'acknowledge' })).toBeUndefined();
    open.status = IncidentStatus.Mitigated;
    expect(refuse(open, { action: 'acknowledge' })).toBe('cannot go back from mitigated to acknowledged');
    expect(refuse(open, { action: 'reopen', reason: 'again' })).toMatch(/only a resolved incident can be reopened/);
  });

  it('refuses everything but reopen-free commands on a closed incident', () => {
    const closed = incident();
    closed.status = IncidentStatus.Closed;
    expect(refuse(closed, { action: 'add-note', text: 'late' })).toBe('the incident is closed');
  });

  it('refuses escalation without a policy, and an unchanged severity', () => {
    expect(refuse(incident(), { action: 'escalate' })).toBe('the incident has no escalation policy');
    expect(refuse(incident(), { action: 'set-severity', severity: 'SEV2' })).toBe('the severity is already SEV2');
  });

  it('bounds investigators and action items', () => {
    const full = incident();
    full.roles.investigators = Array.from({ length: INCIDENT_LIMITS.investigators }, (_, i) => `p${i}`);
    expect(refuse(full, { action: 'assign-role', role: 'investigator', assignee: 'new', remove: false })).toMatch(/remove one first/);
    expect(refuse(full, { action: 'assign-role', role: 'investigator', assignee: 'p1', remove: false })).toBeUndefined();
    expect(refuse(full, { action: 'assign-role', role: 'scribe', assignee: 'p1', remove: true })).toMatch(/only investigators are removed/);
    full.actionItems = Array.from({ length: INCIDENT_LIMITS.actionItems }, (_, i) => ({ id: i + 1, title: 't', addedBy: 'ops' }));
    expect(refuse(full, { action: 'add-action-item', title: 'one more' })).toMatch(/action items, the most it holds/);
  });
});

describe('apply', () => {
  it('acknowledging stamps the metric, stops the ladder and tells the pager once something was paged', () => {
    const paged = incident({ policy: { escalation: policy, runbooks: [], autoMitigate: false } as never });
    paged.escalation.pages = 1;
    const effects = apply(paged, command({ action: 'acknowledge', note: 'on it' }), at(3));
    expect(paged.status).toBe(IncidentStatus.Acknowledged);
    expect(paged.metrics.timeToAcknowledgeSeconds).toBe(180);
    expect(paged.escalation).toMatchObject({ state: 'stopped', pagePending: false, nextAt: undefined });
    expect(effects).toEqual([
      { kind: 'record', entry: { kind: 'status', actor: 'ops', summary: 'Acknowledged (on it): triggered → acknowledged' }, at: at(3) },
      { kind: 'record', entry: { kind: 'notification', actor: 'ops', summary: 'Escalation stopped: acknowledged' } },
      { kind: 'notify-pager', action: 'acknowledge' },
    ]);
  });

  it('resolving skips ahead, stamping every milestone, and the pager hears nothing when never paged', () => {
    const open = incident();
    const effects = apply(open, command({ action: 'resolve' }), at(10));
    expect(open.metrics).toEqual({ timeToAcknowledgeSeconds: 600, timeToMitigateSeconds: 600, timeToResolveSeconds: 600 });
    expect(effects.map((effect) => effect.kind)).toEqual(['record']);
  });

  it('reopening clears the resolution', () => {
    const resolved = incident();
    apply(resolved, command({ action: 'resolve' }), at(10));
    apply(resolved, command({ action: 'reopen', reason: 'back' }), at(12));
    expect(resolved).toMatchObject({ status: IncidentStatus.Investigating, resolvedAt: undefined, metrics: { timeToResolveSeconds: undefined } });
  });

  it('escalating a paging ladder asks it to move on now; a stopped one pages again', () => {
    const paging = incident({ policy: { escalation: policy, runbooks: [], autoMitigate: false } as never });
    expect(apply(paging, command({ action: 'escalate' }), at(1)).at(-1)).toEqual({ kind: 'escalate-now' });
    paging.escalation.state = 'stopped';
    apply(paging, command({ action: 'escalate', reason: 'no answer' }), at(2));
    expect(paging.escalation).toMatchObject({ state: 'paging', pagePending: true, level: 0, round: 0 });
  });

  it('assigns roles, adds action items and leaves status updates to the workflow', () => {
    const open = incident();
    expect(apply(open, command({ action: 'assign-role', role: 'communications', assignee: 'bo', remove: false }), at(1))).toEqual([
      { kind: 'record', entry: { kind: 'role', actor: 'ops', summary: 'bo is the communications lead' } },
    ]);
    apply(open, command({ action: 'add-action-item', title: 'Add alert', owner: 'bo' }), at(2));
    expect(open.actionItems).toEqual([{ id: 1, title: 'Add alert', owner: 'bo', addedBy: 'ops' }]);
    const update = { action: 'post-status-update', message: 'Looking', status: 'investigating', components: {} } as const;
    expect(apply(open, command(update), at(3))).toEqual([{ kind: 'post-status-update', update, actor: 'ops' }]);
  });
});
