import { z } from 'zod';
import { StepInputBase } from './common';

/** Which deployed thing: a GitHub repository environment, an ECS service, or an Octopus project environment. */
export const DeployTargetSchema = z.object({
  service: z.string().min(1),
  /** GitHub: "owner/repo"; ECS: the cluster name; Octopus: the project's name. */
  scope: z.string().min(1),
  /** GitHub: the deployment environment (e.g. "production"); Octopus: the environment's name. Unused by ECS. */
  environment: z.string().min(1).default('production'),
  /**
   * GitHub: `false` lets a deployment skip the repository's required status checks (sent
   * as an empty `required_contexts`); otherwise GitHub checks them. Unused by ECS and Octopus.
   */
  requireStatusChecks: z.boolean().optional(),
});
export type DeployTarget = z.input<typeof DeployTargetSchema>;

export const ReleaseSchema = z.object({
  /** GitHub: the git ref or sha; ECS: the task definition ARN; Octopus: the release version. */
  ref: z.string(),
  /** Deployment id (GitHub), revision number (ECS) or release id (Octopus). */
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
  /**
   * True once the target reports the rolled-back release as stable. The real adapters wait
   * for that and fail the step otherwise (the vendor's failure state, or the step's timeout).
   */
  stable: z.boolean(),
  /** The deployment's final state in the vendor's word: GitHub `success`, ECS `COMPLETED`, Octopus `Success`. */
  state: z.string().optional(),
  /** True from the built-in local adapter: the request was only recorded, nothing was deployed. */
  recordedOnly: z.boolean().optional(),
});
export type RollbackResult = z.infer<typeof RollbackResultSchema>;
