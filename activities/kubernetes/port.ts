import { ApplicationFailure } from '@temporalio/common';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import type { CapabilityPort, OperationCommand } from '../../core/schemas/capabilities/operation-schemas';
import { capabilityActivities } from '../step-input';

export type DescribeDeploymentQuery = OperationCommand<'kubernetes', 'describeDeployment'>;
export type ScaleDeploymentCommand = OperationCommand<'kubernetes', 'scaleDeployment'>;
export type RestartDeploymentCommand = OperationCommand<'kubernetes', 'restartDeployment'>;
export type RollbackDeploymentCommand = OperationCommand<'kubernetes', 'rollbackDeployment'>;

/**
 * Deployments on Kubernetes. Each change acts once per idempotency key (a repeat finds it
 * applied) and answers once its rollout is complete; describing has no effect.
 */
export type KubernetesPort = CapabilityPort<'kubernetes'>;

/**
 * Replicas outside `[min, max]` (either given) are refused, not clamped, as
 * `checkScaleBounds` refuses a desired count: scaling to another number would hide the mistake.
 */
export function checkReplicaBounds({ namespace, name, replicas, min, max }: ScaleDeploymentCommand): void {
  if (min !== undefined && max !== undefined && min > max) {
    throw ApplicationFailure.nonRetryable(`replica bounds are inverted: min ${min} > max ${max}`, CapabilityFailure.InvalidInput);
  }
  if ((min !== undefined && replicas < min) || (max !== undefined && replicas > max)) {
    throw ApplicationFailure.nonRetryable(
      `deployment ${namespace}/${name}: ${replicas} replicas is outside [${min ?? 0}, ${max ?? '∞'}]`,
      CapabilityFailure.OutOfBounds,
    );
  }
}

export function createKubernetesActivities(port: KubernetesPort) {
  return capabilityActivities('kubernetes', {
    describeDeployment: (query) => port.describeDeployment(query),
    scaleDeployment: (command) => {
      checkReplicaBounds(command);
      return port.scaleDeployment(command);
    },
    restartDeployment: (command) => port.restartDeployment(command),
    rollbackDeployment: (command) => port.rollbackDeployment(command),
  });
}
