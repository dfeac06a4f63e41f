import { ListTaskDefinitionsCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { Release, Releases, RollbackResult } from '../../core/schemas/capabilities/deploy';
import type { ServiceRef } from '../../core/schemas/capabilities/scaling';
import type { EcsServices } from '../ecs-service';
import type { DeployPort, FindReleasesQuery, RollbackCommand } from './port';

/** `family` and `revision` of a task definition ARN (or `family:revision`). */
export function taskDefinitionRevision(ref: string): { family: string; revision: number } | undefined {
  const match = /(?:^|task-definition\/)([A-Za-z0-9_-]+):(\d+)$/.exec(ref);
  return match ? { family: match[1], revision: Number(match[2]) } : undefined;
}

const sameTaskDefinition = (a: string | undefined, b: string) => {
  const [left, right] = [a ? taskDefinitionRevision(a) : undefined, taskDefinitionRevision(b)];
  return left !== undefined && right !== undefined ? left.family === right.family && left.revision === right.revision : a === b;
};

/**
 * ECS rollback. A target is `{ scope: cluster, service }`; `current` is the service's task
 * definition and `previousGood` the newest ACTIVE revision of its family below it (ECS keeps
 * no verdict on revisions: the previous one is the last that ran). A rollback points the
 * service at the release's task definition, unless it already runs it (UpdateService takes
 * no client token, so the service's state is compared first and a repeat is a no-op), then
 * waits until the service is stable on it, heartbeating, and verifies it.
 */
export class EcsDeploy implements DeployPort {
  constructor(private readonly services: EcsServices) {}

  async findReleases({ target }: FindReleasesQuery): Promise<Releases> {
    const service = await this.services.describe({ cluster: target.scope, service: target.service });
    const running = service.taskDefinition ? taskDefinitionRevision(service.taskDefinition) : undefined;
    if (!service.taskDefinition || !running) return { current: null, previousGood: null };
    const primary = service.deployments?.find((deployment) => deployment.status === 'PRIMARY');
    const current: Release = {
      ref: service.taskDefinition,
      id: String(running.revision),
      ...(primary?.createdAt ? { createdAt: primary.createdAt.toISOString() } : {}),
    };
    const listed = await this.services.call('list task definitions', (ecs) =>
      ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: running.family, status: 'ACTIVE', sort: 'DESC', maxResults: 100 })),
    );
    const previous = (listed.taskDefinitionArns ?? [])
      .map((arn) => ({ arn, parsed: taskDefinitionRevision(arn) }))
      .filter(({ parsed }) => parsed?.family === running.family && parsed.revision < running.revision)
      .sort((a, b) => b.parsed!.revision - a.parsed!.revision)[0];
    return { current, previousGood: previous ? { ref: previous.arn, id: String(previous.parsed!.revision) } : null };
  }

  async rollback({ target, to }: RollbackCommand): Promise<RollbackResult> {
    const ref: ServiceRef = { cluster: target.scope, service: target.service };
    const before = await this.services.describe(ref);
    const created = !sameTaskDefinition(before.taskDefinition, to.ref);
    if (created) {
      await this.services.call('update service', (ecs) =>
        ecs.send(new UpdateServiceCommand({ cluster: ref.cluster, service: ref.service, taskDefinition: to.ref })),
      );
    }
    const { service, stable } = await this.services.waitUntilStable(ref, (now) => sameTaskDefinition(now.taskDefinition, to.ref));
    const primary = service.deployments?.find((deployment) => deployment.status === 'PRIMARY');
    return { deploymentId: primary?.id ?? to.ref, ref: to.ref, created, stable };
  }
}
