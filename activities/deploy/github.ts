import { Octokit } from '@octokit/rest';
import { ApplicationFailure } from '@temporalio/common';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import type { DeployTarget, Release, Releases, RollbackResult } from '../../core/schemas/capabilities/deploy';
import type { GithubSettings } from '../../core/schemas/integrations-config';
import { fitText, VendorLimits } from '../fit';
import { describeNetworkError, parseRetryAfter, type VendorCallProblem, vendorFailure } from '../http-failures';
import { fetchWithTimeout } from '../vendor-http';
import type { DeployPort, FindReleasesQuery, RollbackCommand } from './port';
import { type DeployProgress, deploymentFailed, resumedProgress, shownRef, waitForFinalState } from './wait';

const VENDOR = 'GitHub';
/** Deployments of an environment read when looking for releases and earlier rollbacks. */
const DEPLOYMENTS_READ = 100;

/** The official GitHub client, every request under a deadline, its logging quiet. */
export function createGithubClient(settings: Pick<GithubSettings, 'token' | 'apiUrl'>, timeoutMs: number): Octokit {
  const quiet = () => {};
  return new Octokit({
    auth: settings.token.reveal(),
    baseUrl: settings.apiUrl,
    userAgent: 'firebreak',
    request: { fetch: fetchWithTimeout(timeoutMs) },
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
}

interface Deployment {
  id: number;
  sha: string;
  ref: string;
  created_at: string;
  payload: unknown;
}

/** GitHub's deployment status states that end a deployment, and what each means here. */
const FINAL_STATES: Record<string, 'stable' | 'failed' | 'superseded'> = {
  success: 'stable',
  failure: 'failed',
  error: 'failed',
  inactive: 'superseded',
};

interface DeploymentStatus {
  id: number;
  state: string;
  description?: string | null;
  created_at: string;
}

/**
 * GitHub deployments. `findReleases` reads an environment's deployments, newest first: the
 * newest is `current`, and `previousGood` is the newest older one, of another commit, that
 * once reported `success` (GitHub marks superseded deployments `inactive` afterwards). A
 * rollback creates a deployment of that ref whose `payload.firebreak.idempotency_key` is the
 * step's key (the environment's deployments are searched for it first, and a retried attempt
 * takes the deployment from the first attempt's heartbeat), then waits for the CD system
 * listening for it to report a final status: `success` is stable; `failure` and `error` fail
 * the step with the status's description; `inactive` means a later deployment superseded it.
 */
export class GithubDeploy implements DeployPort {
  private readonly secrets: string[];
  private readonly pollIntervalMs: number;

  constructor(
    private readonly github: Octokit,
    settings: Pick<GithubSettings, 'token' | 'pollIntervalMs'>,
  ) {
    this.secrets = [settings.token.reveal()];
    this.pollIntervalMs = settings.pollIntervalMs;
  }

  async findReleases({ target }: FindReleasesQuery): Promise<Releases> {
    const deployments = await this.deployments(target);
    const [current, ...older] = deployments;
    if (!current) return { current: null, previousGood: null };
    for (const deployment of older) {
      if (deployment.sha === current.sha) continue;
      const states = (await this.statuses(target, deployment.id)).map((status) => status.state);
      if (states.includes('success')) return { current: release(current), previousGood: release(deployment) };
    }
    return { current: release(current), previousGood: null };
  }

  async rollback(command: RollbackCommand): Promise<RollbackResult> {
    const attemptStartedAt = Date.now();
    const { idempotencyKey, target, to } = command;
    const resumed = resumedProgress(idempotencyKey);
    const { progress, created } = resumed ? { progress: resumed, created: false } : await this.deploy(command);
    const deploymentId = Number(progress.deploymentId);
    const subject = `GitHub deployment ${deploymentId} of ${shownRef(to.ref)} to ${target.environment}`;
    const state = await waitForFinalState({
      progress,
      subject,
      pollIntervalMs: this.pollIntervalMs,
      attemptStartedAt,
      look: async () => {
        const latest = newest(await this.statuses(target, deploymentId));
        const state = latest?.state ?? 'no status yet';
        const meaning = FINAL_STATES[state];
        if (!latest || !meaning) return { final: false, state };
        if (meaning === 'stable') return { final: true, stable: true, state };
        const words =
          meaning === 'superseded'
            ? `a later deployment to ${target.environment} superseded it${latest.description ? ` (${latest.description})` : ''}`
            : (latest.description ?? undefined);
        return { final: true, stable: false, state, failure: deploymentFailed(subject, state, words, progress.deploymentId) };
      },
    });
    return { deploymentId: progress.deploymentId, ref: to.ref, created, stable: true, state };
  }

  /** The step's deployment: the one an earlier attempt made (found by its key), or a new one. */
  private async deploy({ idempotencyKey, target, to, reason }: RollbackCommand): Promise<{ progress: DeployProgress; created: boolean }> {
    const { owner, repo } = repository(target);
    const earlier = (await this.deployments(target)).find((deployment) => firebreakKey(deployment.payload) === idempotencyKey);
    const deployment =
      earlier ??
      ((
        await this.call(`create deployment of ${shownRef(to.ref)}`, () =>
          this.github.rest.repos.createDeployment({
            owner,
            repo,
            ref: to.ref,
            environment: target.environment,
            task: 'deploy',
            auto_merge: false,
            // Omitted, GitHub checks every required status context; an empty list skips them.
            ...(target.requireStatusChecks === false ? { required_contexts: [] } : {}),
            description: fitText(reason, VendorLimits.githubDeploymentDescription),
            payload: { firebreak: { idempotency_key: idempotencyKey, rollback_of: to.id } },
          }),
        )
      ).data as Deployment);
    return { progress: { idempotencyKey, deploymentId: String(deployment.id), since: Date.now() }, created: !earlier };
  }

  private async deployments(target: FindReleasesQuery['target']): Promise<Deployment[]> {
    const { owner, repo } = repository(target);
    const answer = await this.call('list deployments', () =>
      this.github.rest.repos.listDeployments({ owner, repo, environment: target.environment, per_page: DEPLOYMENTS_READ }),
    );
    return answer.data as Deployment[];
  }

  /** A deployment's statuses (GitHub lists the newest first). */
  private async statuses(target: FindReleasesQuery['target'], deploymentId: number): Promise<DeploymentStatus[]> {
    const { owner, repo } = repository(target);
    const answer = await this.call('list deployment statuses', () =>
      this.github.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: deploymentId, per_page: 100 }),
    );
    return answer.data as DeploymentStatus[];
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw vendorFailure(githubProblem(operation, error), this.secrets);
    }
  }
}

/** The latest status, by time and then id (not trusting the order of the list). */
function newest(statuses: DeploymentStatus[]): DeploymentStatus | undefined {
  return [...statuses].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id)[0];
}

function release(deployment: Deployment): Release {
  return { ref: deployment.sha, id: String(deployment.id), createdAt: deployment.created_at };
}

function firebreakKey(payload: unknown): string | undefined {
  const parsed = typeof payload === 'string' ? safeJson(payload) : payload;
  return (parsed as { firebreak?: { idempotency_key?: string } } | undefined)?.firebreak?.idempotency_key;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function repository(target: Pick<DeployTarget, 'scope'>): { owner: string; repo: string } {
  const match = /^([\w.-]+)\/([\w.-]+)$/.exec(target.scope);
  if (!match) {
    throw ApplicationFailure.nonRetryable(
      `GitHub deploy target scope must be "owner/repo", got "${target.scope}"`,
      CapabilityFailure.InvalidInput,
    );
  }
  return { owner: match[1], repo: match[2] };
}

/** What went wrong, from Octokit's RequestError (which it also throws when nothing answered). */
function githubProblem(operation: string, error: unknown): VendorCallProblem {
  const failed = error as {
    status?: number;
    message?: string;
    cause?: unknown;
    response?: { headers?: Record<string, string | undefined>; data?: unknown };
  };
  if (!failed.response) return { vendor: VENDOR, operation, networkError: describeNetworkError(failed.cause ?? error) };
  const headers = failed.response.headers ?? {};
  const detail = (failed.response.data as { message?: string } | undefined)?.message ?? failed.message;
  // GitHub's primary rate limit answers 403 with no requests left; secondary limits add Retry-After.
  const exhausted = headers['x-ratelimit-remaining'] === '0';
  const reset = Number(headers['x-ratelimit-reset']);
  const retryAfterMs =
    parseRetryAfter(headers['retry-after']) ?? (exhausted && reset > 0 ? Math.max(0, reset * 1000 - Date.now()) : undefined);
  const throttled = failed.status === 403 && (exhausted || headers['retry-after'] !== undefined);
  return { vendor: VENDOR, operation, status: failed.status, detail, retryAfterMs, throttled };
}
