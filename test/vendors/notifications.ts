/**
 * The vendors that notify people, started together for tests that run the whole path: the
 * Twilio stub (SMS and voice), a real SMTP server (email) and, unless left out, the Slack
 * stub (direct messages). `env` holds the integration settings that point every channel at
 * them; merge it into the worker's environment.
 */
import type { Responder } from '../../core/model/oncall/types';
import type { AckLinkSettings } from '../../activities/notification/message';
import { slackDmSettings, startSlackStub } from './slack';
import { smtpSettings, startSmtpServer } from './smtp';
import { startTwilioStub, twilioSettings } from './twilio';

export async function startNotificationVendors({ slack: withSlack = true }: { slack?: boolean } = {}) {
  const twilio = await startTwilioStub();
  const smtp = await startSmtpServer();
  const slack = withSlack ? await startSlackStub() : undefined;
  const env: Record<string, string> = {
    ...twilioSettings(twilio.stub.url),
    ...smtpSettings(smtp.port),
    ...(slack ? slackDmSettings(slack.stub.url) : {}),
  };
  return {
    env,
    twilio,
    smtp,
    slack,
    async stop() {
      await Promise.all([twilio.stub.stop(), smtp.stop(), slack?.stub.stop()]);
    },
  };
}

/** A responder reachable by every method, at addresses the stubs accept. */
export function testResponder(id = 'dana', name = 'Dana Scully'): Responder {
  return {
    id,
    name,
    timeZone: 'Europe/Berlin',
    contact: { slack: 'U0DANA01', email: `${id}@acme.test`, sms: '+14155550101', voice: '+14155550102' },
    rules: [
      { method: 'slack', afterMinutes: 0 },
      { method: 'email', afterMinutes: 0 },
      { method: 'sms', afterMinutes: 2 },
      { method: 'voice', afterMinutes: 5 },
    ],
  };
}

/** Ack links signed with a known secret, so tests can verify them. */
export const TEST_ACK_LINKS: AckLinkSettings = { secret: 'test-ack-secret-0123456789abcdefghijklmnop', publicUrl: 'https://firebreak.example.com' };
