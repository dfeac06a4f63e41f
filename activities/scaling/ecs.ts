import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { ScaleResult, ServiceDescription } from '../../core/schemas/capabilities/scaling';
import { type EcsServices, isStable } from '../ecs-service';
import type { DescribeServiceQuery, ScaleServiceCommand, ScalingPort } from './port';

/** Service events included in a description, newest first. */
const EVENTS_SHOWN = 10;

/**
 * ECS scaling. UpdateService takes no client token, so the service's desired count is read
 * first: a repeated scale finds it applied and changes nothing. Bounds are checked before any
 * call (see `checkScaleBounds`); with `waitForStable` it waits, heartbeating, until running
 * equals desired.
 */
export class EcsScaling implements ScalingPort {
  constructor(private readonly services: EcsServices) {}

  async describeService({ ref }: DescribeServiceQuery): Promise<ServiceDescription> {
    const service = await this.services.describe(ref);
    return {
      ref,
      desiredCount: service.desiredCount ?? 0,
      runningCount: service.runningCount ?? 0,
      pendingCount: service.pendingCount ?? 0,
      ...(service.taskDefinition ? { taskDefinition: service.taskDefinition } : {}),
      deployments: (service.deployments ?? []).map((deployment) => ({
        id: deployment.id ?? '',
        status: deployment.status ?? 'UNKNOWN',
        ...(deployment.taskDefinition ? { taskDefinition: deployment.taskDefinition } : {}),
        ...(deployment.createdAt ? { createdAt: deployment.createdAt.toISOString() } : {}),
      })),
      events: (service.events ?? []).slice(0, EVENTS_SHOWN).map((event) => ({
        message: event.message ?? '',
        ...(event.createdAt ? { at: event.createdAt.toISOString() } : {}),
      })),
    };
  }

  async scaleService({ ref, desiredCount, waitForStable }: ScaleServiceCommand): Promise<ScaleResult> {
    const before = await this.services.describe(ref);
    const previousCount = before.desiredCount ?? 0;
    if (previousCount !== desiredCount) {
      await this.services.call('update service', (ecs) =>
        ecs.send(new UpdateServiceCommand({ cluster: ref.cluster, service: ref.service, desiredCount })),
      );
    }
    if (!waitForStable) {
      return { previousCount, desiredCount, stable: previousCount === desiredCount && isStable(before) };
    }
    const { stable } = await this.services.waitUntilStable(ref, (now) => now.desiredCount === desiredCount);
    return { previousCount, desiredCount, stable };
  }
}
