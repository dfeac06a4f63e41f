import { z } from 'zod';
import { StepInputBase } from './common';

export const ServiceRefSchema = z.object({ cluster: z.string().min(1), service: z.string().min(1) });
export type ServiceRef = z.infer<typeof ServiceRefSchema>;

export const DescribeServiceInputSchema = z.object({ ref: ServiceRefSchema });
export type DescribeServiceInput = z.input<typeof DescribeServiceInputSchema>;

export const ServiceDescriptionSchema = z.object({
  ref: ServiceRefSchema,
  desiredCount: z.number().int(),
  runningCount: z.number().int(),
  pendingCount: z.number().int(),
  taskDefinition: z.string().optional(),
  deployments: z.array(z.object({ id: z.string(), status: z.string(), taskDefinition: z.string().optional(), createdAt: z.string().optional() })),
  events: z.array(z.object({ at: z.string().optional(), message: z.string() })),
});
export type ServiceDescription = z.infer<typeof ServiceDescriptionSchema>;

export const ScaleServiceInputSchema = StepInputBase.extend({
  ref: ServiceRefSchema,
  desiredCount: z.number().int().min(0),
  min: z.number().int().min(0),
  max: z.number().int().min(1),
  /** Wait until running equals desired before returning. */
  waitForStable: z.boolean().default(true),
});
export type ScaleServiceInput = z.input<typeof ScaleServiceInputSchema>;

export const ScaleResultSchema = z.object({
  previousCount: z.number().int(),
  desiredCount: z.number().int(),
  stable: z.boolean(),
  /** True from the built-in local adapter: the request was only recorded, nothing was scaled. */
  recordedOnly: z.boolean().optional(),
});
export type ScaleResult = z.infer<typeof ScaleResultSchema>;
