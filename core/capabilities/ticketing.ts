import { z } from 'zod';
import { StepInputBase } from './common';

export const TicketPrioritySchema = z.enum(['P1', 'P2', 'P3', 'P4', 'P5']);

export const CreateTicketInputSchema = StepInputBase.extend({
  incidentId: z.string().min(1),
  summary: z.string().min(1).max(255),
  description: z.string().max(32_000).default(''),
  priority: TicketPrioritySchema.optional(),
  labels: z.array(z.string().regex(/^\S+$/, 'labels hold no spaces')).default([]),
  /** Link back to the incident, added to the ticket. */
  incidentUrl: z.url().optional(),
});
export type CreateTicketInput = z.input<typeof CreateTicketInputSchema>;

export const TicketSchema = z.object({ key: z.string(), url: z.string(), created: z.boolean() });
export type Ticket = z.infer<typeof TicketSchema>;

export const CommentOnTicketInputSchema = StepInputBase.extend({ ticketKey: z.string().min(1), body: z.string().min(1) });
export type CommentOnTicketInput = z.input<typeof CommentOnTicketInputSchema>;

export const TransitionTicketInputSchema = StepInputBase.extend({
  ticketKey: z.string().min(1),
  /** Target status name, e.g. "Done"; matched case-insensitively against available transitions. */
  to: z.string().min(1),
});
export type TransitionTicketInput = z.input<typeof TransitionTicketInputSchema>;
