import { ApplicationFailure } from '@temporalio/common';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import type { CapabilityPort, OperationCommand } from '../../core/schemas/capabilities/operation-schemas';
import { capabilityActivities } from '../step-input';

export type DescribeServiceQuery = OperationCommand<'scaling', 'describeService'>;
export type ScaleServiceCommand = OperationCommand<'scaling', 'scaleService'>;

/** Service scaling. Scaling acts once per idempotency key (a repeat finds the count applied). */
export type ScalingPort = CapabilityPort<'scaling'>;

/**
 * A desired count outside `[min, max]` is refused, not clamped: the caller asked for
 * something the runbook's bounds forbid, and silently scaling to another number would hide it.
 */
export function checkScaleBounds({ desiredCount, min, max, ref }: ScaleServiceCommand): void {
  if (min > max) {
    throw ApplicationFailure.nonRetryable(`scaling bounds are inverted: min ${min} > max ${max}`, CapabilityFailure.InvalidInput);
  }
  if (desiredCount < min || desiredCount > max) {
    throw ApplicationFailure.nonRetryable(
      `${ref.cluster}/${ref.service}: desired count ${desiredCount} is outside [${min}, ${max}]`,
      CapabilityFailure.OutOfBounds,
    );
  }
}

export function createScalingActivities(port: ScalingPort) {
  return capabilityActivities('scaling', {
    describeService: (q) => port.describeService(q),
    scaleService: (command) => {
      checkScaleBounds(command);
      return port.scaleService(command);
    },
  });
}
