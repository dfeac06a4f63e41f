/**
 * What a remediation may touch, per service (`runbooks/services.ts`): the repository, ECS
 * service, Octopus project and Kubernetes deployment of each service, and the environments a
 * rollback may deploy to. Alerts only name a service; what a runbook started from an alert
 * acts on comes from here, never from the alert's labels. Checked with the other operator
 * files (loadOperatorConfig).
 */
import { z } from 'zod';
import { ID_PATTERN, ID_RULE } from '../model/oncall/targets';
import { DeploymentNameSchema, KubernetesNamespaceSchema } from './capabilities/kubernetes';

/** Enough for a large estate, bounded for the start-up check. */
const MAX_SERVICES = 1_000;

const ServiceSchema = z
  .object({
    /** GitHub `owner/repo` whose deployments a rollback creates. */
    repository: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/, 'a GitHub repository as "owner/repo"')
      .optional(),
    /** The ECS service a rollback or a scale-out acts on. */
    ecs: z.object({ cluster: z.string().min(1).max(255), service: z.string().min(1).max(255) }).strict().optional(),
    /** The Octopus project a rollback redeploys. */
    octopus: z.object({ project: z.string().min(1).max(200) }).strict().optional(),
    /** The Kubernetes deployment a restart acts on. */
    kubernetes: z.object({ namespace: KubernetesNamespaceSchema, deployment: DeploymentNameSchema }).strict().optional(),
    /** The environments a remediation may deploy to; the first is the default. */
    environments: z.array(z.string().min(1).max(255)).min(1, 'at least one environment').max(20).default(['production']),
    /** GitHub deployments wait for the repository's required status checks; `false` skips them. */
    requireStatusChecks: z.boolean().default(true),
  })
  .strict();

export const ServicesFileSchema = z
  .record(z.string().regex(ID_PATTERN, ID_RULE), ServiceSchema)
  .refine((services) => Object.keys(services).length <= MAX_SERVICES, `at most ${MAX_SERVICES} services`);
export type ServicesFile = z.input<typeof ServicesFileSchema>;

/** A service as remediations see it: its name and what they may touch. */
export type ServiceTarget = z.infer<typeof ServiceSchema> & { name: string };

/** Identity helper that gives authors type checking and completion in `runbooks/services.ts`. */
export const defineServices = (services: ServicesFile): ServicesFile => services;

/** The checked file, by service name. */
export function toServiceTargets(parsed: z.infer<typeof ServicesFileSchema>): Map<string, ServiceTarget> {
  return new Map(Object.entries(parsed).map(([name, service]) => [name, { name, ...service }]));
}
