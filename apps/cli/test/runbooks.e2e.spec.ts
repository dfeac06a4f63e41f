import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_KEYS, useTestFirebreak } from '../../../test/firebreak';
import { testOperatorConfig } from '../../../test/operator';
import { waitFor } from '../../../test/wait';
import { buildCli, TestCli } from './cli';

describe('the firebreak CLI: runbooks and executions, against a real Firebreak', () => {
  const e2e = useTestFirebreak({ operator: testOperatorConfig() });
  let cli: TestCli;
  const admin = { env: { FIREBREAK_KEY: TEST_KEYS.admin } };

  beforeAll(async () => {
    cli = new TestCli(buildCli('runbooks'));
    await cli.ok(['login', '--url', e2e.firebreak.http.baseUrl, '--key', TEST_KEYS.responder]);
  });

  const execution = async (id: string) => (await e2e.viewer.get(`/v1/executions/${id}`)).body;
  const reaches = (id: string, status: string) =>
    waitFor(`execution ${id} to be ${status}`, async () => {
      const body = await execution(id);
      return body.status === status ? body : undefined;
    });
  const start = async (runbook: string, ...inputs: string[]) =>
    (await cli.json<{ id: string }>(['runbooks', 'run', runbook, ...inputs.flatMap((input) => ['--input', input])])).id;

  it('lists the catalog and shows a runbook with its inputs, types and defaults', async () => {
    const catalog = await cli.json(['runbooks', 'ls']);
    expect(catalog).toEqual((await e2e.viewer.get('/v1/runbooks')).body);
    const table = await cli.ok(['runbooks', 'ls']);
    expect(table).toMatch(/^ID\s+TITLE\s+VERSION\s+TRIGGERS\s+REQUIRED INPUTS\n/);
    expect(table).toMatch(/\nscale-out-on-high-cpu\s+.+\s+1\s+\d alert match(es)?\s+cluster, service\n/);
    expect(table).toMatch(/\napproval-demo\s+Approval demo\s+1\s+manual\s+-\n/);

    const scale = catalog.runbooks.find((runbook: { id: string }) => runbook.id === 'scale-out-on-high-cpu');
    expect(await cli.json(['runbooks', 'show', 'scale-out-on-high-cpu'])).toEqual(scale);
    const shown = await cli.ok(['runbooks', 'show', 'scale-out-on-high-cpu']);
    expect(shown).toMatch(/^scale-out-on-high-cpu {2}.+ \(v1\)\n/);
    expect(shown).toMatch(/\nINPUT\s+TYPE\s+REQUIRED\s+DEFAULT\s+DESCRIPTION\n/);
    expect(shown).toMatch(/\ncluster\s+string\s+yes\s+-\s+-\n/);
    expect(shown).toMatch(/\nstep\s+integer 1\.\.50\s+-\s+2\s+-\n/);
    expect(shown).toMatch(/\nmin\s+integer 0\.\.\s+-\s+1\s+-\n/);
    expect(shown).toMatch(/\nscaleBackAfterMinutes\s+integer 1\.\.1440\s+-\s+-\s+Scale back in this long after the alert resolves\.\n/);
    expect(shown).toMatch(/\nguardrails: one run per target at a time; at most 3 runs per target in 60 min\n/);

    const missing = await cli.run(['runbooks', 'show', 'no-such-runbook']);
    expect(missing).toMatchObject({ code: 3, stderr: 'error: no runbook "no-such-runbook"; firebreak runbooks ls lists them\n' });
    expect((await cli.run(['runbooks', 'run', 'no-such-runbook'])).code).toBe(3);
  });

  it('prints the plan of a dry run, inputs from a file and from --input, typed by the schema', async () => {
    const file = join(cli.configPath, '..', 'kickoff.json');
    writeFileSync(file, JSON.stringify({ title: 'From the file', service: 'checkout', onCall: ['sre'] }));
    const args = ['runbooks', 'run', 'major-incident-kickoff', '--dry-run', '--input-file', file, '--input', 'title=Dry = run', '--input', 'responders=["U1"]'];
    const planned = await cli.json(args);
    expect(planned).toMatchObject({ status: 'completed', dryRun: true, input: { title: 'Dry = run', service: 'checkout', onCall: ['sre'], responders: ['U1'] } });
    expect(planned.plan.map((step: { action: string }) => step.action)).toEqual([
      'ticketing.createTicket',
      'chat.createChannel',
      'chat.invite',
      'chat.postMessage',
      'video.createMeeting',
      'chat.postMessage',
      'statusPage.openIncident',
      'paging.page',
    ]);
    const table = await cli.ok(args);
    expect(table).toMatch(/^Plan of major-incident-kickoff \(dry run rbx-[0-9a-f]{12}\):\n#\s+STEP\s+ACTION\s+ARGS\n1\s+ticketing\.createTicket\s+ticketing\.createTicket\s+\{/);
    expect(table).toMatch(/\n3\s+chat\.invite\s+chat\.invite\s+\{"channelId":"dry-run-channel","users":\["U1"\]\}\n/);

    // A text input keeps text that reads as a number; a number input gets a number.
    const text = await cli.json(['runbooks', 'run', 'status-page-update', '--dry-run', '--input', 'stage=monitoring', '--input', 'service=checkout', '--input', 'details=1.10']);
    expect(text.input).toEqual({ stage: 'monitoring', service: 'checkout', details: '1.10', components: {} });
    const numbers = await cli.json(['runbooks', 'run', 'scale-out-on-high-cpu', '--dry-run', '--input', 'cluster=prod', '--input', 'service=search', '--input', 'step=3', '--input', 'waitMinutes=0']);
    expect(numbers.input).toMatchObject({ cluster: 'prod', service: 'search', step: 3, waitMinutes: 0 });
  });

  it('refuses bad input with exit 2, naming each field', async () => {
    // As an admin: scaling is destructive, so a responder is refused before its input is read.
    const bad = await cli.run(['runbooks', 'run', 'scale-out-on-high-cpu', '--input', 'cluster=prod', '--input', 'step=0'], admin);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toMatch(/\n {2}- input\.service: .+ \(invalid_type\)\n/);
    expect(bad.stderr).toMatch(/\n {2}- input\.step: .+ \(too_small\)\n/);
    expect((await cli.run(['runbooks', 'run', 'scale-out-on-high-cpu', '--input', 'noequals'])).code).toBe(2);
    expect((await cli.run(['runbooks', 'run', 'scale-out-on-high-cpu', '--input-file', '/nonexistent/input.json'])).code).toBe(2);
  });

  it('starts a run for an incident, and with --wait shows its steps and exits 0 once it completes', async () => {
    const { id: incidentId } = await cli.json(['incidents', 'declare', '--title', 'runbook from the CLI', '--severity', 'SEV3']);
    const started = await cli.run(['runbooks', 'run', 'service-health-check', '--input', 'cluster=prod', '--input', 'service=search', '--incident', incidentId]);
    expect(started).toMatchObject({ code: 0, stdout: expect.stringMatching(/^started rbx-[0-9a-f]{12}; firebreak executions show rbx-[0-9a-f]{12}\n$/) });

    const waited = await cli.run(['runbooks', 'run', 'service-health-check', '--input', 'cluster=prod', '--input', 'service=search', '--incident', incidentId, '--wait']);
    expect(waited.code).toBe(0);
    expect(waited.stdout).toMatch(/^started (rbx-[0-9a-f]{12})\n/);
    expect(waited.stdout).toMatch(/\n {2}✓ scaling\.describeService\n/);
    expect(waited.stdout).toMatch(/\n {2}✓ monitoring\.listAlarms\n/);
    expect(waited.stdout).toMatch(/\nrbx-[0-9a-f]{12}: completed\nresult: \{"verdict":.*\n$/);

    const id = /^started (rbx-[0-9a-f]{12})/.exec(waited.stdout)![1];
    const shown = await cli.json(['executions', 'show', id]);
    expect(shown).toMatchObject({ id, runbookId: 'service-health-check', status: 'completed', incidentId, launchedBy: 'alertmanager', trigger: 'manual' });
    const text = await cli.ok(['executions', 'show', id]);
    expect(text).toMatch(new RegExp(`^${id}  .+ \\(service-health-check v\\d+\\)\n`));
    expect(text).toMatch(new RegExp(`\nincident +${incidentId}\n`));
    expect(text).toMatch(/\nSTEP\s+STATUS\s+ATTEMPTS\s+STARTED\s+ERROR\nscaling\.describeService\s+completed\s+1\s+/);
    expect(text).toMatch(/\noutcome +completed\n/);
  });

  it('exits 1 when a waited run fails, after showing the failing step and what was undone', async () => {
    const failed = await cli.run(['runbooks', 'run', 'compensation-demo', '--input', 'then=fail', '--wait']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/\n {2}✗ scale-too-far: .+\n/);
    expect(failed.stdout).toMatch(/\nrbx-[0-9a-f]{12}: failed: .+\nundone: .+\n$/);
    expect(failed.stderr).toBe('error: the run ended failed\n');
    const asJson = await cli.run(['runbooks', 'run', 'compensation-demo', '--input', 'then=fail', '--wait', '-o', 'json']);
    expect(asJson.code).toBe(1);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ status: 'failed', outcome: { status: 'failed', undone: expect.any(Array) } });
  });

  it('follows a run through its approval: --wait shows the request, approve lets it finish', async () => {
    const waiting = cli.start(['runbooks', 'run', 'approval-demo', '--wait']);
    await waiting.printed('? waiting for approval: Proceed with the risky step? (admin may decide)');
    const id = /^started (rbx-[0-9a-f]{12})/.exec(waiting.stdout)![1];

    // The responder key may not decide this one: refused, exit 4.
    const refused = await cli.run(['executions', 'approve', id]);
    expect(refused).toMatchObject({ code: 4, stderr: expect.stringMatching(/^error: .*admin/) });
    const shown = await cli.ok(['executions', 'show', id]);
    expect(shown).toMatch(/\nWaiting for approval: Proceed with the risky step\?\n {2}who may decide: admin; until .+\n/);

    expect(await cli.ok(['executions', 'approve', id, '--comment', 'go'], admin)).toBe(`${id}: approved\n`);
    const done = await waiting.exited;
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(new RegExp(`\n${id}: completed\nresult: \\{"outcome":"approved","by":"ops","comment":"go"\\}\n$`));
    expect((await cli.run(['executions', 'approve', id], admin)).code).toBe(4);
  });

  it('rejects (a comment required) and cancels executions, as text and JSON', async () => {
    const toReject = await start('approval-demo', 'approvers=["responder"]');
    await reaches(toReject, 'waiting-approval');
    const noComment = await cli.run(['executions', 'reject', toReject]);
    expect(noComment.code).toBe(2);
    expect(noComment.stderr).toContain("required option '--comment <text>' not specified");
    await cli.json(['executions', 'reject', toReject, '--comment', 'not now']);
    expect((await reaches(toReject, 'completed')).outcome.result).toMatchObject({ outcome: 'rejected', comment: 'not now' });

    const toCancel = await start('compensation-demo', 'then=wait');
    await reaches(toCancel, 'waiting-approval');
    expect(await cli.json(['executions', 'cancel', toCancel])).toEqual({ id: toCancel, status: 'cancelling' });
    const cancelled = await reaches(toCancel, 'cancelled');
    expect(cancelled.outcome.undone.length).toBe(2);
    const again = await cli.run(['executions', 'cancel', toCancel]);
    expect(again).toMatchObject({ code: 4, stderr: 'error: the execution has finished (cancelled)\n' });
    expect((await cli.run(['executions', 'show', 'rbx-000000000000'])).code).toBe(3);
    expect((await cli.run(['executions', 'cancel', 'rbx-000000000000'])).code).toBe(3);
  });

  it('lists executions, filtered by runbook, status, incident and approval', async () => {
    const { id: incidentId } = await cli.json(['incidents', 'declare', '--title', 'listed runs', '--severity', 'SEV4']);
    const waitingId = (await cli.json<{ id: string }>(['runbooks', 'run', 'approval-demo', '--incident', incidentId])).id;
    await reaches(waitingId, 'waiting-approval');

    const awaiting = await waitFor('the waiting run in the list', async () => {
      const page = await cli.json(['executions', 'ls', '--awaiting-approval', '--incident', incidentId]);
      return page.executions.length === 1 ? page : undefined;
    });
    expect(awaiting.executions[0]).toMatchObject({ id: waitingId, runbookId: 'approval-demo', incidentId });
    const byRunbook = await cli.json(['executions', 'ls', '--runbook', 'approval-demo', '--incident', incidentId, '--status', 'waiting-approval', '--limit', '5']);
    expect(byRunbook.executions.map((run: { id: string }) => run.id)).toEqual([waitingId]);
    const table = await cli.ok(['executions', 'ls', '--incident', incidentId]);
    expect(table).toMatch(new RegExp(`^ID\\s+RUNBOOK\\s+STATUS\\s+INCIDENT\\s+STARTED\\s+BY\\n${waitingId}\\s+approval-demo\\s+waiting-approval\\s+${incidentId}\\s+`));
  });
});
