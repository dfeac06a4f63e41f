import fc from 'fast-check';
import { SEVERITIES } from '../../core/model/incident-model';
import { verifyAckToken } from '../../security/ack-token';
import { emailMessage, NotificationLimits, notificationLinks, slackDmMessage, smsAckCode, smsText, voiceScript } from './message';
import type { SendNotificationCommand } from './port';

const settings = { secret: 'message-spec-secret-0123456789abcdefgh', publicUrl: 'https://firebreak.example.com/' };
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const command = (incident: Partial<SendNotificationCommand['incident']> = {}, incidentId = 'inc-0123456789ab'): SendNotificationCommand => ({
  idempotencyKey: `${incidentId}/notify-r1-l1-dana-0`,
  incidentId,
  responder: 'dana',
  method: 'sms',
  level: 1,
  round: 1,
  incident: { title: 'Checkout p99 above 2s', severity: 'SEV1', ...incident },
});

describe('notification messages', () => {
  it('signs a link bound to the incident and the person, and links the incident (no doubled slash)', () => {
    const links = notificationLinks(settings, 'inc-0123456789ab', 'dana', 1_000);
    expect(links.ack).toBe(`https://firebreak.example.com/v1/ack/${links.token}`);
    expect(links.incident).toBe('https://firebreak.example.com/v1/incidents/inc-0123456789ab');
    expect(verifyAckToken(settings.secret, links.token, 2_000)).toEqual({
      ok: true,
      claims: { incidentId: 'inc-0123456789ab', responder: 'dana', issuedAt: 1_000, expiresAt: 1_000 + 24 * 60 * 60 * 1000 },
    });
    expect(verifyAckToken('another-secret-0123456789abcdefghij', links.token, 2_000)).toEqual({ ok: false, reason: 'signature' });
  });

  it('asks for the incident id without its prefix in an SMS reply', () => {
    expect(smsAckCode('inc-0123456789ab')).toBe('0123456789ab');
    expect(smsAckCode('inc-0123456789ab-2')).toBe('0123456789ab-2');
  });

  it('keeps a short SMS whole, with both links', () => {
    const links = notificationLinks(settings, 'inc-0123456789ab', 'dana');
    expect(smsText(command(), links)).toBe(
      `Firebreak [SEV1] Checkout p99 above 2s\nReply ACK 0123456789ab or open ${links.ack}\n${links.incident}`,
    );
  });

  it('fits every title to every channel, keeping the acknowledgement link and the reply code whole (property)', () => {
    const title = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3000 });
    const incidentId = fc.oneof(fc.constant('inc-0123456789ab'), fc.stringMatching(/^inc-[0-9a-f]{12}(-[1-9][0-9]{0,5})?$/));
    fc.assert(
      fc.property(title, fc.constantFrom(...SEVERITIES), incidentId, fc.option(title, { nil: undefined }), (text, severity, id, service) => {
        const notification = command({ title: text, severity, service, summary: service }, id);
        const links = notificationLinks(settings, id, 'dana');
        const sms = smsText(notification, links);
        expect(sms.length).toBeLessThanOrEqual(NotificationLimits.smsText);
        expect(sms).toContain(`Reply ACK ${smsAckCode(id)} or open ${links.ack}`);
        expect(sms.split('\n')[0]).toMatch(new RegExp(`^Firebreak \\[${severity}\\] .+`));
        expect(sms).not.toMatch(loneSurrogate);

        const email = emailMessage(notification, links);
        expect(email.subject.length).toBeLessThanOrEqual(NotificationLimits.emailSubject);
        expect(email.subject).not.toMatch(/[\r\n]/);
        expect(email.subject).not.toMatch(loneSurrogate);
        expect(email.text).toContain(links.ack);

        const slack = slackDmMessage(notification, links);
        const [header, section] = slack.blocks as Array<{ text: { text: string } }>;
        expect(header.text.text.length).toBeLessThanOrEqual(150);
        expect(section.text.text.length).toBeLessThanOrEqual(3000);
        expect(slack.text).toContain(links.ack);
        expect(voiceScript(notification).length).toBeLessThanOrEqual(700);
      }),
      { numRuns: 200 },
    );
  });
});
