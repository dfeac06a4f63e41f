import { ApplicationFailure } from '@temporalio/common';
import type { z } from 'zod';
import { CapabilityFailure } from '../../core/capabilities/common';
import {
  DescribeServiceInputSchema,
  type ScaleResult,
  ScaleServiceInputSchema,
  type ServiceDescription,
} from '../../core/capabilities/scaling';
import { stepActivity } from '../step-input';

export type DescribeServiceQuery = z.output<typeof DescribeServiceInputSchema>;
export type ScaleServiceCommand = z.output<typeof ScaleServiceInputSchema>;

/** Service scaling. Scaling acts once per idempotency key (a repeat finds the count applied). */
export interface ScalingPort {
  describeService(query: DescribeServiceQuery): Promise<ServiceDescription>;
  scaleService(command: ScaleServiceCommand): Promise<ScaleResult>;
}

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
  return {
    scalingDescribeService: stepActivity('scalingDescribeService', DescribeServiceInputSchema, (q) => port.describeService(q)),
    scalingScaleService: stepActivity('scalingScaleService', ScaleServiceInputSchema, (command) => {
      checkScaleBounds(command);
      return port.scaleService(command);
    }),
  };
}
