import {
  Client,
  type Deployment,
  DeploymentRepository,
  type DeploymentEnvironment,
  EnvironmentRepository,
  type Project,
  ProjectRepository,
  type Release as OctopusRelease,
  ReleaseRepository,
  resolveSpaceId,
  type ServerTask,
  SpaceServerTaskRepository,
  TaskState,
} from '@octopusdeploy/api-client';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import type { DeployTarget, Release, Releases, RollbackResult } from '../../core/schemas/capabilities/deploy';
import type { OctopusSettings } from '../../core/schemas/integrations-config';
import { describeNetworkError, type VendorCallProblem, vendorFailure } from '../http-failures';
import type { DeployPort, FindReleasesQuery, RollbackCommand } from './port';
import { type DeployProgress, deploymentFailed, resumedProgress, shownRef, waitForFinalState } from './wait';

const VENDOR = 'Octopus';
/** Deployments of a project to an environment read when looking for releases and earlier rollbacks. */
const DEPLOYMENTS_READ = 30;
/** Projects, environments or releases read when finding one by name. */
const NAMED_READ = 100;
/**
 * A deployment of the release made this long before the step was first scheduled still
 * counts as the step's own (Octopus's clock and the worker's may differ a little).
 */
const CLOCK_ALLOWANCE_MS = 60_000;

/** Server task states that end a deployment, and what each means here. */
const FINAL_STATES: Partial<Record<string, 'stable' | 'failed'>> = {
  [TaskState.Success]: 'stable',
  [TaskState.Failed]: 'failed',
  [TaskState.TimedOut]: 'failed',
  [TaskState.Canceled]: 'failed',
};

/** What a retried attempt needs to resume waiting: the deployment's server task. */
type OctopusProgress = DeployProgress<{ taskId: string }>;

/**
 * The official Octopus client, created on first use (creating it reads the server's root
 * document) and again after a failed creation. The client takes no deadline of its own, so
 * every call is raced against one; a call that outlives it is abandoned, and its connection
 * closes when the server answers or drops it.
 */
export class OctopusApi {
  private client?: Promise<Client>;
  readonly secrets: string[];

  constructor(
    private readonly settings: Pick<OctopusSettings, 'url' | 'apiKey' | 'space'>,
    readonly timeoutMs: number,
  ) {
    this.secrets = [settings.apiKey.reveal()];
  }

  get space(): string {
    return this.settings.space;
  }

  /** Calls the client with the space resolved, under the deadline, its failures mapped. */
  async call<T>(operation: string, fn: (client: Client) => Promise<T>): Promise<T> {
    const client = await this.connected();
    try {
      return await withDeadline(fn(client), this.timeoutMs);
    } catch (error) {
      throw vendorFailure(octopusProblem(operation, error), this.secrets);
    }
  }

  private async connected(): Promise<Client> {
    this.client ??= this.connect();
    try {
      return await this.client;
    } catch (error) {
      this.client = undefined;
      throw error;
    }
  }

  private async connect(): Promise<Client> {
    let client: Client;
    try {
      client = await withDeadline(
        Client.create({ instanceURL: this.settings.url, apiKey: this.settings.apiKey.reveal(), userAgentApp: 'firebreak' }),
        this.timeoutMs,
      );
    } catch (error) {
      throw vendorFailure(octopusProblem('read server information', error), this.secrets);
    }
    try {
      // The client resolves the space by name on every space-scoped call (and caches it); resolving
      // it here first tells a missing space apart from other trouble.
      await withDeadline(resolveSpaceId(client, this.settings.space), this.timeoutMs);
    } catch (error) {
      if (isPlainError(error)) {
        throw ApplicationFailure.create({
          message: `Octopus has no space named "${this.settings.space}" (OCTOPUS_SPACE): ${error.message}`,
          type: CapabilityFailure.Misconfigured,
          nonRetryable: true,
        });
      }
      throw vendorFailure(octopusProblem('resolve space', error), this.secrets);
    }
    return client;
  }
}

export const createOctopusApi = (settings: OctopusSettings, timeoutMs: number) => new OctopusApi(settings, timeoutMs);

/**
 * Octopus Deploy, through `@octopusdeploy/api-client`. A target is `{ scope: project name,
 * environment: environment name }` in the configured space. `current` is the release of the
 * environment's newest deployment of the project, `previousGood` the release of the newest
 * deployment whose task succeeded, of another release. A rollback deploys that release (by
 * version) to the environment and waits for the deployment's server task: `Success` is
 * stable; `Failed`, `TimedOut` and `Canceled` fail the step with the task's error message.
 *
 * Idempotency: Octopus takes no client token and its deploy command no comment, so the
 * step's deployment is the one its first attempt recorded in heartbeat details or, failing
 * that, the environment's newest deployment when it is of the same release and was created
 * after the step was first scheduled (less a minute for clock drift). A newer deployment of
 * another release means none of the step's is current: a compensation that rolls forward
 * deploys again rather than taking the bad release's original deployment for its own.
 */
export class OctopusDeploy implements DeployPort {
  constructor(
    private readonly api: OctopusApi,
    private readonly settings: Pick<OctopusSettings, 'pollIntervalMs'>,
  ) {}

  async findReleases({ target }: FindReleasesQuery): Promise<Releases> {
    const project = await this.project(target);
    const environment = await this.environment(target);
    const [current] = await this.deployments(project, environment);
    if (!current) return { current: null, previousGood: null };
    const succeeded = await this.deployments(project, environment, TaskState.Success);
    const previous = succeeded.find((deployment) => deployment.ReleaseId !== current.ReleaseId);
    return {
      current: await this.release(current),
      previousGood: previous ? await this.release(previous) : null,
    };
  }

  async rollback(command: RollbackCommand): Promise<RollbackResult> {
    const attemptStartedAt = Date.now();
    const { idempotencyKey, target, to } = command;
    const resumed = resumedProgress<{ taskId: string }>(idempotencyKey, (details) => typeof details.taskId === 'string');
    const { progress, created } = resumed ? { progress: resumed, created: false } : await this.deploy(command);
    const subject = `Octopus deployment ${progress.deploymentId} of ${target.scope} ${shownRef(to.ref)} to ${target.environment}`;
    const state = await waitForFinalState({
      progress,
      subject,
      pollIntervalMs: this.settings.pollIntervalMs,
      attemptStartedAt,
      look: async () => {
        const task = await this.api.call(`read task ${progress.taskId}`, (client) =>
          new SpaceServerTaskRepository(client, this.api.space).getById(progress.taskId),
        );
        const meaning = FINAL_STATES[task.State];
        if (meaning === 'stable') return { final: true, stable: true, state: task.State };
        if (meaning === 'failed') {
          return { final: true, stable: false, state: task.State, failure: deploymentFailed(subject, task.State, taskWords(task), progress.deploymentId) };
        }
        return { final: false, state: task.HasPendingInterruptions ? `${task.State}, waiting for a manual intervention` : task.State };
      },
    });
    return { deploymentId: progress.deploymentId, ref: to.ref, created, stable: true, state };
  }

  /** The step's deployment: the one it made already (see the class comment), or a new one. */
  private async deploy({ idempotencyKey, target, to }: RollbackCommand): Promise<{ progress: OctopusProgress; created: boolean }> {
    const project = await this.project(target);
    const environment = await this.environment(target);
    const release = await this.releaseOf(project, to.ref);
    const stepScheduledAt = Context.current().info.scheduledTimestampMs;
    const [newest] = await this.deployments(project, environment);
    const since = Date.now();
    if (newest && newest.ReleaseId === release.Id && Date.parse(newest.Created) >= stepScheduledAt - CLOCK_ALLOWANCE_MS) {
      return { progress: { idempotencyKey, deploymentId: newest.Id, taskId: newest.TaskId, since }, created: false };
    }
    const answer = await this.api.call(`deploy release ${shownRef(to.ref)} of ${project.Name} to ${environment.Name}`, (client) =>
      new DeploymentRepository(client, this.api.space).create({
        spaceName: this.api.space,
        ProjectName: project.Name,
        ReleaseVersion: release.Version,
        EnvironmentNames: [environment.Name],
      }),
    );
    const [made] = answer.DeploymentServerTasks;
    return { progress: { idempotencyKey, deploymentId: made.DeploymentId, taskId: made.ServerTaskId, since }, created: true };
  }

  private async project(target: Pick<DeployTarget, 'scope'>): Promise<Project> {
    const { Items } = await this.api.call('list projects', (client) =>
      new ProjectRepository(client, this.api.space).list({ partialName: target.scope, take: NAMED_READ }),
    );
    return named(Items, target.scope) ?? this.refuse(`Octopus has no project named "${target.scope}" in space "${this.api.space}"`);
  }

  private async environment(target: Pick<FindReleasesQuery['target'], 'environment'>): Promise<DeploymentEnvironment> {
    const name = target.environment;
    const { Items } = await this.api.call('list environments', (client) =>
      new EnvironmentRepository(client, this.api.space).list({ partialName: name, take: NAMED_READ }),
    );
    return named(Items, name) ?? this.refuse(`Octopus has no environment named "${name}" in space "${this.api.space}"`);
  }

  /** The project's release of `version`; a version Octopus does not know is refused, naming it. */
  private async releaseOf(project: Project, version: string): Promise<OctopusRelease> {
    const { Items } = await this.api.call(`find release ${shownRef(version)} of ${project.Name}`, (client) =>
      new ReleaseRepository(client, this.api.space).listForProject(project.Id, { searchByVersion: version, take: NAMED_READ }),
    );
    return Items.find((release) => release.Version === version) ?? this.refuse(`Octopus project "${project.Name}" has no release "${shownRef(version)}"`);
  }

  /** The project's deployments to the environment, newest first (of tasks in `taskState`, when given). */
  private async deployments(project: Project, environment: DeploymentEnvironment, taskState?: TaskState): Promise<Deployment[]> {
    const { Items } = await this.api.call('list deployments', (client) =>
      new DeploymentRepository(client, this.api.space).list({
        projects: [project.Id],
        environments: [environment.Id],
        ...(taskState ? { taskState } : {}),
        take: DEPLOYMENTS_READ,
      }),
    );
    return [...Items].sort((a, b) => Date.parse(b.Created) - Date.parse(a.Created));
  }

  private async release(deployment: Deployment): Promise<Release> {
    const release = await this.api.call('read release', (client) => new ReleaseRepository(client, this.api.space).get(deployment.ReleaseId));
    return { ref: release.Version, id: release.Id, createdAt: deployment.Created };
  }

  private refuse(message: string): never {
    throw ApplicationFailure.create({ message, type: CapabilityFailure.Rejected, nonRetryable: true });
  }
}

/** The item called exactly `name`, else the one called so but for case (Octopus names ignore case). */
function named<T extends { Name: string }>(items: T[], name: string): T | undefined {
  return items.find((item) => item.Name === name) ?? items.find((item) => item.Name.toLowerCase() === name.toLowerCase());
}

function taskWords(task: ServerTask): string {
  return task.ErrorMessage?.trim() || `the server task ${task.Id} ended ${task.State}`;
}

/** A deadline's passing, described as a network timeout is. */
class DeadlineError extends Error {
  override readonly name = 'TimeoutError';
}

function withDeadline<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** An error the client raised itself (not an HTTP answer, nor a network failure). */
function isPlainError(error: unknown): error is Error {
  if (!(error instanceof Error) || error instanceof DeadlineError) return false;
  const { StatusCode, isAxiosError, code } = error as { StatusCode?: unknown; isAxiosError?: unknown; code?: unknown };
  return StatusCode === undefined && isAxiosError !== true && code === undefined;
}

/**
 * What went wrong, from the client's errors: an HTTP answer (status and Octopus's
 * `ErrorMessage` and `Errors`), a network failure or the deadline (no answer), or the
 * client's own complaint (retried: it reports unexpected answers so). The client keeps no
 * headers, so a 429's Retry-After is not known: Temporal's back-off applies.
 */
function octopusProblem(operation: string, error: unknown): VendorCallProblem {
  const failed = error as { StatusCode?: unknown; ErrorMessage?: unknown; message?: unknown };
  if (typeof failed.StatusCode === 'number' && failed.StatusCode > 0) {
    const detail = typeof failed.ErrorMessage === 'string' ? failed.ErrorMessage.replace(/\s*\n\s*/g, '; ') : undefined;
    return { vendor: VENDOR, operation, status: failed.StatusCode, detail };
  }
  if (isPlainError(error)) return { vendor: VENDOR, operation, networkError: error.message };
  return { vendor: VENDOR, operation, networkError: describeNetworkError(error) };
}
