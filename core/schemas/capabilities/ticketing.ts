import { z } from 'zod';
import { StepInputBase, stepText } from './common';

export const TicketPrioritySchema = z.enum(['P1', 'P2', 'P3', 'P4', 'P5']);

export const CreateTicketInputSchema = StepInputBase.extend({
  incidentId: z.string().min(1),
  /** Plain text, one line; cut with an ellipsis to the vendor's summary length. */
  summary: stepText(1),
  /** Plain text: adapters escape it for the vendor's markup and cut it to the vendor's length. */
  description: stepText().default(''),
  priority: TicketPrioritySchema.optional(),
  /** Any text: adapters turn spaces into dashes and fit each label to the vendor's length. */
  labels: z.array(stepText(1)).max(100).default([]),
  /** Link back to the incident, added to the ticket. */
  incidentUrl: z.url().optional(),
});
export type CreateTicketInput = z.input<typeof CreateTicketInputSchema>;

export const TicketSchema = z.object({ key: z.string(), url: z.string(), created: z.boolean() });
export type Ticket = z.infer<typeof TicketSchema>;

export const CommentOnTicketInputSchema = StepInputBase.extend({ ticketKey: z.string().min(1), body: stepText(1) });
export type CommentOnTicketInput = z.input<typeof CommentOnTicketInputSchema>;

export const TransitionTicketInputSchema = StepInputBase.extend({
  ticketKey: z.string().min(1),
  /** Target status name, e.g. "Done"; matched case-insensitively against available transitions. */
  to: z.string().min(1),
});
export type TransitionTicketInput = z.input<typeof TransitionTicketInputSchema>;
