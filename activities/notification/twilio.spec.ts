import { verifyAckToken } from '../../security/ack-token';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { activityEnvironment, configuredActivities, expectFailure, expectTransientFaultsRetried } from '../../test/vendors/activity';
import { TEST_ACK_LINKS, testResponder } from '../../test/vendors/notifications';
import { startTwilioStub, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM, twilioError, twilioSettings } from '../../test/vendors/twilio';
import { basicAuth } from '../../test/vendors/stub-server';

describe('SMS and voice (the twilio library against a Twilio stub)', () => {
  let twilio: Awaited<ReturnType<typeof startTwilioStub>>;
  const env = activityEnvironment();
  const dana = testResponder();

  const activitiesFor = (extra: Record<string, string> = {}, responder = dana) =>
    configuredActivities(
      { ...twilioSettings(twilio.stub.url), INTEGRATIONS_TIMEOUT_MS: '1000', ...extra },
      { responders: new Map([[responder.id, responder]]), ackLinks: TEST_ACK_LINKS },
    );
  const notification = {
    idempotencyKey: 'inc-0123456789ab/notify-r1-l1-dana-2',
    incidentId: 'inc-0123456789ab',
    responder: 'dana',
    method: 'sms' as const,
    level: 1,
    round: 1,
    incident: { title: 'Checkout p99 above 2s', severity: 'SEV1' as const, service: 'checkout' },
  };

  beforeEach(async () => {
    twilio = await startTwilioStub();
  });
  afterEach(() => twilio.stub.stop());

  it('texts the person at their SMS number with the reply code and a signed acknowledgement link', async () => {
    const { notificationSend } = activitiesFor();
    const result = await env.run(notificationSend, notification);
    expect(result).toEqual({ method: 'sms', provider: 'twilio', delivered: true, vendorId: twilio.messages[0].sid });
    expect(result.vendorId).toMatch(/^SM[0-9a-f]{32}$/);

    const [request] = twilio.stub.calls('messages.create');
    expect(request.path).toBe(`/2010-04-01/Accounts/${TWILIO_ACCOUNT_SID}/Messages.json`);
    expect(request.headers.authorization).toBe(basicAuth(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN));
    expect(request.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(request.body).toEqual({ To: '+14155550101', From: TWILIO_FROM, Body: expect.any(String) });

    const body: string = request.body.Body;
    expect(body.length).toBeLessThanOrEqual(320);
    expect(body).toContain('[SEV1] Checkout p99 above 2s');
    expect(body).toContain('Reply ACK 0123456789ab');
    expect(body).toContain('https://firebreak.example.com/v1/incidents/inc-0123456789ab');
    const token = /https:\/\/firebreak\.example\.com\/v1\/ack\/(\S+)/.exec(body)![1];
    const check = verifyAckToken(TEST_ACK_LINKS.secret, token, Date.now());
    expect(check).toEqual({ ok: true, claims: expect.objectContaining({ incidentId: 'inc-0123456789ab', responder: 'dana' }) });
    expect(twilio.stub.count('sms.send')).toBe(1);
  });

  it('fits a long multibyte title into 320 characters, keeping the code and the whole link', async () => {
    const { notificationSend } = activitiesFor();
    const title = `Zahlungsdienst ausgefallen 💳 — 결제 서비스 장애 ${'🔥'.repeat(300)}`;
    await env.run(notificationSend, { ...notification, incident: { ...notification.incident, title } });
    const body: string = twilio.messages[0].body;
    expect(body.length).toBeLessThanOrEqual(320);
    expect(body).toMatch(/^Firebreak \[SEV1\] Zahlungsdienst ausgefallen 💳 — 결제 서비스 장애 🔥+…\n/u);
    // The title keeps its room: the incident link gave way, the acknowledgement link did not.
    expect(body.split('\n')[0].length).toBeGreaterThan(60);
    expect(body).not.toContain('/v1/incidents/');
    // No surrogate pair was split by the cut.
    expect(body).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    const token = /\/v1\/ack\/(\S+)/.exec(body)![1];
    expect(verifyAckToken(TEST_ACK_LINKS.secret, token, Date.now()).ok).toBe(true);
    expect(body).toContain('Reply ACK 0123456789ab');
  });

  it('calls the voice number with TwiML that reads the incident twice and says how to acknowledge', async () => {
    const { notificationSend } = activitiesFor();
    const title = 'Checkout <down> & "payments" failing';
    const result = await env.run(notificationSend, { ...notification, method: 'voice', incident: { ...notification.incident, title } });
    expect(result).toEqual({ method: 'voice', provider: 'twilio', delivered: true, vendorId: expect.stringMatching(/^CA[0-9a-f]{32}$/) });
    const [request] = twilio.stub.calls('calls.create');
    expect(request.path).toBe(`/2010-04-01/Accounts/${TWILIO_ACCOUNT_SID}/Calls.json`);
    expect(request.headers.authorization).toBe(basicAuth(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN));
    expect(request.body).toMatchObject({ To: '+14155550102', From: TWILIO_FROM });
    const twiml: string = request.body.Twiml;
    const says = [...twiml.matchAll(/<Say>([^<]*)<\/Say>/g)].map((match) => match[1]);
    expect(says).toHaveLength(2);
    expect(says[0]).toBe(says[1]);
    expect(says[0]).toContain('severity one');
    // The title is escaped for XML, so it cannot add TwiML verbs.
    expect(says[0]).toContain('Checkout &lt;down&gt; &amp; "payments" failing.');
    expect(says[0]).toContain('open the link sent to you by SMS or email, or reply to the SMS with A C K 0 1 2 3 4 5 6 7 8 9 a b');
    expect(twiml).not.toContain('/v1/ack/');
    expect(twilio.stub.count('call.create')).toBe(1);
  });

  it('maps a refused number to a permanent failure that shows neither the number nor the auth token', async () => {
    const wrong = { ...dana, contact: { ...dana.contact, sms: '555-0100' } };
    const failure = await expectFailure(env.run(activitiesFor({}, wrong).notificationSend, notification), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /^Twilio send SMS failed: HTTP 400: The 'To' number \[redacted\] is not a valid phone number\. \(Twilio error 21211\)$/,
      secrets: ['555-0100', TWILIO_AUTH_TOKEN],
    });
    expect(failure.message).not.toContain('/v1/ack/');
    expect(twilio.stub.count('sms.send')).toBe(0);

    twilio.stub.fail('calls.create', twilioError(403, 21215, 'Account not authorized to call +14155550102.'));
    await expectFailure(env.run(activitiesFor().notificationSend, { ...notification, method: 'voice' }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /HTTP 403: Account not authorized to call \[redacted\]\./,
      secrets: ['+14155550102'],
    });
  });

  it('maps bad credentials to a permanent failure without the token', async () => {
    await expectFailure(env.run(activitiesFor({ TWILIO_AUTH_TOKEN: 'wrong-token-0123456789' }).notificationSend, notification), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /HTTP 401: Authenticate \(Twilio error 20003\)/,
      secrets: ['wrong-token-0123456789', TWILIO_AUTH_TOKEN],
    });
  });

  it('maps 429 (after its Retry-After), 5xx and silence to retryable failures, for SMS and calls', async () => {
    const { notificationSend } = activitiesFor({ INTEGRATIONS_TIMEOUT_MS: '300' });
    await expectTransientFaultsRetried(twilio.stub, 'messages.create', () => env.run(notificationSend, notification));
    await expectTransientFaultsRetried(twilio.stub, 'calls.create', () => env.run(notificationSend, { ...notification, method: 'voice' }));
    expect(twilio.stub.count('sms.send') + twilio.stub.count('call.create')).toBe(0);
  });
});
