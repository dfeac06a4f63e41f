import { Client, Connection } from '@temporalio/client';
import { loadIntegrationsConfig } from '../../../core/schemas/integrations-config';
import type { RespondersFile, SchedulesFile } from '../../../core/schemas/oncall-config';
import { TestFirebreak } from '../../../test/firebreak';
import { testOperatorConfig } from '../../../test/operator';
import { pendingTimers, sharedTemporalAddress } from '../../../test/temporal';
import { startNotificationVendors } from '../../../test/vendors/notifications';
import { pagerDutySettings, startPagerDutyStub } from '../../../test/vendors/pagerduty';
import { twilioError } from '../../../test/vendors/twilio';
import { waitFor } from '../../../test/wait';

type Entry = { kind: string; summary: string; at: string };
type Notification = { id: string; responder: string; method: string; level: number; round: number; at: string; outcome: string; provider?: string };

/**
 * Escalation to people, end to end: the real Temporal server, the real worker with every
 * channel on its real library against the vendor stubs (Slack, SMTP, Twilio), rules in
 * seconds. Who is on call comes from schedules; overrides through the API.
 */
describe('on call: escalation notifies the people on call', () => {
  let temporal: Client;
  let vendors: Awaited<ReturnType<typeof startNotificationVendors>>;
  beforeAll(async () => {
    temporal = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
  });
  afterAll(() => temporal.connection.close());
  beforeEach(async () => {
    vendors = await startNotificationVendors();
  });
  afterEach(() => vendors.stop());

  const seconds = (n: number) => n / 60;
  const person = (id: string, name: string, phone: string, rules: RespondersFile[number]['rules']) => ({
    id,
    name,
    timeZone: 'Europe/Berlin',
    contact: { slack: `U0${id.toUpperCase()}01`, email: `${id}@acme.test`, sms: phone, voice: phone },
    rules,
  });
  /** One responder on call around the clock. */
  const always = (id: string, responder: string): SchedulesFile[number] => ({
    id,
    name: id,
    timeZone: 'UTC',
    layers: [{ name: 'all', responders: [responder], start: '2026-01-05', handoff: '09:00', shift: { every: 1, unit: 'weeks' } }],
  });

  async function start(options: {
    responders: RespondersFile;
    schedules: SchedulesFile;
    levels: Array<{ targets: string[]; timeoutSeconds: number }>;
  }): Promise<TestFirebreak> {
    return TestFirebreak.start({
      operator: testOperatorConfig({ escalation: { levels: options.levels }, responders: options.responders, schedules: options.schedules }),
      integrations: loadIntegrationsConfig(vendors.env),
    });
  }

  const read = async (firebreak: TestFirebreak, id: string) => (await firebreak.as('viewer').get(`/v1/incidents/${id}`)).body;
  const summaries = (incident: { timeline: Entry[] }) => incident.timeline.map((entry) => entry.summary);
  const sent = async (firebreak: TestFirebreak, id: string): Promise<Notification[]> => {
    const answer = await firebreak.as('viewer').get(`/v1/notifications?incidentId=${id}`);
    expect(answer.status).toBe(200);
    return answer.body.notifications;
  };

  it("notifies level 1's person by every method in order, then level 2's schedule when nobody acknowledges", async () => {
    const firebreak = await start({
      responders: [
        person('dana', 'Dana Scully', '+14155550101', [
          { method: 'slack', afterMinutes: 0 },
          { method: 'email', afterMinutes: 0 },
          { method: 'sms', afterMinutes: seconds(1) },
          { method: 'voice', afterMinutes: seconds(2) },
        ]),
        person('lee', 'Lee Adama', '+14155550199', [{ method: 'sms', afterMinutes: 0 }]),
      ],
      schedules: [always('primary', 'dana'), always('secondary', 'lee')],
      levels: [
        { targets: ['schedule:primary'], timeoutSeconds: 4 },
        { targets: ['schedule:secondary'], timeoutSeconds: 3600 },
      ],
    });
    try {
      const opened = await firebreak.as('responder').post('/v1/alerts', { source: 'e2e', summary: 'Checkout p99 above 2s', status: 'firing', dedupKey: 'oncall-ladder' });
      const id: string = opened.body.incidentId;

      const all = await waitFor('level 2 to notify Lee', async () => {
        const list = await sent(firebreak, id);
        return list.some((entry) => entry.responder === 'lee' && entry.outcome === 'sent') ? list : undefined;
      }, { timeoutMs: 30_000 });
      const dana = all.filter((entry) => entry.responder === 'dana');
      expect(dana.map((entry) => [entry.method, entry.outcome, entry.level, entry.round])).toEqual(
        expect.arrayContaining([
          ['slack', 'sent', 1, 1],
          ['email', 'sent', 1, 1],
          ['sms', 'sent', 1, 1],
          ['voice', 'sent', 1, 1],
        ]),
      );
      expect(dana).toHaveLength(4);
      // In the order of the rules: Slack and email at once, then SMS, then the call.
      const at = (method: string) => Date.parse(dana.find((entry) => entry.method === method)!.at);
      expect(Math.max(at('slack'), at('email'))).toBeLessThanOrEqual(at('sms'));
      expect(at('sms')).toBeLessThanOrEqual(at('voice'));
      expect(all.find((entry) => entry.responder === 'lee')).toMatchObject({ method: 'sms', level: 2, round: 1, provider: 'twilio' });

      // Each vendor was reached once per notification, at Dana's and Lee's addresses.
      expect(vendors.slack!.stub.count('dm.post')).toBe(1);
      expect(vendors.smtp.messages.map((mail) => mail.rcptTo)).toEqual([['dana@acme.test']]);
      expect(vendors.twilio.messages.map((message) => message.to).sort()).toEqual(['+14155550101', '+14155550199']);
      expect(vendors.twilio.calls.map((call) => call.to)).toEqual(['+14155550101']);

      const incident = await read(firebreak, id);
      expect(summaries(incident)).toEqual(
        expect.arrayContaining([
          'Notifying Dana Scully (schedule:primary) (level 1, policy test-ladder)',
          'Notified Dana Scully by SMS (level 1, round 1)',
          'Notified Dana Scully by voice call (level 1, round 1)',
          'Notifying Lee Adama (schedule:secondary) (level 2, policy test-ladder)',
        ]),
      );
      // Nothing in the history or the snapshot holds an address.
      const history = JSON.stringify(await temporal.workflow.getHandle(id).fetchHistory());
      for (const secret of ['+14155550101', 'dana@acme.test', 'U0DANA01', '/v1/ack/']) {
        expect(history).not.toContain(secret);
        expect(JSON.stringify(incident)).not.toContain(secret);
      }
    } finally {
      await firebreak.stop();
    }
  });

  it('acknowledging through the signed link stops every pending notification', async () => {
    const firebreak = await start({
      responders: [
        person('dana', 'Dana Scully', '+14155550101', [
          { method: 'email', afterMinutes: 0 },
          { method: 'sms', afterMinutes: 30 },
          { method: 'voice', afterMinutes: 60 },
        ]),
      ],
      schedules: [always('primary', 'dana')],
      levels: [{ targets: ['schedule:primary'], timeoutSeconds: 3600 }],
    });
    try {
      const opened = await firebreak.as('responder').post('/v1/alerts', { source: 'e2e', summary: 'Disk full on db-1', status: 'firing', dedupKey: 'oncall-ack' });
      const id: string = opened.body.incidentId;
      const mail = await waitFor('the email to arrive', async () => vendors.smtp.messages[0]);
      const link = /\/v1\/ack\/([A-Za-z0-9._-]+)/.exec(mail.text);
      expect(link).not.toBeNull();

      // Opening the link changes nothing (mail scanners open links); confirming acknowledges.
      const page = await firebreak.http.get(`/v1/ack/${link![1]}`);
      expect(page.status).toBe(200);
      expect((await read(firebreak, id)).status).toBe('triggered');
      const confirmed = await firebreak.http.post(`/v1/ack/${link![1]}`, {});
      expect(confirmed.status).toBe(200);

      const incident = await read(firebreak, id);
      expect(incident.status).toBe('acknowledged');
      expect(incident.escalation.queue).toEqual([]);
      expect(summaries(incident)).toContain('2 pending notifications cancelled: acknowledged');
      // Nothing is left to fire: no SMS or call will follow.
      await waitFor('every timer to be cancelled', async () => (await pendingTimers(temporal, id)) === 0);
      expect(vendors.twilio.messages).toHaveLength(0);
      expect(vendors.twilio.calls).toHaveLength(0);

      // The same link again is refused and changes nothing.
      const again = await firebreak.http.post(`/v1/ack/${link![1]}`, {});
      expect(again.status).toBe(409);
    } finally {
      await firebreak.stop();
    }
  });

  it('an override made mid-incident changes who the next level reaches; an empty schedule escalates at once', async () => {
    const firebreak = await start({
      responders: [
        person('dana', 'Dana Scully', '+14155550101', [{ method: 'email', afterMinutes: 0 }]),
        person('lee', 'Lee Adama', '+14155550199', [{ method: 'email', afterMinutes: 0 }]),
        person('kim', 'Kim Wexler', '+14155550177', [{ method: 'email', afterMinutes: 0 }]),
      ],
      schedules: [
        always('primary', 'dana'),
        always('secondary', 'lee'),
        // Starts in 2030: nobody is on call there yet.
        { id: 'future', name: 'future', timeZone: 'UTC', layers: [{ name: 'later', responders: ['kim'], start: '2030-01-07', handoff: '09:00', shift: { every: 1, unit: 'weeks' } }] },
      ],
      levels: [
        { targets: ['schedule:primary'], timeoutSeconds: 3600 },
        { targets: ['schedule:future'], timeoutSeconds: 3600 },
        { targets: ['schedule:secondary'], timeoutSeconds: 3600 },
      ],
    });
    try {
      const opened = await firebreak.as('responder').post('/v1/incidents', { title: 'Payments failing', severity: 'SEV2' });
      const id: string = opened.body.id;
      await waitFor('level 1 to notify Dana', async () => (await sent(firebreak, id)).some((entry) => entry.responder === 'dana'));

      const from = new Date(Date.now() + 1_000).toISOString();
      const to = new Date(Date.now() + 3_600_000).toISOString();
      const override = await firebreak.as('admin').post('/v1/schedules/secondary/overrides', { responder: 'kim', from, to });
      expect(override.status).toBe(201);
      await waitFor('the override to take effect', async () => {
        const answer = await firebreak.as('viewer').get('/v1/oncall?schedule=secondary');
        return JSON.stringify(answer.body).includes('"kim"');
      });

      expect((await firebreak.as('responder').post(`/v1/incidents/${id}/actions`, { action: 'escalate', reason: 'Dana is on a plane' })).status).toBe(200);
      const list = await waitFor('level 3 to notify someone', async () => {
        const all = await sent(firebreak, id);
        return all.some((entry) => entry.level === 3) ? all : undefined;
      });
      expect(list.filter((entry) => entry.level === 3).map((entry) => entry.responder)).toEqual(['kim']);
      expect(list.some((entry) => entry.responder === 'lee')).toBe(false);
      const incident = await read(firebreak, id);
      expect(summaries(incident)).toEqual(
        expect.arrayContaining(['Nobody is on call for schedule:future (level 2, policy test-ladder)', 'level 2 reached nobody: escalating at once']),
      );
    } finally {
      await firebreak.stop();
    }
  });

  it("moves on to the person's next method at once when a channel refuses", async () => {
    const firebreak = await start({
      responders: [
        person('dana', 'Dana Scully', '+14155550101', [
          { method: 'sms', afterMinutes: 0 },
          { method: 'voice', afterMinutes: 30 },
        ]),
      ],
      schedules: [always('primary', 'dana')],
      levels: [{ targets: ['user:dana'], timeoutSeconds: 3600 }],
    });
    try {
      vendors.twilio.stub.fail('messages.create', twilioError(400, 21610, 'Attempt to send to unsubscribed recipient'));
      const opened = await firebreak.as('responder').post('/v1/incidents', { title: 'Queue backlog', severity: 'SEV2' });
      const id: string = opened.body.id;
      const list = await waitFor('the call to follow the refused SMS', async () => {
        const all = await sent(firebreak, id);
        return all.some((entry) => entry.method === 'voice') ? all : undefined;
      });
      expect(list.map((entry) => [entry.method, entry.outcome])).toEqual([
        ['sms', 'failed'],
        ['voice', 'sent'],
      ]);
      expect(vendors.twilio.calls).toHaveLength(1);
      expect(summaries(await read(firebreak, id)).some((summary) => /^Could not notify Dana Scully by SMS .*Trying voice call now\.$/.test(summary))).toBe(true);
    } finally {
      await firebreak.stop();
    }
  });

  /** Firebreak paging a two-level PagerDuty ladder (payments, then platform) on a PagerDuty stub. */
  async function pagerDutyLadder(levelOneTimeoutSeconds: number) {
    const pagerduty = await startPagerDutyStub();
    const firebreak = await TestFirebreak.start({
      operator: testOperatorConfig({
        escalation: {
          levels: [
            { targets: ['pagerduty:payments'], timeoutSeconds: levelOneTimeoutSeconds },
            { targets: ['pagerduty:platform'], timeoutSeconds: 3600 },
          ],
        },
      }),
      integrations: loadIntegrationsConfig(pagerDutySettings(pagerduty.stub.url)),
    });
    return { pagerduty, firebreak };
  }
  /** The "Pager told" entries on the incident's timeline, once there are `count`. */
  const pagerTold = (firebreak: TestFirebreak, id: string, count: number) =>
    waitFor(`${count} "Pager told" entries on the timeline`, async () => {
      const told = summaries(await read(firebreak, id)).filter((summary) => summary.startsWith('Pager told'));
      return told.length === count ? told.sort() : undefined;
    });

  it('pages each PagerDuty level on its own service and dedup key, and acknowledges every level paged', async () => {
    const { pagerduty, firebreak } = await pagerDutyLadder(1);
    try {
      const opened = await firebreak.as('responder').post('/v1/incidents', { title: 'Card payments failing', severity: 'SEV1' });
      const id: string = opened.body.id;
      await waitFor('both levels to be paged', async () => pagerduty.stub.count('alert.open') === 2);
      expect([...pagerduty.alerts.keys()]).toEqual([`payments|${id}#level-1`, `platform|${id}#level-2`]);

      expect((await firebreak.as('responder').post(`/v1/incidents/${id}/actions`, { action: 'acknowledge' })).status).toBe(200);
      await waitFor('every level to hear of it', async () => [...pagerduty.alerts.values()].every((alert) => alert.status === 'acknowledged'));
      expect(await pagerTold(firebreak, id, 2)).toEqual(['Pager told: acknowledge (level 1)', 'Pager told: acknowledge (level 2)']);
    } finally {
      await firebreak.stop();
      await pagerduty.stub.stop();
    }
  });

  /** A vendor answer held until `answer` is called (the executor runs at once, so `answer` is set on return). */
  function heldAnswer() {
    let answer = () => {};
    const answered = new Promise<void>((resolve) => (answer = resolve));
    return { answered, answer };
  }

  /**
   * Opens an incident on the PagerDuty ladder and acknowledges it while level 2's page is at
   * PagerDuty, its answer held until `answered`; level 1 has heard of it. Answers the incident's id.
   */
  async function acknowledgeWhileLevelTwoIsOnItsWay({ pagerduty, firebreak }: Awaited<ReturnType<typeof pagerDutyLadder>>, answered: Promise<void>) {
    const responder = firebreak.as('responder');
    const { body: opened } = await responder.post('/v1/incidents', { title: 'Card payments failing', severity: 'SEV1' });
    const id: string = opened.id;
    await waitFor('level 1 to be paged', async () => summaries(await read(firebreak, id)).some((summary) => summary.startsWith('Paged pagerduty:payments')));
    // Level 2's page reaches PagerDuty, whose answer is slow: the acknowledgement comes first.
    pagerduty.stub.fail('enqueue', { actThenAnswerAfter: answered });
    expect((await responder.post(`/v1/incidents/${id}/actions`, { action: 'escalate' })).status).toBe(200);
    await waitFor('level 2 to be triggered at PagerDuty', () => pagerduty.alerts.get(`platform|${id}#level-2`));
    expect((await responder.post(`/v1/incidents/${id}/actions`, { action: 'acknowledge' })).status).toBe(200);
    await waitFor('level 1 to hear of it', () => pagerduty.alerts.get(`payments|${id}#level-1`)?.status === 'acknowledged');
    return id;
  }

  it('tells a level whose page was still on its way when the incident was acknowledged', async () => {
    const ladder = await pagerDutyLadder(3600);
    const { pagerduty, firebreak } = ladder;
    const held = heldAnswer();
    try {
      const id = await acknowledgeWhileLevelTwoIsOnItsWay(ladder, held.answered);
      expect(pagerduty.alerts.get(`platform|${id}#level-2`)?.status).toBe('triggered');

      held.answer();
      await waitFor('level 2 to hear of it once its page is answered', () => pagerduty.alerts.get(`platform|${id}#level-2`)?.status === 'acknowledged');
      expect(await pagerTold(firebreak, id, 2)).toEqual(['Pager told: acknowledge (level 1)', 'Pager told: acknowledge (level 2)']);
    } finally {
      held.answer();
      await firebreak.stop();
      await pagerduty.stub.stop();
    }
  });

  it("retries a late level's notice when the pager fails it, and tells that level once", async () => {
    const ladder = await pagerDutyLadder(3600);
    const { pagerduty, firebreak } = ladder;
    const held = heldAnswer();
    try {
      const id = await acknowledgeWhileLevelTwoIsOnItsWay(ladder, held.answered);
      // The late notice to level 2 meets a PagerDuty that is briefly down: its step retries.
      pagerduty.stub.fail('enqueue', { status: 503, body: { status: 'unavailable' } });
      held.answer();
      await waitFor('level 2 to hear of it after the retry', () => pagerduty.alerts.get(`platform|${id}#level-2`)?.status === 'acknowledged');
      expect(await pagerTold(firebreak, id, 2)).toEqual(['Pager told: acknowledge (level 1)', 'Pager told: acknowledge (level 2)']);
      const levelTwoNotices = pagerduty.stub.calls('enqueue').filter((call) => call.body?.event_action === 'acknowledge' && call.body?.dedup_key === `${id}#level-2`);
      // One refused, one taken: the retry, not a second notice.
      expect(levelTwoNotices).toHaveLength(2);
      expect(pagerduty.stub.count('alert.open')).toBe(2);
    } finally {
      held.answer();
      await firebreak.stop();
      await pagerduty.stub.stop();
    }
  });
});
