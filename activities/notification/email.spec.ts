import { verifyAckToken } from '../../security/ack-token';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { activityEnvironment, configuredActivities, expectFailure } from '../../test/vendors/activity';
import { TEST_ACK_LINKS, testResponder } from '../../test/vendors/notifications';
import { SMTP_FROM, SMTP_PASSWORD, smtpSettings, startSmtpServer } from '../../test/vendors/smtp';

describe('email (nodemailer against a real SMTP server)', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const env = activityEnvironment();
  const dana = testResponder();

  const activitiesFor = (extra: Record<string, string> = {}, responder = dana) =>
    configuredActivities(
      { ...smtpSettings(smtp.port), INTEGRATIONS_TIMEOUT_MS: '1000', ...extra },
      { responders: new Map([[responder.id, responder]]), ackLinks: TEST_ACK_LINKS },
    );
  const notification = {
    idempotencyKey: 'inc-0123456789ab/notify-r1-l1-dana-1',
    incidentId: 'inc-0123456789ab',
    responder: 'dana',
    method: 'email' as const,
    level: 1,
    round: 2,
    incident: {
      title: 'Checkout p99 above 2s <script>alert(1)</script>',
      severity: 'SEV1' as const,
      service: 'checkout',
      summary: 'Latency rose after deploy v42 & errors followed.\nSee the dashboard.',
    },
  };

  beforeEach(async () => {
    smtp = await startSmtpServer();
  });
  afterEach(() => smtp.stop());

  it('mails the person a text and an HTML body with the signed acknowledgement link and the incident link', async () => {
    const { notificationSend } = activitiesFor();
    const result = await env.run(notificationSend, notification);
    expect(result).toEqual({ method: 'email', provider: 'smtp', delivered: true, vendorId: expect.stringMatching(/^<notification\.[0-9a-f]{32}@firebreak\.test>$/) });

    expect(smtp.messages).toHaveLength(1);
    const [mail] = smtp.messages;
    expect(mail.mailFrom).toBe('pager@firebreak.test');
    expect(mail.rcptTo).toEqual(['dana@acme.test']);
    expect(mail.headers.get('from')).toBe(SMTP_FROM);
    expect(mail.messageId).toBe(result.vendorId);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.subject).toBe('[SEV1] Checkout p99 above 2s <script>alert(1)</script> (checkout)');

    expect(mail.text).toContain('SEV1: Checkout p99 above 2s <script>alert(1)</script>');
    expect(mail.text).toContain('Service: checkout');
    expect(mail.text).toContain('Latency rose after deploy v42 & errors followed.\nSee the dashboard.');
    expect(mail.text).toContain('escalation level 1, round 2');
    expect(mail.text).toContain('Open the incident: https://firebreak.example.com/v1/incidents/inc-0123456789ab');
    const token = /Acknowledge \(one-time link\): https:\/\/firebreak\.example\.com\/v1\/ack\/(\S+)/.exec(mail.text)![1];
    expect(verifyAckToken(TEST_ACK_LINKS.secret, token, Date.now())).toEqual({
      ok: true,
      claims: expect.objectContaining({ incidentId: 'inc-0123456789ab', responder: 'dana' }),
    });

    // The HTML body escapes what a sender wrote and links what Firebreak made.
    expect(mail.html).toContain('Checkout p99 above 2s &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('deploy v42 &amp; errors');
    expect(mail.html).toContain(`<a href="https://firebreak.example.com/v1/ack/${token}">`);
    expect(mail.html).toContain('<a href="https://firebreak.example.com/v1/incidents/inc-0123456789ab">');
  });

  it('sends a retry with the same Message-ID, so the recipient sees one message', async () => {
    const { notificationSend } = activitiesFor();
    const first = await env.run(notificationSend, notification);
    const again = await env.run(notificationSend, notification);
    const other = await env.run(notificationSend, { ...notification, idempotencyKey: 'inc-0123456789ab/notify-r2-l1-dana-1' });
    expect(again.vendorId).toBe(first.vendorId);
    expect(other.vendorId).not.toBe(first.vendorId);
    expect(smtp.messages.map((mail) => mail.messageId)).toEqual([first.vendorId, first.vendorId, other.vendorId]);
  });

  it('fits a long multibyte title into a one-line subject of at most 200 characters', async () => {
    const { notificationSend } = activitiesFor();
    const title = `Zahlungsdienst ausgefallen 💳\n결제 서비스 장애 ${'🔥'.repeat(400)}`;
    await env.run(notificationSend, { ...notification, incident: { ...notification.incident, title, service: 's'.repeat(300) } });
    const [mail] = smtp.messages;
    expect(mail.subject.length).toBeLessThanOrEqual(200);
    expect(mail.subject).toMatch(/^\[SEV1\] Zahlungsdienst ausgefallen 💳 결제 서비스 장애 🔥+… \(s+…\)$/u);
    expect(mail.subject).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('maps a refused recipient to a permanent failure that shows neither the address nor the password', async () => {
    smtp.fail('rcpt', { code: 550, message: '5.1.1 <dana@acme.test>: Recipient address rejected: User unknown' });
    await expectFailure(env.run(activitiesFor().notificationSend, notification), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /^SMTP send email failed: HTTP 400: .*\[redacted\].*User unknown/,
      secrets: ['dana@acme.test', SMTP_PASSWORD],
    });
    expect(smtp.messages).toHaveLength(0);
  });

  it('maps a refused login to a permanent failure without the password', async () => {
    const wrong = smtpSettings(smtp.port).SMTP_URL.replace(SMTP_PASSWORD, 'wrong-password-0123');
    await expectFailure(env.run(activitiesFor({ SMTP_URL: wrong }).notificationSend, notification), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /SMTP send email failed: HTTP 401/,
      secrets: ['wrong-password-0123', SMTP_PASSWORD],
    });
  });

  it('maps "try later" replies and silence to retryable failures', async () => {
    const { notificationSend } = activitiesFor({ INTEGRATIONS_TIMEOUT_MS: '300' });
    smtp.fail('data', { code: 451, message: '4.3.0 Mail server temporarily rejected message' });
    await expectFailure(env.run(notificationSend, notification), {
      type: CapabilityFailure.Unavailable,
      nonRetryable: false,
      message: /HTTP 503: .*temporarily rejected/,
    });
    smtp.fail('data', 'hang');
    await expectFailure(env.run(notificationSend, notification), {
      type: CapabilityFailure.Unavailable,
      nonRetryable: false,
      message: /no answer \(timed out\)/,
    });
    expect(smtp.attempts).toBe(2);
    expect(smtp.messages).toHaveLength(0);
    await env.run(notificationSend, notification);
    expect(smtp.messages).toHaveLength(1);
  });
});
