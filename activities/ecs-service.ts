/**
 * What the ECS deploy and scaling adapters share: the client, reading a service, waiting for
 * it to be stable (heartbeating), and mapping AWS SDK errors.
 */
import { DescribeServicesCommand, ECSClient, type ECSClientConfig, type Service } from '@aws-sdk/client-ecs';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { CapabilityFailure } from '../core/schemas/capabilities/common';
import type { ServiceRef } from '../core/schemas/capabilities/scaling';
import type { EcsSettings } from '../core/schemas/integrations-config';
import { type DeployProgress, waitDeadline } from './deploy/wait';
import { awsClientConfig } from './aws-client';
import { awsProblem } from './aws-failures';
import { vendorFailure } from './http-failures';

const VENDOR = 'ECS';

/** The official ECS client, set up as {@link awsClientConfig} says. */
export function createEcsClient(
  settings: Pick<EcsSettings, 'region' | 'endpoint'>,
  timeoutMs: number,
  credentials?: ECSClientConfig['credentials'],
): ECSClient {
  return new ECSClient(awsClientConfig(settings, timeoutMs, credentials));
}

/** How long to wait for a service to settle, and how often to look. */
export interface EcsWaitOptions {
  waitTimeoutMs: number;
  pollIntervalMs: number;
}

/** ECS calls with their failures mapped. */
export class EcsServices {
  constructor(
    readonly ecs: ECSClient,
    private readonly wait: EcsWaitOptions,
  ) {}

  async call<T>(operation: string, fn: (ecs: ECSClient) => Promise<T>): Promise<T> {
    try {
      return await fn(this.ecs);
    } catch (error) {
      throw vendorFailure(awsProblem(VENDOR, operation, error));
    }
  }

  async describe({ cluster, service }: ServiceRef): Promise<Service> {
    const answer = await this.call('describe service', (ecs) =>
      ecs.send(new DescribeServicesCommand({ cluster, services: [service] })),
    );
    const found = answer.services?.[0];
    if (!found || found.status === 'INACTIVE') {
      const reason = answer.failures?.[0]?.reason ?? (found ? 'INACTIVE' : 'MISSING');
      throw ApplicationFailure.nonRetryable(`ECS service ${cluster}/${service} not found (${reason})`, CapabilityFailure.Rejected);
    }
    return found;
  }

  /**
   * Polls until the service is stable as the SDK's own waiter defines it (one deployment,
   * running = desired; and the primary deployment's rollout COMPLETED where ECS reports one)
   * and `also` holds (which may throw to stop waiting), heartbeating its counts (with
   * `progress`, when given) each time. The wait ends after `ECS_WAIT_TIMEOUT_MS`, or
   * earlier when the step's timeout comes first; a cancelled step stops at its next pause.
   * Answers the last description and whether it got there in time.
   */
  async waitUntilStable(
    ref: ServiceRef,
    also: (service: Service) => boolean = () => true,
    { attemptStartedAt = Date.now(), progress }: { attemptStartedAt?: number; progress?: DeployProgress } = {},
  ) {
    const context = Context.current();
    const until = Math.min(Date.now() + this.wait.waitTimeoutMs, waitDeadline(attemptStartedAt, progress?.since));
    for (;;) {
      const service = await this.describe(ref);
      const stable = also(service) && isStable(service);
      context.heartbeat({ ...progress, desired: service.desiredCount, running: service.runningCount, deployments: service.deployments?.length });
      const left = until - Date.now();
      if (stable || left <= 0) return { service, stable };
      await context.sleep(Math.min(this.wait.pollIntervalMs, left));
    }
  }
}

/** The service's current deployment (ECS marks it PRIMARY). */
export const primaryDeployment = (service: Service) => service.deployments?.find((deployment) => deployment.status === 'PRIMARY');

export function isStable(service: Service): boolean {
  const rollout = primaryDeployment(service)?.rolloutState;
  return (
    (service.deployments?.length ?? 0) <= 1 && service.runningCount === service.desiredCount && (rollout === undefined || rollout === 'COMPLETED')
  );
}
