import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { activityEnvironment, configuredActivities, expectFailure } from '../../test/vendors/activity';

describe('the built-in monitoring adapter', () => {
  const env = activityEnvironment();

  it('knows no alarms and says so, rather than answer like a monitoring system whose alarms are quiet', async () => {
    const { monitoringListAlarms } = configuredActivities({});
    expect(await env.run(monitoringListAlarms, { prefix: 'checkout' })).toEqual({ provider: 'local', alarms: [], truncated: false });
    expect(await env.run(monitoringListAlarms, { tags: { service: 'checkout' } })).toEqual({ provider: 'local', alarms: [], truncated: false });
    // The input is checked as for CloudWatch: a query the real adapter would refuse fails here too.
    await expectFailure(env.run(monitoringListAlarms, {}), { type: CapabilityFailure.InvalidInput, nonRetryable: true, message: /prefix: give a prefix or tags/ });
  });
});
