import type {
  DeploymentDescription,
  RestartDeploymentResult,
  RollbackDeploymentResult,
  ScaleDeploymentResult,
} from '../../core/schemas/capabilities/kubernetes';
import type { DescribeDeploymentQuery, KubernetesPort, RestartDeploymentCommand, RollbackDeploymentCommand, ScaleDeploymentCommand } from './port';

/**
 * The built-in Kubernetes adapter: recorded, no-op. There is no cluster behind it and it keeps
 * no second store, so a deployment has no known replicas, pods or events (it is described as
 * wanting none, which reads as healthy), and every change inside its bounds is answered as
 * applied and stable, changing nothing, with `recordedOnly: true`. The same input always
 * gets the same answer.
 */
export class LocalKubernetes implements KubernetesPort {
  async describeDeployment({ namespace, name }: DescribeDeploymentQuery): Promise<DeploymentDescription> {
    return {
      namespace,
      name,
      replicas: { desired: 0, updated: 0, ready: 0, available: 0, unavailable: 0 },
      rollout: { state: 'complete', message: 'local Kubernetes adapter: no cluster behind it, nothing is known or changed' },
      conditions: [],
      pods: [],
      podsTruncated: false,
      events: [],
      recordedOnly: true,
    };
  }

  async scaleDeployment({ namespace, name, replicas }: ScaleDeploymentCommand): Promise<ScaleDeploymentResult> {
    return { namespace, name, previousReplicas: replicas, replicas, stable: true, recordedOnly: true };
  }

  async restartDeployment({ namespace, name }: RestartDeploymentCommand): Promise<RestartDeploymentResult> {
    return { namespace, name, restartedAt: 'local', restarted: false, stable: true, recordedOnly: true };
  }

  async rollbackDeployment({ namespace, name, toRevision }: RollbackDeploymentCommand): Promise<RollbackDeploymentResult> {
    return { namespace, name, ...(toRevision !== undefined ? { toRevision } : {}), rolledBack: false, stable: true, recordedOnly: true };
  }
}
