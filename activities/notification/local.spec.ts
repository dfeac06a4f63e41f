import { CONTACT_METHODS } from '../../core/model/oncall/types';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { activityEnvironment, configuredActivities, expectFailure } from '../../test/vendors/activity';
import { TEST_ACK_LINKS, testResponder } from '../../test/vendors/notifications';

describe('notifications on the built-in local channel, and the responder directory', () => {
  const env = activityEnvironment();
  const dana = testResponder();
  const quiet = { ...testResponder('sam', 'Sam Vimes'), contact: { email: 'sam@acme.test' } };
  const responders = new Map([
    [dana.id, dana],
    [quiet.id, quiet],
  ]);
  const { notificationSend } = configuredActivities({}, { responders, ackLinks: TEST_ACK_LINKS });
  const notification = {
    idempotencyKey: 'inc-0123456789ab/notify-r1-l1-dana-0',
    incidentId: 'inc-0123456789ab',
    responder: 'dana',
    method: 'slack' as const,
    level: 1,
    round: 1,
    incident: { title: 'Checkout p99 above 2s', severity: 'SEV2' as const },
  };

  it('delivers by every method with provider local', async () => {
    for (const method of CONTACT_METHODS) {
      expect(await env.run(notificationSend, { ...notification, method })).toEqual({ method, provider: 'local', delivered: true });
    }
  });

  it('refuses, for good, a person the directory does not know or who has no address for the method', async () => {
    await expectFailure(env.run(notificationSend, { ...notification, responder: 'nobody' }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /^Cannot notify "nobody" by slack: no such responder in runbooks\/responders\.ts$/,
    });
    await expectFailure(env.run(notificationSend, { ...notification, responder: 'sam', method: 'sms' }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /^Cannot notify "sam" by sms: they have no sms address in runbooks\/responders\.ts$/,
      secrets: ['sam@acme.test'],
    });
    // Without a directory nobody can be notified, whatever the channel.
    await expectFailure(env.run(configuredActivities({}).notificationSend, notification), { type: CapabilityFailure.Rejected, nonRetryable: true });
  });

  it('refuses a malformed input naming the field, before any channel is tried', async () => {
    const failure = await expectFailure(env.run(notificationSend, { ...notification, method: 'fax' as 'sms', level: 0 }), {
      type: CapabilityFailure.InvalidInput,
      nonRetryable: true,
    });
    expect(failure.message).toMatch(/method: .*; level: /);
  });
});
