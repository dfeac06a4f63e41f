import { Octokit } from '@octokit/rest';
import { ApplicationFailure } from '@temporalio/common';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import type { DeployTarget, Release, Releases, RollbackResult } from '../../core/schemas/capabilities/deploy';
import type { GithubSettings } from '../../core/schemas/integrations-config';
import { fitText, VendorLimits } from '../fit';
import { describeNetworkError, parseRetryAfter, type VendorCallProblem, vendorFailure } from '../http-failures';
import { fetchWithTimeout } from '../vendor-http';
import type { DeployPort, FindReleasesQuery, RollbackCommand } from './port';

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

/**
 * GitHub deployments. `findReleases` reads an environment's deployments, newest first: the
 * newest is `current`, and `previousGood` is the newest older one, of another commit, that
 * once reported `success` (GitHub marks superseded deployments `inactive` afterwards). A
 * rollback creates a deployment of that ref whose `payload.firebreak.idempotency_key` is the
 * step's key; the environment's deployments are searched for it first. GitHub only records
 * the deployment: the CD system listening for it deploys, and its latest status is reported.
 */
export class GithubDeploy implements DeployPort {
  private readonly secrets: string[];

  constructor(
    private readonly github: Octokit,
    settings: Pick<GithubSettings, 'token'>,
  ) {
    this.secrets = [settings.token.reveal()];
  }

  async findReleases({ target }: FindReleasesQuery): Promise<Releases> {
    const deployments = await this.deployments(target);
    const [current, ...older] = deployments;
    if (!current) return { current: null, previousGood: null };
    for (const deployment of older) {
      if (deployment.sha === current.sha) continue;
      const states = await this.states(target, deployment.id);
      if (states.includes('success')) return { current: release(current), previousGood: release(deployment) };
    }
    return { current: release(current), previousGood: null };
  }

  async rollback({ idempotencyKey, target, to, reason }: RollbackCommand): Promise<RollbackResult> {
    const { owner, repo } = repository(target);
    const earlier = (await this.deployments(target)).find(
      (deployment) => firebreakKey(deployment.payload) === idempotencyKey,
    );
    const deployment =
      earlier ??
      ((
        await this.call('create deployment', () =>
          this.github.rest.repos.createDeployment({
            owner,
            repo,
            ref: to.ref,
            environment: target.environment,
            task: 'deploy',
            auto_merge: false,
            required_contexts: [],
            description: fitText(reason, VendorLimits.githubDeploymentDescription),
            payload: { firebreak: { idempotency_key: idempotencyKey, rollback_of: to.id } },
          }),
        )
      ).data as Deployment);
    const [latest] = await this.states(target, deployment.id);
    return { deploymentId: String(deployment.id), ref: to.ref, created: !earlier, stable: latest === 'success' };
  }

  private async deployments(target: FindReleasesQuery['target']): Promise<Deployment[]> {
    const { owner, repo } = repository(target);
    const answer = await this.call('list deployments', () =>
      this.github.rest.repos.listDeployments({ owner, repo, environment: target.environment, per_page: DEPLOYMENTS_READ }),
    );
    return answer.data as Deployment[];
  }

  /** A deployment's status states, newest first. */
  private async states(target: FindReleasesQuery['target'], deploymentId: number): Promise<string[]> {
    const { owner, repo } = repository(target);
    const answer = await this.call('list deployment statuses', () =>
      this.github.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: deploymentId, per_page: 100 }),
    );
    return answer.data.map((status) => status.state);
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw vendorFailure(githubProblem(operation, error), this.secrets);
    }
  }
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
