import { ListTaskDefinitionsCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { ApplicationFailure } from '@temporalio/common';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import type { Release, Releases, RollbackResult } from '../../core/schemas/capabilities/deploy';
import type { ServiceRef } from '../../core/schemas/capabilities/scaling';
import { type EcsServices, primaryDeployment } from '../ecs-service';
import type { DeployPort, FindReleasesQuery, RollbackCommand } from './port';
import { type DeployProgress, deploymentFailed, resumedProgress, shownRef } from './wait';

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
 * no client token, so the service's state is compared first, and a retried attempt takes the
 * deployment from the first attempt's heartbeat instead of comparing again), then waits
 * until the service is stable on it (see `waitUntilStable`), heartbeating. A rollout ECS
 * marks FAILED fails the step with ECS's reason; a service that moves to another task
 * definition meanwhile (its circuit breaker rolled back, or someone deployed) fails it as
 * superseded; a wait that runs out fails it `OutOfBounds`.
 */
export class EcsDeploy implements DeployPort {
  constructor(private readonly services: EcsServices) {}

  async findReleases({ target }: FindReleasesQuery): Promise<Releases> {
    const service = await this.services.describe({ cluster: target.scope, service: target.service });
    const running = service.taskDefinition ? taskDefinitionRevision(service.taskDefinition) : undefined;
    if (!service.taskDefinition || !running) return { current: null, previousGood: null };
    const primary = primaryDeployment(service);
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

  async rollback({ idempotencyKey, target, to }: RollbackCommand): Promise<RollbackResult> {
    const attemptStartedAt = Date.now();
    const ref: ServiceRef = { cluster: target.scope, service: target.service };
    const resumed = resumedProgress(idempotencyKey);
    const { progress, created } = resumed ? { progress: resumed, created: false } : await this.deploy(idempotencyKey, ref, to.ref);
    const subject = `ECS deployment ${progress.deploymentId} of ${shownRef(to.ref)} on ${ref.cluster}/${ref.service}`;
    const { service, stable } = await this.services.waitUntilStable(
      ref,
      (now) => {
        const failed = now.deployments?.find(
          (deployment) => deployment.rolloutState === 'FAILED' && sameTaskDefinition(deployment.taskDefinition, to.ref),
        );
        if (failed) throw deploymentFailed(subject, 'FAILED', failed.rolloutStateReason, failed.id ?? progress.deploymentId);
        if (!sameTaskDefinition(now.taskDefinition, to.ref)) {
          throw deploymentFailed(subject, 'superseded', `the service now runs ${now.taskDefinition ?? 'no task definition'}`, progress.deploymentId);
        }
        return true;
      },
      { attemptStartedAt, progress },
    );
    if (!stable) {
      throw ApplicationFailure.create({
        message: `${subject} did not become stable in time (waited ${Math.round((Date.now() - progress.since) / 1000)} s): ${service.runningCount ?? 0} of ${service.desiredCount ?? 0} tasks running, ${service.deployments?.length ?? 0} deployments, rollout ${primaryDeployment(service)?.rolloutState ?? 'unknown'}`,
        type: CapabilityFailure.OutOfBounds,
        nonRetryable: true,
        details: [{ deploymentId: progress.deploymentId }],
      });
    }
    const primary = primaryDeployment(service);
    return { deploymentId: progress.deploymentId, ref: to.ref, created, stable: true, state: primary?.rolloutState ?? 'steady' };
  }

  /** Points the service at `taskDefinition` unless it runs it already; the deployment to wait for. */
  private async deploy(idempotencyKey: string, ref: ServiceRef, taskDefinition: string): Promise<{ progress: DeployProgress; created: boolean }> {
    const before = await this.services.describe(ref);
    const created = !sameTaskDefinition(before.taskDefinition, taskDefinition);
    const after = created
      ? ((
          await this.services.call(`update service to ${shownRef(taskDefinition)}`, (ecs) =>
            ecs.send(new UpdateServiceCommand({ cluster: ref.cluster, service: ref.service, taskDefinition })),
          )
        ).service ?? before)
      : before;
    const deploymentId = primaryDeployment(after)?.id ?? taskDefinition;
    return { progress: { idempotencyKey, deploymentId, since: Date.now() }, created };
  }
}
