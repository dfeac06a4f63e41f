import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { IncidentServiceAttribute } from '../../../core/model/search-attributes';
import { TEST_KEYS, useTestFirebreak } from '../../../test/firebreak';
import { testOperatorConfig } from '../../../test/operator';
import { sharedTemporalAddress } from '../../../test/temporal';
import { waitFor } from '../../../test/wait';

describe('the incident lifecycle over HTTP', () => {
  const e2e = useTestFirebreak({ operator: testOperatorConfig() });

  const act = (id: string, body: Record<string, unknown>, client = e2e.responder) => client.post(`/v1/incidents/${id}/actions`, body);
  /** Closing, reopening and posting to the status page are a commander's. */
  const command = (id: string, body: Record<string, unknown>) => act(id, body, e2e.firebreak.as('commander'));

  it('runs declare → acknowledge → roles → notes → status update → mitigate → resolve → postmortem → reopen → close', async () => {
    const declared = await e2e.responder.post('/v1/incidents', {
      title: 'Checkout failing in eu-west-1',
      severity: 'SEV1',
      service: 'checkout',
      summary: 'Card payments fail for EU customers.',
      impact: 'high',
      urgency: 'high',
    });
    expect(declared.status).toBe(201);
    const id: string = declared.body.id;
    expect(id).toMatch(/^inc-[0-9a-f]{12}$/);

    // An invalid transition is refused with its reason, and nothing changes.
    const early = await act(id, { action: 'resolve' });
    expect(early.status).toBe(200); // skipping forward is allowed...
    const back = await act(id, { action: 'acknowledge' });
    expect(back.status).toBe(409); // ...going back is not
    expect(back.body.message).toBe('cannot go back from resolved to acknowledged; reopen it first');
    expect((await command(id, { action: 'reopen', reason: 'resolved by mistake' })).status).toBe(200);

    expect((await act(id, { action: 'assign-role', role: 'commander', assignee: 'alice' })).status).toBe(200);
    expect((await act(id, { action: 'assign-role', role: 'scribe', assignee: 'bob' })).status).toBe(200);
    expect((await act(id, { action: 'assign-role', role: 'investigator', assignee: 'carol' })).status).toBe(200);
    expect((await act(id, { action: 'assign-role', role: 'communications', assignee: 'dana' })).status).toBe(200);
    expect((await act(id, { action: 'add-note', text: 'Payments provider returns 502 for EU cards.' })).status).toBe(200);
    expect((await act(id, { action: 'add-action-item', title: 'Alert on provider 5xx rate', owner: 'carol' })).status).toBe(200);
    expect((await act(id, { action: 'set-severity', severity: 'SEV0', reason: 'all EU traffic affected' })).status).toBe(200);
    const sameSeverity = await act(id, { action: 'set-severity', severity: 'SEV0' });
    expect(sameSeverity.status).toBe(409);

    const statusUpdate = await command(id, {
      action: 'post-status-update',
      status: 'identified',
      message: 'EU card payments are failing; we are rolling back.',
      components: { Checkout: 'major_outage' },
    });
    expect(statusUpdate.status).toBe(200);
    expect((await act(id, { action: 'mitigate', note: 'traffic moved to us-east-1' })).status).toBe(200);
    const resolved = await act(id, { action: 'resolve' });
    expect(resolved.body).toMatchObject({ status: 'resolved', severity: 'SEV0' });
    expect(resolved.body.metrics.timeToResolveSeconds).toBeGreaterThanOrEqual(0);

    const incident = (await e2e.viewer.get(`/v1/incidents/${id}`)).body;
    expect(incident).toMatchObject({
      status: 'resolved',
      severity: 'SEV0',
      priority: 'P1',
      roles: { commander: 'alice', scribe: 'bob', communications: 'dana', investigators: ['carol'] },
      statusPage: { statusIncidentId: expect.any(String) },
    });
    // Firebreak's own entries (escalation paging before the acknowledgement, when the machine is
    // slow) come and go with timing; every command is recorded by its key's name.
    const actors = new Set(incident.timeline.filter((entry: { actor: string }) => entry.actor !== 'firebreak').map((entry: { actor: string }) => entry.actor));
    expect(actors).toEqual(new Set(['alertmanager', 'incident-lead'])); // the responder's, the commander's

    const timeline = await e2e.viewer.get(`/v1/incidents/${id}/timeline?after=2`);
    expect(timeline.body.entries[0].index).toBe(3);
    expect(timeline.body.entries.map((entry: { kind: string }) => entry.kind)).toEqual(
      expect.arrayContaining(['role', 'note', 'severity', 'status-update', 'status']),
    );

    const postmortem = await e2e.viewer.get(`/v1/incidents/${id}/postmortem`);
    expect(postmortem.status).toBe(200);
    expect(postmortem.headers.get('content-type')).toMatch(/^text\/markdown/);
    const markdown = postmortem.text;
    expect(markdown).toContain('# Postmortem: Checkout failing in eu-west-1');
    expect(markdown).toMatch(/## Summary\n\nCard payments fail for EU customers\.\n/);
    expect(markdown).toMatch(/## Impact and duration\n\n- Opened: .+\n- Resolved: .+\n- Duration: \d/);
    expect(markdown).toContain('- Impact: high; urgency: high');
    expect(markdown).toMatch(/\| Time to acknowledge \| \d+s \|/);
    expect(markdown).toContain('- Incident commander: alice');
    expect(markdown).toContain('- Investigators: carol');
    expect(markdown).toContain('| alertmanager | Payments provider returns 502 for EU cards. |');
    expect(markdown).toContain('| incident-lead | Status page (identified): EU card payments are failing; we are rolling back. |');
    expect(markdown).toContain('1. Why? _to fill in_');
    expect(markdown).toContain('- [ ] Alert on provider 5xx rate (owner: carol) — ticket filed when the incident closes');

    const closed = await command(id, { action: 'close' });
    expect(closed.status).toBe(200);
    // Closing files the action item as a ticket, then the workflow completes.
    const final = await waitFor('the action item ticket', async () => {
      const body = (await e2e.viewer.get(`/v1/incidents/${id}`)).body;
      return body.actionItems[0].ticket ? body : undefined;
    });
    expect(final.actionItems[0].ticket.key).toEqual(expect.any(String));
    expect(final.postmortem).toContain(`ticket [${final.actionItems[0].ticket.key}]`);

    const afterClose = await act(id, { action: 'add-note', text: 'too late' });
    expect(afterClose.status).toBe(409);
    expect(afterClose.body.message).toMatch(/closed/);
  });

  it('refuses bad commands with 400 naming the field, unknown incidents with 404, viewers with 403', async () => {
    const { body } = await e2e.responder.post('/v1/incidents', { title: 'x', severity: 'SEV3' });
    const unknownAction = await act(body.id, { action: 'explode' });
    expect(unknownAction.status).toBe(400);
    expect(unknownAction.body.issues[0]).toMatchObject({ path: 'action' });
    const badParam = await act(body.id, { action: 'set-severity', severity: 'SEV7' });
    expect(badParam.status).toBe(400);
    expect(badParam.body.issues[0]).toMatchObject({ path: 'severity', rule: 'invalid_value' });
    expect((await act('inc-ffffffffffff', { action: 'acknowledge' })).status).toBe(404);
    expect((await act(body.id, { action: 'acknowledge' }, e2e.viewer)).status).toBe(403);
    const badDeclare = await e2e.responder.post('/v1/incidents', { title: '', severity: 'SEV3' });
    expect(badDeclare.status).toBe(400);
    expect(badDeclare.body.issues[0]).toMatchObject({ path: 'title', rule: 'too_small' });
  });

  it('applies a retried command with the same Idempotency-Key once', async () => {
    const { body } = await e2e.responder.post('/v1/incidents', { title: 'retry me', severity: 'SEV3' });
    const headers = { 'idempotency-key': 'note-1' };
    const first = await e2e.responder.post(`/v1/incidents/${body.id}/actions`, { action: 'add-note', text: 'once' }, headers);
    const again = await e2e.responder.post(`/v1/incidents/${body.id}/actions`, { action: 'add-note', text: 'once' }, headers);
    expect([first.status, again.status]).toEqual([200, 200]);
    const notes = (await e2e.viewer.get(`/v1/incidents/${body.id}`)).body.timeline.filter((entry: { kind: string }) => entry.kind === 'note');
    expect(notes).toHaveLength(1);
  });

  it('streams new timeline entries as Server-Sent Events and ends when the incident closes', async () => {
    const { body } = await e2e.responder.post('/v1/incidents', { title: 'stream me', severity: 'SEV4' });
    const controller = new AbortController();
    const response = await fetch(`${e2e.firebreak.http.baseUrl}/v1/incidents/${body.id}/events`, {
      headers: { authorization: `Bearer ${TEST_KEYS.viewer}` },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    let text = '';
    const readUntil = (predicate: (all: string) => boolean) =>
      waitFor('the event stream', async () => {
        const { value, done } = await reader.read();
        if (value) text += new TextDecoder().decode(value);
        return predicate(text) || done ? text : undefined;
      });

    await readUntil((all) => all.includes('Incident opened'));
    await act(body.id, { action: 'add-note', text: 'seen live' });
    await readUntil((all) => all.includes('seen live'));
    await command(body.id, { action: 'close' });
    const all = await readUntil((all) => all.includes('event: end'));
    expect(all).toMatch(/id: 0\nevent: timeline\ndata: \{.*Incident opened/);
    expect(all).toMatch(/id: \d+\nevent: timeline\ndata: \{.*"kind":"note".*seen live/);
    controller.abort();
  });

  it('filters the list by status and commander', async () => {
    const commander = `cmdr-${e2e.firebreak.taskQueue}`;
    const { body } = await e2e.responder.post('/v1/incidents', { title: 'listed', severity: 'SEV3', commander });
    await act(body.id, { action: 'acknowledge' });
    const page = await waitFor('the acknowledged incident in the list', async () => {
      const answer = await e2e.viewer.get(`/v1/incidents?commander=${commander}&status=acknowledged`);
      return answer.body.incidents?.length === 1 ? answer.body : undefined;
    });
    expect(page.incidents[0]).toMatchObject({ id: body.id, commander, status: 'acknowledged', title: 'listed' });
    const bad = await e2e.viewer.get('/v1/incidents?status=on-fire');
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0]).toMatchObject({ path: 'status' });
  });

  it('lists only its own deployment\'s incidents: another task queue in the namespace is another deployment', async () => {
    const temporal = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
    const service = `elsewhere-${e2e.firebreak.taskQueue}`;
    const other = `inc-other-${randomUUID().slice(0, 8)}`;
    try {
      const ours = (await e2e.responder.post('/v1/incidents', { title: 'ours', severity: 'SEV3', service })).body.id as string;
      // Another deployment's incident: same workflow type and service, its own task queue (no worker here).
      await temporal.workflow.start('incidentWorkflow', {
        workflowId: other,
        taskQueue: `${e2e.firebreak.taskQueue}-other`,
        args: [{}],
        typedSearchAttributes: [{ key: IncidentServiceAttribute, value: service }],
      });
      const listed = await waitFor('our incident in the list', async () => {
        const answer = await e2e.viewer.get(`/v1/incidents?service=${service}`);
        return answer.body.incidents?.some((incident: { id: string }) => incident.id === ours) ? answer.body.incidents : undefined;
      });
      // Visibility has both by now (ours was written after the other one started).
      expect(listed.map((incident: { id: string }) => incident.id)).toEqual([ours]);
    } finally {
      await temporal.workflow.getHandle(other).terminate('test over').catch(() => undefined);
      await temporal.connection.close();
    }
  });
});
