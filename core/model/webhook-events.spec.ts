import fc from 'fast-check';
import type { ExecutionSnapshot } from './execution';
import type { IncidentSnapshot } from './incident';
import { newIncident } from './incident/lifetime';
import { deliveryId, fitsQueue, keepFailed, newDeliveryState, parseDeliveryId, type QueuedWebhook, WEBHOOK_DELIVERY_LIMITS } from './webhook-delivery';
import {
  executionChanges,
  executionStarted,
  incidentChanges,
  incidentOpened,
  incidentView,
  newExecutionView,
  WEBHOOK_EVENT_LIMITS,
  webhookBody,
  webhookEventId,
  webhookMessageId,
} from './webhook-events';
import { utf8Bytes } from './text';

const incident = (title = 'Checkout is down'): IncidentSnapshot =>
  newIncident({ incidentId: 'inc-0123456789ab', title, severity: 'SEV2', service: 'checkout', openedBy: 'alertmanager' }, '2026-12-07T10:00:00.000Z');

const execution = (): ExecutionSnapshot => ({
  id: 'rbx-0123456789ab',
  runbookId: 'rollback-bad-deploy',
  runbookVersion: 1,
  title: 'Roll back a bad deploy',
  status: 'running',
  dryRun: false,
  incidentId: 'inc-0123456789ab',
  launchedBy: 'ops',
  trigger: 'manual',
  input: {},
  startedAt: '2026-12-07T10:00:00.000Z',
  steps: [],
  approvals: [],
  log: [],
});

describe('webhook events of an incident', () => {
  it('opens with incident.opened, by whoever opened it', () => {
    expect(incidentOpened(incident())).toEqual({
      type: 'incident.opened',
      data: { incident: { id: 'inc-0123456789ab', title: 'Checkout is down', severity: 'SEV2', status: 'triggered', service: 'checkout' }, actor: 'alertmanager' },
    });
  });

  it('says what a change did, in order: status (then its milestone), severity, roles', () => {
    const current = incident();
    const before = incidentView(current);
    current.status = 'acknowledged';
    current.acknowledgedAt = '2026-12-07T10:01:00.000Z';
    current.severity = 'SEV1';
    current.roles.commander = 'dana';
    current.roles.investigators.push('lee');
    expect(incidentChanges(before, current, 'ops').map((event) => [event.type, 'change' in event.data ? event.data.change : undefined, 'role' in event.data ? event.data.role : undefined])).toEqual([
      ['incident.status_changed', { from: 'triggered', to: 'acknowledged' }, undefined],
      ['incident.acknowledged', undefined, undefined],
      ['incident.severity_changed', { from: 'SEV2', to: 'SEV1' }, undefined],
      ['incident.role_assigned', undefined, { name: 'commander', assignee: 'dana' }],
      ['incident.role_assigned', undefined, { name: 'investigator', assignee: 'lee' }],
    ]);
    const acknowledged = incidentView(current);
    current.status = 'resolved';
    current.roles.commander = 'sam';
    expect(incidentChanges(acknowledged, current, 'ops').map((event) => event.type)).toEqual(['incident.status_changed', 'incident.resolved', 'incident.role_assigned']);
    expect(incidentChanges(acknowledged, current, 'ops')[2].data).toMatchObject({ role: { name: 'commander', assignee: 'sam', previous: 'dana' } });
    const resolved = incidentView(current);
    current.status = 'closed';
    expect(incidentChanges(resolved, current, 'ops').map((event) => event.type)).toEqual(['incident.status_changed', 'incident.closed']);
    expect(incidentChanges(incidentView(current), current, 'ops')).toEqual([]);
  });

  it('acknowledges once, even when the status skips past acknowledged', () => {
    const current = incident();
    const before = incidentView(current);
    current.status = 'mitigated';
    current.acknowledgedAt = '2026-12-07T10:01:00.000Z';
    expect(incidentChanges(before, current, 'firebreak').map((event) => event.type)).toEqual(['incident.status_changed', 'incident.acknowledged']);
  });
});

describe('webhook events of a runbook execution', () => {
  it('reports steps, approvals and the end once each, in order', () => {
    const run = execution();
    const view = newExecutionView(run);
    expect(executionStarted(run).type).toBe('execution.started');
    run.steps.push({ id: 'deploy.findReleases', name: 'deploy.findReleases', args: {}, status: 'completed', startedAt: 'x' });
    run.pendingApproval = { prompt: 'Roll back to v41?', approvers: ['responder', 'admin'], requestedAt: '2026-12-07T10:02:00.000Z', expiresAt: '2026-12-07T10:17:00.000Z' };
    run.status = 'waiting-approval';
    expect(executionChanges(view, run).map((event) => event.type)).toEqual(['execution.step_completed', 'approval.requested']);
    expect(executionChanges(view, run)).toEqual([]);
    run.pendingApproval = undefined;
    run.status = 'running';
    run.approvals.push({ approved: true, by: 'ops', at: 'x', prompt: 'Roll back to v41?' });
    run.steps.push({ id: 'deploy.rollback', name: 'deploy.rollback', args: {}, status: 'running', startedAt: 'x' });
    const decided = executionChanges(view, run);
    expect(decided.map((event) => event.type)).toEqual(['approval.decided']);
    expect(decided[0].data).toMatchObject({ actor: 'ops', approval: { outcome: 'approved', by: 'ops', prompt: 'Roll back to v41?' } });
    run.steps[1].status = 'completed';
    run.status = 'completed';
    expect(executionChanges(view, run).map((event) => event.type)).toEqual(['execution.step_completed', 'execution.completed']);
    expect(executionChanges(view, run)).toEqual([]);
  });

  it('reports an approval that timed out, one the run ended while waiting for, and a failure with its error', () => {
    const run = execution();
    const view = newExecutionView(run);
    const pending = { prompt: 'Go?', approvers: ['admin' as const], requestedAt: '2026-12-07T10:02:00.000Z', expiresAt: '2026-12-07T10:03:00.000Z' };
    run.pendingApproval = pending;
    executionChanges(view, run);
    run.pendingApproval = undefined;
    expect(executionChanges(view, run).map((event) => event.data)).toEqual([expect.objectContaining({ approval: { prompt: 'Go?', outcome: 'timed-out' } })]);
    run.pendingApproval = { ...pending, requestedAt: '2026-12-07T10:05:00.000Z' };
    executionChanges(view, run);
    run.pendingApproval = undefined;
    run.status = 'failed';
    run.outcome = { status: 'failed', error: 'x'.repeat(5_000), undone: [] };
    const events = executionChanges(view, run);
    expect(events.map((event) => [event.type, 'approval' in event.data ? event.data.approval?.outcome : undefined])).toEqual([
      ['approval.decided', 'cancelled'],
      ['execution.failed', undefined],
    ]);
    expect(utf8Bytes((events[1].data as { error: string }).error)).toBeLessThanOrEqual(WEBHOOK_EVENT_LIMITS.errorBytes);
  });
});

describe('webhook ids and bodies', () => {
  it('gives an event the same id for the same workflow and number, never with a dot', () => {
    expect(webhookEventId('inc-0123456789ab', 3)).toBe('evt_inc-0123456789ab_3');
    expect(webhookMessageId(webhookEventId('inc-0123456789ab', 3))).toBe('msg_evt_inc-0123456789ab_3');
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300, unit: 'binary' }), fc.nat(), (workflowId, seq) => {
        const id = webhookEventId(workflowId, seq);
        expect(id).toBe(webhookEventId(workflowId, seq));
        expect(id).toMatch(/^evt_[A-Za-z0-9_-]+$/);
        expect(id.length).toBeLessThanOrEqual(120);
      }),
    );
  });

  it('writes the Standard Webhooks envelope with links, within the body limit whatever the title', () => {
    const body = JSON.parse(webhookBody({ id: 'evt_x_0', type: 'incident.opened', timestamp: '2026-12-07T10:00:00.000Z', data: incidentOpened(incident()).data }, 'https://firebreak.example.com/'));
    expect(body).toEqual({
      type: 'incident.opened',
      timestamp: '2026-12-07T10:00:00.000Z',
      data: expect.objectContaining({
        links: { console: 'https://firebreak.example.com/incidents/inc-0123456789ab', api: 'https://firebreak.example.com/v1/incidents/inc-0123456789ab' },
      }),
    });
    fc.assert(
      fc.property(fc.string({ maxLength: 20_000, unit: 'grapheme' }), (title) => {
        const event = { id: 'evt_x_0', type: 'incident.opened' as const, timestamp: 'now', data: incidentOpened(incident(title || 't')).data };
        expect(utf8Bytes(webhookBody(event, 'https://f.example.com'))).toBeLessThanOrEqual(WEBHOOK_EVENT_LIMITS.bodyBytes);
      }),
      { numRuns: 50 },
    );
  });
});

describe('a delivery queue', () => {
  const queued = (eventId: string, bytes = 10): QueuedWebhook => ({ eventId, type: 'incident.opened', timestamp: 't', body: 'x'.repeat(bytes) });

  it('is bounded in count and bytes', () => {
    const full = Array.from({ length: WEBHOOK_DELIVERY_LIMITS.queue }, (_, i) => queued(`e${i}`));
    expect(fitsQueue(full.slice(1), 0, queued('next'))).toBe(true);
    expect(fitsQueue(full, 0, queued('next'))).toBe(false);
    expect(fitsQueue([], WEBHOOK_DELIVERY_LIMITS.queueBytes - 5, queued('next'))).toBe(false);
  });

  it('keeps the failed list bounded, counting the ones that leave', () => {
    const state = newDeliveryState('s', 1000);
    for (let i = 0; i < WEBHOOK_DELIVERY_LIMITS.failed + 5; i += 1) {
      keepFailed(state, { event: queued(`e${i}`), record: { eventId: `e${i}`, type: 'incident.opened', webhookId: `msg_e${i}`, attempts: 1, at: 't', status: 'failed' } });
    }
    expect(state.failed).toHaveLength(WEBHOOK_DELIVERY_LIMITS.failed);
    expect(state.failed[0].event.eventId).toBe('e5');
    expect(state.counters).toMatchObject({ failed: WEBHOOK_DELIVERY_LIMITS.failed + 5, failedDropped: 5 });
  });

  it('names a delivery by its subscription and event', () => {
    expect(parseDeliveryId(deliveryId('warehouse', 'evt_inc-1_0'))).toEqual({ subscriptionId: 'warehouse', eventId: 'evt_inc-1_0' });
    expect(parseDeliveryId('nothing')).toBeUndefined();
  });
});
