import { TEST_KEYS, useTestFirebreak } from '../../../test/firebreak';
import { testOperatorConfig } from '../../../test/operator';
import { waitFor } from '../../../test/wait';
import { buildCli, closedPort, TestCli } from './cli';

describe('the firebreak CLI: alerts and incidents, against a real Firebreak', () => {
  const e2e = useTestFirebreak({ operator: testOperatorConfig() });
  let cli: TestCli;

  beforeAll(async () => {
    cli = new TestCli(buildCli('incidents'));
    await cli.ok(['login', '--url', e2e.firebreak.http.baseUrl, '--key', TEST_KEYS.responder]);
  });

  const declare = async (title: string, ...more: string[]) => (await cli.json<{ id: string }>(['incidents', 'declare', '--title', title, '--severity', 'SEV3', ...more])).id;
  const incident = (id: string) => cli.json(['incidents', 'show', id]);
  /** Reopening and closing are a commander's. */
  const asCommander = { env: { FIREBREAK_KEY: TEST_KEYS.commander } };

  it('declares, lists and shows an incident, as tables and as JSON', async () => {
    const commander = `cmdr-${e2e.firebreak.taskQueue}`;
    const declared = await cli.run(['incidents', 'declare', '--title', 'Checkout down in eu-west-1', '--severity', 'SEV2', '--service', 'checkout', '--commander', commander]);
    expect(declared).toMatchObject({ code: 0, stderr: '' });
    const id = /^declared (inc-[0-9a-f]{12})\n$/.exec(declared.stdout)?.[1] as string;
    expect(id).toBeDefined();

    const page = await waitFor('the incident in the list', async () => {
      const listed = await cli.json(['incidents', 'ls', '--commander', commander]);
      return listed.incidents.length === 1 ? listed : undefined;
    });
    expect(page).toEqual({
      incidents: [{ id, title: 'Checkout down in eu-west-1', status: 'triggered', severity: 'SEV2', service: 'checkout', commander, openedAt: expect.any(String), running: true }],
      nextPageToken: null,
    });
    const table = (await cli.ok(['incidents', 'ls', '--commander', commander, '--status', 'triggered'])).split('\n');
    expect(table[0]).toMatch(/^ID\s+SEV\s+STATUS\s+TITLE\s+SERVICE\s+COMMANDER\s+AGE$/);
    expect(table[1]).toMatch(new RegExp(`^${id}\\s+SEV2\\s+triggered\\s+Checkout down in eu-west-1\\s+checkout\\s+${commander}\\s+\\d+[smhd]$`));

    const shown = await incident(id);
    expect(shown).toMatchObject({ id, title: 'Checkout down in eu-west-1', status: 'triggered', severity: 'SEV2', roles: { commander } });
    expect(shown.timeline[0]).toMatchObject({ kind: 'status', actor: 'alertmanager', summary: expect.stringContaining('Incident opened') });
    const text = await cli.ok(['incidents', 'show', id]);
    expect(text).toMatch(new RegExp(`^${id}  Checkout down in eu-west-1\n`));
    expect(text).toMatch(/\nstatus +triggered\n/);
    expect(text).toMatch(/\nseverity +SEV2 \(P\d\)\n/);
    expect(text).toMatch(new RegExp(`\ncommander +${commander}\n`));
    expect(text).toMatch(/\nTimeline \(2 entries\):\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ {2}status +alertmanager: Incident opened \(SEV2, P\d\): Checkout down in eu-west-1\n/);
    expect(text).toMatch(new RegExp(`\\n\\S+ \\S+  role +alertmanager: ${commander} is the incident commander\\n$`));
  });

  it('drives an incident through its life: ack, assign, note, mitigate, resolve, postmortem, reopen, close', async () => {
    const id = await declare('Payments failing');
    expect(await cli.ok(['incidents', 'ack', id, '--note', 'on it'])).toBe(`${id}: acknowledged (SEV3)\n`);
    expect(await cli.json(['incidents', 'assign', id, '--role', 'commander', '--to', 'dana'])).toEqual({
      incidentId: id,
      status: 'acknowledged',
      severity: 'SEV3',
      metrics: expect.any(Object),
      newlyReached: [],
    });
    await cli.ok(['incidents', 'assign', id, '--role', 'investigator', '--to', 'sam']);
    await cli.ok(['incidents', 'note', id, 'provider', 'answers 502;', 'retry=off']);
    expect(await cli.json(['incidents', 'mitigate', id])).toMatchObject({ incidentId: id, status: 'mitigated' });
    expect(await cli.ok(['incidents', 'resolve', id, '--note', 'provider fixed'])).toBe(`${id}: resolved (SEV3)\n`);

    const markdown = await cli.ok(['incidents', 'postmortem', id]);
    expect(markdown).toMatch(/^# Postmortem: Payments failing\n/);
    expect(markdown).toContain('- Incident commander: dana');
    expect(markdown).toContain('provider answers 502; retry=off');
    expect(await cli.json(['incidents', 'postmortem', id])).toEqual({ incidentId: id, markdown });

    expect(await cli.ok(['incidents', 'reopen', id, '--reason', 'errors are back'], asCommander)).toBe(`${id}: investigating (SEV3)\n`);
    expect(await cli.json(['incidents', 'close', id], asCommander)).toMatchObject({ incidentId: id, status: 'closed' });

    const final = await incident(id);
    expect(final.roles).toEqual({ commander: 'dana', investigators: ['sam'] });
    expect(final.timeline.filter((entry: { kind: string }) => entry.kind === 'note').map((entry: { summary: string }) => entry.summary)).toEqual(
      expect.arrayContaining([expect.stringContaining('provider answers 502; retry=off')]),
    );

    // A closed incident takes no more commands: refused, exit 4, with the API's reason.
    const late = await cli.run(['incidents', 'note', id, 'too late']);
    expect(late).toMatchObject({ code: 4, stdout: '' });
    expect(late.stderr).toMatch(/^error: .*closed/);
  });

  it('sends an alert that opens an incident, labels split at the first =', async () => {
    const dedupKey = `cli-${e2e.firebreak.taskQueue}`;
    const sent = await cli.json(['alerts', 'send', '--summary', 'Disk full on db-1', '--severity', 'critical', '--service', 'db', '--label', 'host=db-1', '--label', 'query=a=b', '--dedup-key', dedupKey]);
    expect(sent).toEqual({ incidentId: expect.stringMatching(/^inc-/), status: 'recorded', receiptId: expect.any(String) });
    const again = await cli.ok(['alerts', 'send', '--summary', 'Disk full on db-1', '--dedup-key', dedupKey, '--annotation', 'runbook=https://wiki/disk']);
    expect(again).toBe(`alert recorded on ${sent.incidentId}\n`);
    const opened = await incident(sent.incidentId);
    expect(opened).toMatchObject({ severity: 'SEV1', service: 'db', alertCount: 2 });
    expect(opened.alerts[0]).toMatchObject({ source: 'cli', labels: { host: 'db-1', query: 'a=b' }, dedupKey: expect.stringContaining(dedupKey) });
    expect(opened.alerts[1]).toMatchObject({ annotations: { runbook: 'https://wiki/disk' } });
    await cli.ok(['alerts', 'send', '--summary', 'Disk full on db-1', '--dedup-key', dedupKey, '--url', 'https://grafana.example.com/d/db']);
    // `show` prints the newest alert's links.
    expect(await cli.ok(['incidents', 'show', sent.incidentId])).toMatch(/source\s+https:\/\/grafana\.example\.com\/d\/db/);
    const resolved = await cli.json(['alerts', 'send', '--summary', 'Disk full on db-1', '--dedup-key', dedupKey, '--resolved']);
    expect(resolved).toMatchObject({ incidentId: sent.incidentId, status: 'recorded' });
  });

  it('tails the timeline, printing an entry posted while it follows', async () => {
    const id = await declare('Follow me');
    const tail = cli.start(['incidents', 'tail', id]);
    await tail.printed('Incident opened');
    await e2e.responder.post(`/v1/incidents/${id}/actions`, { action: 'add-note', text: 'posted while tailing' });
    const printed = await tail.printed('posted while tailing');
    await tail.stop();
    expect(printed).toMatch(/ status +alertmanager: Incident opened \(SEV3, P\d\): Follow me\n/);
    expect(printed).toMatch(/ note +alertmanager: posted while tailing\n/);
  });

  it('tails as JSON lines and ends by itself when the incident closes', async () => {
    const id = await declare('Follow me to the end');
    const tail = cli.start(['incidents', 'tail', id, '-o', 'json']);
    await tail.printed('Incident opened');
    await cli.ok(['incidents', 'note', id, 'seen as JSON']);
    await tail.printed('seen as JSON');
    await cli.ok(['incidents', 'close', id], asCommander);
    const ended = await tail.exited;
    expect(ended.code).toBe(0);
    const lines = ended.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines[0]).toMatchObject({ index: 0, kind: 'status', actor: 'alertmanager', at: expect.any(String), summary: expect.stringContaining('Incident opened') });
    expect(lines.map((line) => line.index)).toEqual(lines.map((_, index) => index));
    expect(lines).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'note', summary: 'seen as JSON' })]));
    expect(lines.at(-1)).toMatchObject({ kind: 'status', summary: expect.stringMatching(/closed/i) });
  });

  describe('exit codes and errors', () => {
    it('exits 3 for what does not exist', async () => {
      const missing = await cli.run(['incidents', 'show', 'inc-ffffffffffff']);
      expect(missing).toMatchObject({ code: 3, stdout: '', stderr: 'error: no incident inc-ffffffffffff\n' });
      expect((await cli.run(['incidents', 'ack', 'inc-ffffffffffff'])).code).toBe(3);
      expect((await cli.run(['incidents', 'postmortem', 'inc-ffffffffffff'])).code).toBe(3);
    });

    it('exits 4 when the API refuses: not allowed now (409), role too low (403), unknown key (401)', async () => {
      const id = await declare('Refusals');
      await cli.ok(['incidents', 'resolve', id]);
      const back = await cli.run(['incidents', 'ack', id]);
      expect(back).toMatchObject({ code: 4, stderr: 'error: cannot go back from resolved to acknowledged; reopen it first\n' });
      const early = await cli.run(['incidents', 'postmortem', await declare('No postmortem yet')]);
      expect(early.code).toBe(4);

      const viewer = await cli.run(['incidents', 'ack', id], { env: { FIREBREAK_KEY: TEST_KEYS.viewer } });
      expect(viewer).toMatchObject({ code: 4, stderr: 'error: acknowledge an incident needs the incident.acknowledge right (responder, commander, admin); "dashboard" is viewer\n' });
      const unknown = await cli.run(['incidents', 'ls'], { env: { FIREBREAK_KEY: 'not-a-key-0123456789' } });
      expect(unknown).toMatchObject({ code: 4, stderr: 'error: unknown API key\n' });
      expect(unknown.stderr).not.toContain('not-a-key');
    });

    it("exits 2 for a wrong command line, or input the API refuses, printing each field's rule", async () => {
      const noSeverity = await cli.run(['incidents', 'declare', '--title', 'x']);
      expect(noSeverity).toMatchObject({ code: 2, stdout: '' });
      expect(noSeverity.stderr).toContain("required option '--severity <severity>' not specified");
      const badSeverity = await cli.run(['incidents', 'declare', '--title', 'x', '--severity', 'SEV9']);
      expect(badSeverity.code).toBe(2);
      expect(badSeverity.stderr).toContain('Allowed choices are SEV0, SEV1, SEV2, SEV3, SEV4');
      expect((await cli.run(['incidents', 'explode'])).code).toBe(2);
      expect((await cli.run(['incidents'])).code).toBe(2);
      expect((await cli.run(['alerts', 'send', '--summary', 's', '--label', 'novalue'])).code).toBe(2);

      const refused = await cli.run(['incidents', 'declare', '--title', '', '--severity', 'SEV3']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^error: title: .+\n {2}- title: .+ \(too_small\)\n$/);
      const badAlert = await cli.run(['alerts', 'send', '--summary', 'x', '--severity', 'apocalyptic']);
      expect(badAlert.code).toBe(2);
      expect(badAlert.stderr).toMatch(/\n {2}- severity: .+ \(invalid_value\)\n$/);
    });

    it('exits 1 when the API cannot be reached', async () => {
      const url = `http://127.0.0.1:${await closedPort()}`;
      const unreachable = await cli.run(['incidents', 'ls'], { env: { FIREBREAK_URL: url } });
      expect(unreachable).toMatchObject({ code: 1, stdout: '', stderr: `error: cannot reach ${url}: ECONNREFUSED\n` });
    });

    it('answers --help and --version with 0', async () => {
      const help = await cli.run(['--help']);
      expect(help.code).toBe(0);
      for (const noun of ['login', 'context', 'alerts', 'incidents', 'runbooks', 'executions', 'oncall', 'schedules']) expect(help.stdout).toMatch(new RegExp(`\n {2}${noun}\\b`));
      expect(help.stdout).toContain('Exit codes: 0 ok, 1 failure, 2 usage or bad input, 3 not found, 4 refused (401, 403, 409).');
      expect(await cli.ok(['--version'])).toMatch(/^\d+\.\d+\.\d+\n$/);
    });
  });
});
