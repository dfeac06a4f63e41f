import { z } from 'zod';
import { StepInputBase } from './common';

/** Which deployed thing: a GitHub repository environment, or an ECS service. */
export const DeployTargetSchema = z.object({
  service: z.string().min(1),
  /** GitHub: "owner/repo"; ECS: the cluster name. */
  scope: z.string().min(1),
  /** GitHub: the deployment environment (e.g. "production"). Unused by ECS. */
  environment: z.string().min(1).default('production'),
});
export type DeployTarget = z.input<typeof DeployTargetSchema>;

export const ReleaseSchema = z.object({
  /** GitHub: the git ref or sha; ECS: the task definition ARN. */
  ref: z.string(),
  /** Deployment id (GitHub) or revision number (ECS). */
  id: z.string(),
  createdAt: z.string().optional(),
});
export type Release = z.infer<typeof ReleaseSchema>;

export const FindReleasesInputSchema = z.object({ target: DeployTargetSchema });
export type FindReleasesInput = z.input<typeof FindReleasesInputSchema>;

/** The release running now and the last good one before it (null when there is none). */
export const ReleasesSchema = z.object({ current: ReleaseSchema.nullable(), previousGood: ReleaseSchema.nullable() });
export type Releases = z.infer<typeof ReleasesSchema>;

export const RollbackInputSchema = StepInputBase.extend({
  target: DeployTargetSchema,
  to: ReleaseSchema,
  reason: z.string().max(1000).default('rollback by Firebreak'),
});
export type RollbackInput = z.input<typeof RollbackInputSchema>;

export const RollbackResultSchema = z.object({
  deploymentId: z.string(),
  ref: z.string(),
  created: z.boolean(),
  /** True once the target reports the rolled-back release as stable. */
  stable: z.boolean(),
  /** True from the built-in local adapter: the request was only recorded, nothing was deployed. */
  recordedOnly: z.boolean().optional(),
});
export type RollbackResult = z.infer<typeof RollbackResultSchema>;
