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
import { describeNetworkError, parseRetryAfter, type VendorCallProblem, vendorFailure } from './http-failures';

const VENDOR = 'ECS';

/**
 * The official ECS client with the SDK's own retries off (Temporal retries the activity) and
 * a deadline on every request. Credentials come from the SDK's default chain unless given.
 */
export function createEcsClient(
  settings: Pick<EcsSettings, 'region' | 'endpoint'>,
  timeoutMs: number,
  credentials?: ECSClientConfig['credentials'],
): ECSClient {
  return new ECSClient({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    maxAttempts: 1,
    // Without throwOnRequestTimeout the handler only warns when the deadline passes.
    requestHandler: { requestTimeout: timeoutMs, connectionTimeout: timeoutMs, throwOnRequestTimeout: true },
  });
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
      throw vendorFailure(awsProblem(operation, error));
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
   * running = desired) and `also` holds, heartbeating its counts each time. Answers the last
   * description and whether it got there before the wait ran out.
   */
  async waitUntilStable(ref: ServiceRef, also: (service: Service) => boolean = () => true) {
    const context = Context.current();
    const until = Date.now() + this.wait.waitTimeoutMs;
    for (;;) {
      const service = await this.describe(ref);
      const stable = isStable(service) && also(service);
      context.heartbeat({ desired: service.desiredCount, running: service.runningCount, deployments: service.deployments?.length });
      if (stable || Date.now() >= until) return { service, stable };
      await context.sleep(this.wait.pollIntervalMs);
    }
  }
}

export function isStable(service: Service): boolean {
  return (service.deployments?.length ?? 0) <= 1 && service.runningCount === service.desiredCount;
}

/** What went wrong, from an AWS SDK error (a modeled service exception, or no answer). */
function awsProblem(operation: string, error: unknown): VendorCallProblem {
  const failed = error as {
    name?: string;
    message?: string;
    $fault?: 'client' | 'server';
    $metadata?: { httpStatusCode?: number };
    $retryable?: { throttling?: boolean };
    $response?: { headers?: Record<string, string | undefined> };
  };
  const status = failed.$metadata?.httpStatusCode;
  if (status === undefined) return { vendor: VENDOR, operation, networkError: describeNetworkError(error) };
  // AWS throttles with 400 ThrottlingException (and kin), not 429.
  const throttled = failed.$retryable?.throttling === true || /Throttl|TooManyRequests|RequestLimitExceeded/.test(failed.name ?? '');
  const retryAfterMs = parseRetryAfter(failed.$response?.headers?.['retry-after']);
  return { vendor: VENDOR, operation, status, detail: `${failed.name}: ${failed.message}`, throttled, retryAfterMs };
}
