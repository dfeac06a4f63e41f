import type { ScaleResult, ServiceDescription } from '../../core/schemas/capabilities/scaling';
import type { DescribeServiceQuery, ScaleServiceCommand, ScalingPort } from './port';

/**
 * The built-in scaling adapter: recorded, no-op. It remembers nothing (no second store), so
 * a service has no known counts, and a scale request inside its bounds is reported as applied
 * (`previousCount` is the requested count: nothing changed) with `recordedOnly: true`.
 */
export class LocalScaling implements ScalingPort {
  async describeService({ ref }: DescribeServiceQuery): Promise<ServiceDescription> {
    return {
      ref,
      desiredCount: 0,
      runningCount: 0,
      pendingCount: 0,
      deployments: [],
      events: [{ message: 'local scaling adapter: no real service behind it, nothing is known or changed' }],
    };
  }

  async scaleService({ desiredCount }: ScaleServiceCommand): Promise<ScaleResult> {
    return { previousCount: desiredCount, desiredCount, stable: true, recordedOnly: true };
  }
}
