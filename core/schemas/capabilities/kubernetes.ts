import { z } from 'zod';
import { StepInputBase } from './common';

/** A namespace's name, as Kubernetes allows it: an RFC 1123 label (63 characters at most). */
export const KubernetesNamespaceSchema = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes namespace: lower case letters, digits and -, e.g. shop-prod');

/** A deployment's name, as Kubernetes allows it: an RFC 1123 subdomain (253 characters at most). */
export const DeploymentNameSchema = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'must be a Kubernetes deployment name: lower case letters, digits, - and ., e.g. checkout');

/** Which deployment: its namespace and name. */
const DeploymentRef = { namespace: KubernetesNamespaceSchema, name: DeploymentNameSchema };

export const DescribeDeploymentInputSchema = z.object(DeploymentRef);
export type DescribeDeploymentInput = z.input<typeof DescribeDeploymentInputSchema>;

export const ScaleDeploymentInputSchema = StepInputBase.extend({
  ...DeploymentRef,
  replicas: z.number().int().min(0),
  /** With `max`, the bounds `replicas` must lie in: outside them the step is refused, not clamped. */
  min: z.number().int().min(0).optional(),
  max: z.number().int().min(0).optional(),
});
export type ScaleDeploymentInput = z.input<typeof ScaleDeploymentInputSchema>;

export const RestartDeploymentInputSchema = StepInputBase.extend(DeploymentRef);
export type RestartDeploymentInput = z.input<typeof RestartDeploymentInputSchema>;

export const RollbackDeploymentInputSchema = StepInputBase.extend({
  ...DeploymentRef,
  /** The revision to go back to (`deployment.kubernetes.io/revision`). @default the one before the current */
  toRevision: z.number().int().min(1).optional(),
});
export type RollbackDeploymentInput = z.input<typeof RollbackDeploymentInputSchema>;

/**
 * Where a rollout stands, as `kubectl rollout status` judges it: `complete` when the
 * controller has seen the latest spec (`observedGeneration >= generation`) and every
 * desired replica is updated and available with no old one left; `failed` when the
 * `Progressing` condition says `ProgressDeadlineExceeded`; else `progressing`.
 */
export const RolloutStateSchema = z.enum(['complete', 'progressing', 'failed']);
export type RolloutState = z.infer<typeof RolloutStateSchema>;

export const DeploymentConditionSchema = z.object({
  /** `Available`, `Progressing`, `ReplicaFailure`. */
  type: z.string(),
  /** `True`, `False` or `Unknown`. */
  status: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
  /** When it last changed (ISO-8601). */
  at: z.string().optional(),
});

export const PodStatusSchema = z.object({
  name: z.string(),
  /** `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`. */
  phase: z.string(),
  /** Its `Ready` condition is `True`. */
  ready: z.boolean(),
  /** Restarts of all its containers. */
  restarts: z.number().int(),
  /** Why a container is not running, when one is not: `CrashLoopBackOff`, `ImagePullBackOff`, `OOMKilled`… */
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type PodStatus = z.infer<typeof PodStatusSchema>;

export const KubernetesEventSchema = z.object({
  /** When it last happened (ISO-8601). */
  at: z.string().optional(),
  /** `Normal` or `Warning`. */
  type: z.string(),
  reason: z.string(),
  message: z.string(),
  /** What it is about, e.g. `Pod/checkout-7d9f-abcde`. */
  object: z.string(),
  count: z.number().int(),
});
export type KubernetesEvent = z.infer<typeof KubernetesEventSchema>;

export const DeploymentDescriptionSchema = z.object({
  namespace: z.string(),
  name: z.string(),
  /** The deployment's revision (`deployment.kubernetes.io/revision`), when the controller has set it. */
  revision: z.number().int().optional(),
  replicas: z.object({
    desired: z.number().int(),
    updated: z.number().int(),
    ready: z.number().int(),
    available: z.number().int(),
    unavailable: z.number().int(),
  }),
  rollout: z.object({ state: RolloutStateSchema, message: z.string() }),
  conditions: z.array(DeploymentConditionSchema),
  /** The pods its selector matches, those not ready first; at most 50. */
  pods: z.array(PodStatusSchema),
  /** More pods match than are listed. */
  podsTruncated: z.boolean(),
  /** Recent events of the deployment and of its pods, newest first; at most 20. */
  events: z.array(KubernetesEventSchema),
  /** True from the built-in local adapter: there is no cluster behind it, nothing was read. */
  recordedOnly: z.boolean().optional(),
});
export type DeploymentDescription = z.infer<typeof DeploymentDescriptionSchema>;

/** What every change to a deployment answers, once its rollout is complete. */
const RolloutResult = {
  namespace: z.string(),
  name: z.string(),
  /** The deployment's revision once rolled out (absent from the local adapter). */
  revision: z.number().int().optional(),
  /** True once the rollout is complete; the real adapter waits for that and fails the step otherwise. */
  stable: z.boolean(),
  /** True from the built-in local adapter: the request was only recorded, nothing was changed. */
  recordedOnly: z.boolean().optional(),
};

export const ScaleDeploymentResultSchema = z.object({
  ...RolloutResult,
  /** The desired replicas before the step: what a compensation scales back to. */
  previousReplicas: z.number().int(),
  replicas: z.number().int(),
});
export type ScaleDeploymentResult = z.infer<typeof ScaleDeploymentResultSchema>;

export const RestartDeploymentResultSchema = z.object({
  ...RolloutResult,
  /** The pod template's `kubectl.kubernetes.io/restartedAt`: the time the step was first scheduled. */
  restartedAt: z.string(),
  /** False when this step had restarted it already (a retry), so nothing was patched. */
  restarted: z.boolean(),
});
export type RestartDeploymentResult = z.infer<typeof RestartDeploymentResultSchema>;

export const RollbackDeploymentResultSchema = z.object({
  ...RolloutResult,
  /** The revision rolled back from. */
  fromRevision: z.number().int().optional(),
  /** The revision whose pod template now runs. */
  toRevision: z.number().int().optional(),
  /** False when the template was that revision's already (a retry, or nothing to undo), so nothing was patched. */
  rolledBack: z.boolean(),
});
export type RollbackDeploymentResult = z.infer<typeof RollbackDeploymentResultSchema>;
