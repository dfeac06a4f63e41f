import { PatchStrategy, setHeaderOptions, type V1Deployment } from '@kubernetes/client-node';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import type {
  DeploymentDescription,
  KubernetesEvent,
  RestartDeploymentResult,
  RollbackDeploymentResult,
  ScaleDeploymentResult,
} from '../../core/schemas/capabilities/kubernetes';
import type { KubernetesSettings } from '../../core/schemas/integrations-config';
import { type DeployProgress, deploymentFailed, resumedProgress, waitForFinalState } from '../deploy/wait';
import { keyDigest } from '../step-input';
import { KubernetesConflict, type KubernetesApi } from './client';
import type { DescribeDeploymentQuery, KubernetesPort, RestartDeploymentCommand, RollbackDeploymentCommand, ScaleDeploymentCommand } from './port';
import {
  eventOf,
  fitMessage,
  iso,
  podStatusOf,
  RESTARTED_AT_ANNOTATION,
  revisionOf,
  rolloutOf,
  sameTemplate,
  selectorText,
  templateOf,
  troubledFirst,
} from './rollout';

/** Pods a description lists (and reads: one page). */
const PODS_READ = 50;
/** Pods whose events a description reads besides the deployment's own: the most troubled. */
const PODS_WITH_EVENTS = 5;
/** Events read per object, and events a description keeps (newest first). */
const EVENTS_READ = 50;
const EVENTS_SHOWN = 20;
/** Conflicts (409) met in one attempt before it gives up to a later one. */
const MAX_CONFLICTS = 5;
/**
 * The deployment annotation a rollback leaves: a digest of the step's key and the revisions,
 * so a retried step finds its rollback done instead of undoing it (as a second undo would).
 */
const ROLLED_BACK_ANNOTATION = 'firebreak/rolled-back';

type Ref = { namespace: string; name: string };
/** What each change remembers in its heartbeat: `acted` says whether this step changed the deployment. */
type ScaleExtra = { previousReplicas: number; acted: boolean };
type RestartExtra = { restartedAt: string; acted: boolean };
type RollbackExtra = { fromRevision?: number; toRevision?: number; acted: boolean };
/** What one look at a deployment decided: the change to make (if any) and what to remember. */
type Decision<Extra> = { extra: Extra; change?: () => Promise<unknown> };

/**
 * Kubernetes deployments through `@kubernetes/client-node`, in the namespaces the settings
 * allow. Each change reads the deployment, decides, and patches with the read
 * `resourceVersion` as a precondition: a 409 means it changed meanwhile, so it is read and
 * decided again. A change acts once per step: scaling finds the count applied; a restart sets
 * the pod template's `kubectl.kubernetes.io/restartedAt` to the time the step was first
 * scheduled (the same for every attempt); a rollback marks the deployment with a digest of
 * the step's key. Then it waits, heartbeating where it stands, until the rollout is complete
 * (see `rolloutOf`), failing on `ProgressDeadlineExceeded`; a retried attempt resumes the
 * wait from its heartbeat without acting again.
 */
export class KubernetesDeployments implements KubernetesPort {
  constructor(
    private readonly api: KubernetesApi,
    private readonly settings: Pick<KubernetesSettings, 'namespaces' | 'pollIntervalMs'>,
  ) {}

  async describeDeployment(ref: DescribeDeploymentQuery): Promise<DeploymentDescription> {
    this.allow(ref);
    const deployment = await this.read(ref);
    const { namespace, name } = ref;
    const podList = await this.api.call(`list pods of deployment ${namespace}/${name}`, `namespace ${namespace}`, ({ core }) =>
      core.listNamespacedPod({ namespace, labelSelector: selectorText(deployment.spec?.selector), limit: PODS_READ }),
    );
    const pods = podList.items.map(podStatusOf).sort(troubledFirst);
    const objects = [{ kind: 'Deployment', name }, ...pods.slice(0, PODS_WITH_EVENTS).map((pod) => ({ kind: 'Pod', name: pod.name }))];
    const events: KubernetesEvent[] = [];
    for (const object of objects) events.push(...(await this.events(namespace, object)));
    const status = deployment.status ?? {};
    return {
      namespace,
      name,
      ...optional('revision', revisionOf(deployment)),
      replicas: {
        desired: deployment.spec?.replicas ?? 1,
        updated: status.updatedReplicas ?? 0,
        ready: status.readyReplicas ?? 0,
        available: status.availableReplicas ?? 0,
        unavailable: status.unavailableReplicas ?? 0,
      },
      rollout: rolloutOf(deployment),
      conditions: (status.conditions ?? []).map((condition) => {
        const at = condition.lastUpdateTime ?? condition.lastTransitionTime;
        return {
          type: condition.type,
          status: condition.status,
          ...optional('reason', condition.reason),
          ...optional('message', condition.message === undefined ? undefined : fitMessage(condition.message)),
          ...optional('at', at === undefined ? undefined : iso(at)),
        };
      }),
      pods,
      podsTruncated: Boolean(podList.metadata?._continue),
      events: events.sort((a, b) => (b.at ?? '').localeCompare(a.at ?? '')).slice(0, EVENTS_SHOWN),
    };
  }

  async scaleDeployment(command: ScaleDeploymentCommand): Promise<ScaleDeploymentResult> {
    const attemptStartedAt = Date.now();
    this.allow(command);
    const { namespace, name, replicas } = command;
    const progress =
      resumedProgress<ScaleExtra>(command.idempotencyKey, (details) => this.resumes(command, details) && typeof details.previousReplicas === 'number') ??
      (await this.change<ScaleExtra>(command, (deployment) => {
        const previousReplicas = deployment.spec?.replicas ?? 1;
        if (previousReplicas === replicas) return { extra: { previousReplicas, acted: false } };
        return {
          extra: { previousReplicas, acted: true },
          change: () =>
            this.api.call(`scale deployment ${namespace}/${name} to ${replicas}`, `deployment ${namespace}/${name}`, ({ apps }) =>
              apps.patchNamespacedDeploymentScale(
                { namespace, name, body: { metadata: { resourceVersion: deployment.metadata?.resourceVersion }, spec: { replicas } } },
                setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
              ),
            ),
        };
      }));
    const done = await this.waitForRollout(command, progress, attemptStartedAt);
    return { namespace, name, ...optional('revision', revisionOf(done)), previousReplicas: progress.previousReplicas, replicas, stable: true };
  }

  async restartDeployment(command: RestartDeploymentCommand): Promise<RestartDeploymentResult> {
    const attemptStartedAt = Date.now();
    this.allow(command);
    const { namespace, name } = command;
    // The time the step was first scheduled: every attempt derives the same value, so a retry finds it set.
    const restartedAt = new Date(Context.current().info.scheduledTimestampMs).toISOString();
    const progress =
      resumedProgress<RestartExtra>(command.idempotencyKey, (details) => this.resumes(command, details) && typeof details.restartedAt === 'string') ??
      (await this.change<RestartExtra>(command, (deployment) => {
        if (deployment.spec?.template?.metadata?.annotations?.[RESTARTED_AT_ANNOTATION] === restartedAt) return { extra: { restartedAt, acted: false } };
        this.refusePaused(deployment, command, 'restarting');
        const body = {
          metadata: { resourceVersion: deployment.metadata?.resourceVersion },
          spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: restartedAt } } } },
        };
        return {
          extra: { restartedAt, acted: true },
          change: () =>
            this.api.call(`restart deployment ${namespace}/${name}`, `deployment ${namespace}/${name}`, ({ apps }) =>
              apps.patchNamespacedDeployment({ namespace, name, body }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch)),
            ),
        };
      }));
    const done = await this.waitForRollout(command, progress, attemptStartedAt);
    return { namespace, name, ...optional('revision', revisionOf(done)), restartedAt: progress.restartedAt, restarted: progress.acted, stable: true };
  }

  async rollbackDeployment(command: RollbackDeploymentCommand): Promise<RollbackDeploymentResult> {
    const attemptStartedAt = Date.now();
    this.allow(command);
    const { namespace, name } = command;
    const progress =
      resumedProgress<RollbackExtra>(command.idempotencyKey, (details) => this.resumes(command, details)) ??
      (await this.change<RollbackExtra>(command, (deployment) => this.decideRollback(command, deployment)));
    const done = await this.waitForRollout(command, progress, attemptStartedAt);
    return {
      namespace,
      name,
      ...optional('revision', revisionOf(done)),
      ...optional('fromRevision', progress.fromRevision),
      ...optional('toRevision', progress.toRevision),
      rolledBack: progress.acted,
      stable: true,
    };
  }

  /** As `kubectl rollout undo`: the revision asked for, or the newest before the current one. */
  private async decideRollback(command: RollbackDeploymentCommand, deployment: V1Deployment): Promise<Decision<RollbackExtra>> {
    const { namespace, name, idempotencyKey, toRevision } = command;
    const digest = keyDigest(idempotencyKey);
    const mark = /^(\w+) from (\d+) to (\d+)$/.exec(deployment.metadata?.annotations?.[ROLLED_BACK_ANNOTATION] ?? '');
    if (mark?.[1] === digest) return { extra: { fromRevision: Number(mark[2]), toRevision: Number(mark[3]), acted: false } };
    this.refusePaused(deployment, command, 'rolling back');
    const uid = deployment.metadata?.uid;
    const listed = await this.api.call(`list replica sets of deployment ${namespace}/${name}`, `namespace ${namespace}`, ({ apps }) =>
      apps.listNamespacedReplicaSet({ namespace, labelSelector: selectorText(deployment.spec?.selector) }),
    );
    const revisions = listed.items
      .filter((set) => set.metadata?.ownerReferences?.some((owner) => owner.controller && owner.uid === uid))
      .map((set) => ({ set, revision: revisionOf(set) }))
      .filter((entry): entry is { set: typeof entry.set; revision: number } => entry.revision !== undefined)
      .sort((a, b) => b.revision - a.revision);
    const current = revisionOf(deployment) ?? revisions[0]?.revision;
    const target = toRevision !== undefined ? revisions.find((entry) => entry.revision === toRevision) : revisions.find((entry) => entry.revision !== current);
    if (!target) {
      const kept = revisions.map((entry) => entry.revision).join(', ') || 'none';
      throw ApplicationFailure.nonRetryable(
        toRevision !== undefined
          ? `deployment ${namespace}/${name} has no revision ${toRevision} (revisions kept: ${kept})`
          : `deployment ${namespace}/${name} has no earlier revision to roll back to (revisions kept: ${kept})`,
        CapabilityFailure.OutOfBounds,
      );
    }
    const extra = { ...optional('fromRevision', current), toRevision: target.revision };
    // Already that revision's template: nothing to undo (kubectl skips it too).
    if (target.revision === current || sameTemplate(target.set.spec?.template, deployment.spec?.template)) return { extra: { ...extra, acted: false } };
    const annotations = deployment.metadata?.annotations;
    const marker = `${digest} from ${current ?? 0} to ${target.revision}`;
    const patch = [
      { op: 'replace', path: '/metadata/resourceVersion', value: deployment.metadata?.resourceVersion },
      { op: 'replace', path: '/spec/template', value: templateOf(target.set) },
      annotations
        ? { op: 'add', path: `/metadata/annotations/${pointerToken(ROLLED_BACK_ANNOTATION)}`, value: marker }
        : { op: 'add', path: '/metadata/annotations', value: { [ROLLED_BACK_ANNOTATION]: marker } },
    ];
    return {
      extra: { ...extra, acted: true },
      change: () =>
        this.api.call(`roll back deployment ${namespace}/${name} to revision ${target.revision}`, `deployment ${namespace}/${name}`, ({ apps }) =>
          apps.patchNamespacedDeployment({ namespace, name, body: patch }, setHeaderOptions('Content-Type', PatchStrategy.JsonPatch)),
        ),
    };
  }

  /**
   * Reads the deployment, decides and makes the change; on a conflict (the deployment
   * changed since it was read) reads and decides again, a few times in one attempt.
   */
  private async change<Extra extends object>(
    ref: Ref & { idempotencyKey: string },
    decide: (deployment: V1Deployment) => Decision<Extra> | Promise<Decision<Extra>>,
  ): Promise<DeployProgress<Extra>> {
    for (let conflicts = 0; ; conflicts += 1) {
      const deployment = await this.read(ref);
      const { extra, change } = await decide(deployment);
      try {
        await change?.();
      } catch (error) {
        if (!(error instanceof KubernetesConflict)) throw error;
        if (conflicts + 1 >= MAX_CONFLICTS) throw error.failure;
        continue;
      }
      return { idempotencyKey: ref.idempotencyKey, deploymentId: deploymentId(ref), since: Date.now(), ...extra };
    }
  }

  /** Waits, heartbeating, until the rollout is complete; answers the deployment as last read. */
  private async waitForRollout(ref: Ref, progress: DeployProgress, attemptStartedAt: number): Promise<V1Deployment> {
    const subject = `Kubernetes deployment ${deploymentId(ref)}`;
    let last: V1Deployment | undefined;
    await waitForFinalState({
      progress,
      subject,
      pollIntervalMs: this.settings.pollIntervalMs,
      attemptStartedAt,
      look: async () => {
        last = await this.read(ref);
        const rollout = rolloutOf(last);
        if (rollout.state === 'complete') return { final: true, stable: true, state: rollout.message };
        if (rollout.state === 'failed') {
          return { final: true, stable: false, state: 'ProgressDeadlineExceeded', failure: deploymentFailed(subject, 'ProgressDeadlineExceeded', rollout.message, progress.deploymentId) };
        }
        return { final: false, state: rollout.message };
      },
    });
    return last!;
  }

  private read({ namespace, name }: Ref): Promise<V1Deployment> {
    return this.api.call(`read deployment ${namespace}/${name}`, `deployment ${namespace}/${name}`, ({ apps }) => apps.readNamespacedDeployment({ namespace, name }));
  }

  private async events(namespace: string, object: { kind: string; name: string }): Promise<KubernetesEvent[]> {
    const list = await this.api.call(`list events of ${object.kind} ${namespace}/${object.name}`, `namespace ${namespace}`, ({ core }) =>
      core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.kind=${object.kind},involvedObject.name=${object.name}`, limit: EVENTS_READ }),
    );
    return list.items.map(eventOf);
  }

  /** A step on a namespace the settings do not allow is refused before any call. */
  private allow({ namespace, name }: Ref): void {
    if (this.settings.namespaces.includes(namespace)) return;
    throw ApplicationFailure.nonRetryable(
      `deployment ${namespace}/${name}: namespace "${namespace}" is not one KUBERNETES_NAMESPACES allows (${this.settings.namespaces.join(', ')})`,
      CapabilityFailure.OutOfBounds,
    );
  }

  private refusePaused(deployment: V1Deployment, { namespace, name }: Ref, doing: string): void {
    if (!deployment.spec?.paused) return;
    throw ApplicationFailure.nonRetryable(
      `deployment ${namespace}/${name} is paused: resume it (kubectl rollout resume) before ${doing} it`,
      CapabilityFailure.Rejected,
    );
  }

  /** Heartbeat details an earlier attempt of this step recorded about this deployment. */
  private resumes(ref: Ref, details: Record<string, unknown>): boolean {
    return details.deploymentId === deploymentId(ref) && typeof details.acted === 'boolean';
  }
}

const deploymentId = ({ namespace, name }: Ref) => `${namespace}/${name}`;

/** A key as one token of a JSON Pointer (RFC 6901). */
const pointerToken = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

/** `{ [key]: value }`, or nothing when the value is undefined (results cross JSON without undefined fields). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
