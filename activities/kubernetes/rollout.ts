/**
 * Reading Kubernetes objects as the kubernetes adapter reports them: where a rollout stands
 * (as `kubectl rollout status` judges it), a deployment's revision and selector, a pod's
 * health and an event, each fitted to the capability's bounds.
 */
import type { CoreV1Event, V1Deployment, V1LabelSelector, V1Pod, V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import type { KubernetesEvent, PodStatus, RolloutState } from '../../core/schemas/capabilities/kubernetes';
import { fitText } from '../fit';

/** The annotation the deployment controller numbers revisions with, on deployments and their ReplicaSets. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** The pod template annotation `kubectl rollout restart` sets to the time of the restart. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';
/** The label the controller adds to each ReplicaSet's template; not part of what was deployed. */
const POD_TEMPLATE_HASH = 'pod-template-hash';
/** The most of a message (an event's, a condition's, a pod's) a description carries. */
const MESSAGE_MAX = 500;

/** Where a rollout stands, with what it waits for in words. */
export function rolloutOf(deployment: V1Deployment): { state: RolloutState; message: string } {
  const generation = deployment.metadata?.generation ?? 0;
  const status = deployment.status ?? {};
  if ((status.observedGeneration ?? 0) < generation) {
    return { state: 'progressing', message: 'waiting for the controller to observe the new spec' };
  }
  const progressing = status.conditions?.find((condition) => condition.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { state: 'failed', message: fitText(progressing.message ?? 'the rollout exceeded its progress deadline', MESSAGE_MAX) };
  }
  const desired = deployment.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (updated < desired) return { state: 'progressing', message: `${updated} of ${desired} replicas updated` };
  if (total > updated) return { state: 'progressing', message: `${total - updated} old replicas pending termination` };
  if (available < updated) return { state: 'progressing', message: `${available} of ${updated} updated replicas available` };
  return { state: 'complete', message: `${desired} of ${desired} replicas updated and available` };
}

/** The revision an object carries, if the controller has numbered it. */
export function revisionOf(object: V1Deployment | V1ReplicaSet): number | undefined {
  const revision = Number(object.metadata?.annotations?.[REVISION_ANNOTATION]);
  return Number.isInteger(revision) && revision > 0 ? revision : undefined;
}

/** A label selector as the API's `labelSelector` query parameter writes it. */
export function selectorText(selector: V1LabelSelector | undefined): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  for (const { key, operator, values = [] } of selector?.matchExpressions ?? []) {
    if (operator === 'In') parts.push(`${key} in (${values.join(',')})`);
    else if (operator === 'NotIn') parts.push(`${key} notin (${values.join(',')})`);
    else if (operator === 'Exists') parts.push(key);
    else if (operator === 'DoesNotExist') parts.push(`!${key}`);
  }
  return parts.join(',');
}

/** The ReplicaSet's pod template as the deployment had it: without the controller's hash label. */
export function templateOf(replicaSet: V1ReplicaSet): V1PodTemplateSpec {
  return withoutHash(replicaSet.spec?.template);
}

/** Whether two pod templates deploy the same thing (the controller's hash label aside). */
export function sameTemplate(a: V1PodTemplateSpec | undefined, b: V1PodTemplateSpec | undefined): boolean {
  return canonical(withoutHash(a)) === canonical(withoutHash(b));
}

function withoutHash(template: V1PodTemplateSpec | undefined): V1PodTemplateSpec {
  const copy = structuredClone(template ?? {});
  if (copy.metadata?.labels) delete copy.metadata.labels[POD_TEMPLATE_HASH];
  return copy;
}

/** JSON with keys sorted and empty values left out, so equal objects read equal. */
function canonical(value: unknown): string {
  const normal = (item: unknown): unknown => {
    if (item instanceof Date) return item.toISOString();
    if (Array.isArray(item)) return item.map(normal);
    if (item && typeof item === 'object') {
      const entries = Object.entries(item as Record<string, unknown>)
        .filter(([, inner]) => inner !== undefined && inner !== null)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, inner]) => [key, normal(inner)]);
      return Object.fromEntries(entries);
    }
    return item;
  };
  return JSON.stringify(normal(value));
}

/** A pod's health: ready or not, its restarts, and why a container is not running. */
export function podStatusOf(pod: V1Pod): PodStatus {
  const containers = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const ready = pod.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false;
  const restarts = containers.reduce((sum, container) => sum + (container.restartCount ?? 0), 0);
  const waiting = containers.find((container) => container.state?.waiting?.reason)?.state?.waiting;
  const terminated = containers.find((container) => container.state?.terminated && !container.ready)?.state?.terminated;
  const unscheduled = pod.status?.conditions?.find((condition) => condition.type === 'PodScheduled' && condition.status === 'False');
  const trouble = waiting ?? terminated ?? unscheduled;
  return {
    name: pod.metadata?.name ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    ready,
    restarts,
    ...(trouble?.reason ? { reason: trouble.reason } : {}),
    ...(trouble?.message ? { message: fitText(trouble.message, MESSAGE_MAX) } : {}),
  };
}

/** Pods those not ready first, then the most restarted, then by name. */
export function troubledFirst(a: PodStatus, b: PodStatus): number {
  return Number(a.ready) - Number(b.ready) || b.restarts - a.restarts || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

export function eventOf(event: CoreV1Event): KubernetesEvent {
  const at = event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata?.creationTimestamp;
  const involved = event.involvedObject;
  return {
    ...(at ? { at: iso(at) } : {}),
    type: event.type ?? 'Normal',
    reason: event.reason ?? '',
    message: fitText(event.message ?? '', MESSAGE_MAX),
    object: `${involved?.kind ?? '?'}/${involved?.name ?? '?'}`,
    count: event.count ?? event.series?.count ?? 1,
  };
}

/** The client reads timestamps as Date; a value it could not read stays a string. */
export function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/** A message fitted to what a description carries. */
export const fitMessage = (text: string) => fitText(text, MESSAGE_MAX);
