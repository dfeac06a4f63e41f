import { CONTACT_METHODS } from '../../core/model/oncall/types';
import { activityEnvironment, configuredActivities } from '../../test/vendors/activity';
import { startNotificationVendors, TEST_ACK_LINKS, testResponder } from '../../test/vendors/notifications';

describe('every contact method through its own vendor at once (startNotificationVendors)', () => {
  let vendors: Awaited<ReturnType<typeof startNotificationVendors>>;
  const env = activityEnvironment();
  const dana = testResponder();

  beforeAll(async () => {
    vendors = await startNotificationVendors();
  });
  afterAll(() => vendors.stop());

  it('reaches the person by Slack, email, SMS and voice, each once, each with its provider', async () => {
    const { notificationSend } = configuredActivities(vendors.env, { responders: new Map([[dana.id, dana]]), ackLinks: TEST_ACK_LINKS });
    const results = [];
    for (const [rule, method] of CONTACT_METHODS.entries()) {
      results.push(
        await env.run(notificationSend, {
          idempotencyKey: `inc-0123456789ab/notify-r1-l1-dana-${rule}`,
          incidentId: 'inc-0123456789ab',
          responder: 'dana',
          method,
          level: 1,
          round: 1,
          incident: { title: 'Checkout p99 above 2s', severity: 'SEV2' },
        }),
      );
    }
    expect(results.map(({ method, provider, delivered }) => [method, provider, delivered])).toEqual([
      ['slack', 'slack', true],
      ['email', 'smtp', true],
      ['sms', 'twilio', true],
      ['voice', 'twilio', true],
    ]);
    expect(vendors.slack!.stub.count('dm.post')).toBe(1);
    expect(vendors.smtp.messages.map((mail) => mail.rcptTo)).toEqual([['dana@acme.test']]);
    expect(vendors.twilio.messages.map((message) => message.to)).toEqual(['+14155550101']);
    expect(vendors.twilio.calls.map((call) => call.to)).toEqual(['+14155550102']);
  });
});
