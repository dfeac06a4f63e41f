import type { INestApplication } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import twilio from 'twilio';
import { createApiApp } from '../../../apps/api/src/app';
import { localIntegrations, Secret, type TwilioSettings } from '../../../core/schemas/integrations-config';
import { signAckToken } from '../../../security/ack-token';
import { TEST_ACK_SECRET, useTestFirebreak } from '../../../test/firebreak';
import { HttpClient } from '../../../test/http';
import { testOperatorConfig } from '../../../test/operator';
import { runbookCatalog } from '../../../test/runbooks/catalog';
import { sharedTemporalAddress } from '../../../test/temporal';
import { waitFor } from '../../../test/wait';

const DANA_SMS = '+4915112345001';
const ELI_SMS = '+4915112345002';
const TWILIO_AUTH_TOKEN = 'test-twilio-auth-token-0123456789';
const TWILIO: TwilioSettings = {
  provider: 'twilio',
  accountSid: `AC${'0'.repeat(32)}`,
  authToken: new Secret(TWILIO_AUTH_TOKEN),
  from: '+14155550100',
};
/** Where Twilio is told to post SMS replies: the API's PUBLIC_URL and the route. */
const PUBLIC_URL = 'https://firebreak.example.com';
const SMS_WEBHOOK = `${PUBLIC_URL}/v1/webhooks/twilio/sms`;

/** Dana is paged by every incident (level 1 targets her), by email and SMS at once; Eli never is. */
const operator = testOperatorConfig({
  responders: [
    { id: 'dana', name: 'Dana Scully', timeZone: 'Europe/Berlin', contact: { email: 'dana@example.com', sms: DANA_SMS }, rules: [{ method: 'email', afterMinutes: 0 }, { method: 'sms', afterMinutes: 0 }] },
    { id: 'eli', name: 'Eli Vance', timeZone: 'Europe/Berlin', contact: { sms: ELI_SMS }, rules: [{ method: 'sms', afterMinutes: 0 }] },
  ],
  escalation: { levels: [{ targets: ['user:dana'], timeoutSeconds: 600 }] },
});

const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

describe('acknowledging from a notification: signed links and SMS replies', () => {
  const e2e = useTestFirebreak({ operator });

  /** A paging incident whose level 1 has notified Dana by every method. */
  async function pagingIncident(title = 'Checkout down'): Promise<string> {
    const declared = await e2e.responder.post('/v1/incidents', { title, severity: 'SEV1' });
    expect(declared.status).toBe(201);
    const id: string = declared.body.id;
    await waitFor('Dana to be notified by email and SMS', async () => {
      const { notifications } = (await e2e.viewer.get(`/v1/notifications?incidentId=${id}`)).body;
      const methods = new Set(notifications?.filter((sent: { responder: string }) => sent.responder === 'dana').map((sent: { method: string }) => sent.method));
      return methods.has('email') && methods.has('sms');
    });
    return id;
  }
  const incident = async (id: string) => (await e2e.viewer.get(`/v1/incidents/${id}`)).body;
  /** What the people paged did on the incident's timeline. */
  const byPerson = (snapshot: { timeline: Array<{ actor: string; kind: string; summary: string }> }) =>
    snapshot.timeline.filter((entry) => entry.actor === 'Dana Scully' || entry.actor === 'Eli Vance');
  const link = (incidentId: string, responder = 'dana', issuedAt = Date.now(), expiresAt?: number) =>
    `/v1/ack/${signAckToken(TEST_ACK_SECRET, { incidentId, responder, issuedAt, ...(expiresAt ? { expiresAt } : {}) })}`;
  /** What a browser sends when the confirmation's button is pressed. */
  const confirm = (path: string) => e2e.firebreak.http.post(path, '', { 'content-type': 'application/x-www-form-urlencoded' });
  const expectPageHeaders = (headers: Headers) => {
    for (const [name, value] of Object.entries(HTML_HEADERS)) expect(headers.get(name)).toBe(value);
    expect(headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'$/);
  };

  it('shows a confirmation on GET that changes nothing, acknowledges as the person on POST, and refuses the same link again', async () => {
    const id = await pagingIncident('Checkout <b>down</b> & "out"');
    const path = link(id);

    const page = await e2e.firebreak.http.get(path);
    expect(page.status).toBe(200);
    expectPageHeaders(page.headers);
    expect(page.text).toContain('Checkout &lt;b&gt;down&lt;/b&gt; &amp; &quot;out&quot;');
    expect(page.text).not.toContain('<b>down</b>');
    expect(page.text).toContain('<dt>Severity</dt><dd>SEV1</dd>');
    expect(page.text).toContain('<dt>Acknowledging as</dt><dd>Dana Scully</dd>');
    expect(page.text).toContain(`<form method="post" action="${path}">`);
    expect(page.text).not.toMatch(/<script|<img|<link|https?:/i);
    // Opened twice (a mail scanner, then the person): still nothing changed.
    expect((await e2e.firebreak.http.get(path)).status).toBe(200);
    const untouched = await incident(id);
    expect(untouched.status).toBe('triggered');

    const done = await confirm(path);
    expect(done.status).toBe(200);
    expectPageHeaders(done.headers);
    expect(done.text).toContain('<h1>Acknowledged</h1>');
    const acknowledged = await incident(id);
    expect(acknowledged).toMatchObject({ status: 'acknowledged', escalation: { state: 'stopped' } });
    expect(acknowledged.timeline.filter((entry: { actor: string }) => entry.actor === 'Dana Scully')).not.toHaveLength(0);

    const reused = await confirm(path);
    expect(reused.status).toBe(409);
    expectPageHeaders(reused.headers);
    expect(reused.text).toMatch(/acknowledged already|already acknowledged/i);
    expect(reused.text).toContain('Nothing was changed.');
    const after = await incident(id);
    expect(after.acknowledgedAt).toBe(acknowledged.acknowledgedAt);
    expect(byPerson(after)).toEqual(byPerson(acknowledged));
  });

  it('refuses a tampered, expired, foreign or unnotified link with a page, and changes nothing', async () => {
    const id = await pagingIncident();
    const valid = link(id);
    const [version, body, signature] = valid.replace('/v1/ack/', '').split('.');
    const otherPerson = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), p: 'eli' })).toString('base64url');
    const flipped = `${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`;
    const refused: Array<[string, string, number, RegExp]> = [
      ['another person in a signed body', `/v1/ack/${version}.${otherPerson}.${signature}`, 400, /not issued by this Firebreak, or was changed/],
      ['a changed signature', `/v1/ack/${version}.${body}.${flipped}`, 400, /not issued by this Firebreak, or was changed/],
      ['another secret', `/v1/ack/${signAckToken('another-secret-of-at-least-32-characters', { incidentId: id, responder: 'dana', issuedAt: Date.now() })}`, 400, /not issued by this Firebreak/],
      ['a cut token', `/v1/ack/${version}.${body}`, 400, /incomplete or was changed/],
      ['an expired link', link(id, 'dana', Date.now() - 25 * 3_600_000, Date.now() - 3_600_000), 410, /has expired/],
    ];
    for (const [what, path, status, message] of refused) {
      for (const answer of [await e2e.firebreak.http.get(path), await confirm(path)]) {
        expect({ what, status: answer.status }).toEqual({ what, status });
        expectPageHeaders(answer.headers);
        expect(answer.text).toMatch(message);
      }
    }
    // Signed, but Eli was never notified for this incident.
    const unnotified = await confirm(link(id, 'eli'));
    expect(unnotified.status).toBe(409);
    expect(unnotified.text).toContain('This link does not acknowledge: eli was not notified for this incident.');
    // Signed for an incident that does not exist.
    expect((await confirm(link('inc-0123456789ab'))).status).toBe(404);

    const after = await incident(id);
    expect(after.status).toBe('triggered');
    expect(after.acknowledgedAt).toBeUndefined();
    expect(byPerson(after)).toEqual([]);
  });

  it("answers a closed incident's link with a page that says so", async () => {
    const id = await pagingIncident();
    expect((await e2e.firebreak.as('commander').post(`/v1/incidents/${id}/actions`, { action: 'close' })).status).toBe(200);
    // Once closed the incident's workflow completes: the ack finds no running incident, and tells it from one that never was.
    const temporal = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
    try {
      await waitFor('the incident workflow to complete', async () => (await temporal.workflow.getHandle(id).describe()).status.name === 'COMPLETED');
    } finally {
      await temporal.connection.close();
    }
    const answer = await confirm(link(id));
    expect(answer.status).toBe(409);
    expectPageHeaders(answer.headers);
    expect(answer.text).toContain('<h1>The incident is closed</h1>');
  });

  it('answers 404 on the SMS webhook when SMS_PROVIDER is not twilio', async () => {
    const answer = await e2e.firebreak.http.post('/v1/webhooks/twilio/sms', 'From=%2B4915112345001&Body=ACK', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(answer.status).toBe(404);
  });

  describe('with SMS_PROVIDER=twilio', () => {
    let app: INestApplication;
    let api: HttpClient;
    beforeAll(async () => {
      // A second API on the same Temporal and task queue, with Twilio settings; the worker stays local.
      app = await createApiApp(
        { ...e2e.firebreak.config, publicUrl: PUBLIC_URL },
        { operator, integrations: { ...localIntegrations(), sms: TWILIO }, runbooks: runbookCatalog() },
      );
      await app.listen(0, '127.0.0.1');
      api = new HttpClient(`http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`);
    });
    afterAll(() => app?.close());

    /** Posts an SMS reply as Twilio does, signed with `authToken` (or not at all). */
    const reply = (params: Record<string, string>, authToken: string | null = TWILIO_AUTH_TOKEN) =>
      api.post('/v1/webhooks/twilio/sms', new URLSearchParams(params).toString(), {
        'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
        ...(authToken ? { 'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, SMS_WEBHOOK, params) } : {}),
      });
    const sms = (from: string, body: string) => ({ MessageSid: `SM${'1'.repeat(32)}`, AccountSid: TWILIO.accountSid, From: from, To: TWILIO.from, Body: body, NumMedia: '0' });
    const message = (twiml: string) => /^<\?xml version="1\.0" encoding="UTF-8"\?><Response><Message>(.*)<\/Message><\/Response>$/.exec(twiml)?.[1];

    it('refuses an unsigned or wrongly signed reply with 403, and changes nothing', async () => {
      const id = await pagingIncident();
      const params = sms(DANA_SMS, `ACK ${id.slice(4)}`);
      expect((await reply(params, null)).status).toBe(403);
      expect((await reply(params, 'another-auth-token')).status).toBe(403);
      // Signed, then changed on the way.
      const signature = twilio.getExpectedTwilioSignature(TWILIO_AUTH_TOKEN, SMS_WEBHOOK, sms(ELI_SMS, `ACK ${id.slice(4)}`));
      const changed = await api.post('/v1/webhooks/twilio/sms', new URLSearchParams(params).toString(), {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature,
      });
      expect(changed.status).toBe(403);
      expect((await incident(id)).status).toBe('triggered');
    });

    it('acknowledges from a signed "ACK <code>" reply of a notified person, and says what happened in TwiML', async () => {
      const id = await pagingIncident('Payments slow');
      const code = id.slice(4);

      const unknownNumber = await reply(sms('+4915100000000', `ACK ${code}`));
      expect(unknownNumber.status).toBe(200);
      expect(message(unknownNumber.text)).toMatch(/does not know this number/);
      expect(message((await reply(sms(DANA_SMS, 'yes'))).text)).toMatch(/^To acknowledge, reply ACK and the incident code/);
      expect(message((await reply(sms(DANA_SMS, 'ACK 0123456789ab'))).text)).toBe('Unknown code: there is no incident inc-0123456789ab.');
      expect(message((await reply(sms(ELI_SMS, `ACK ${code}`))).text)).toMatch(/^Not acknowledged: eli was not notified for this incident/);
      expect((await incident(id)).status).toBe('triggered');

      const acked = await reply(sms(DANA_SMS, `  ack   ${code.toUpperCase()} `));
      expect(acked.status).toBe(200);
      expect(acked.headers.get('content-type')).toMatch(/^text\/xml/);
      expect(message(acked.text)).toBe(`Acknowledged ${id}: Payments slow. Notifications for it have stopped.`);
      const acknowledged = await incident(id);
      expect(acknowledged.status).toBe('acknowledged');
      expect(acknowledged.timeline.some((entry: { actor: string }) => entry.actor === 'Dana Scully')).toBe(true);

      expect(message((await reply(sms(DANA_SMS, `ACK ${code}`))).text)).toMatch(/^Not acknowledged: .*(already acknowledged|acknowledged already)/);
      expect((await incident(id)).acknowledgedAt).toBe(acknowledged.acknowledgedAt);
    });
  });
});
