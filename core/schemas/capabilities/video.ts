import { z } from 'zod';
import { StepInputBase, stepText } from './common';

export const CreateMeetingInputSchema = StepInputBase.extend({
  incidentId: z.string().min(1),
  /** Plain text, cut with an ellipsis to the vendor's topic length. */
  topic: stepText(1),
});
export type CreateMeetingInput = z.input<typeof CreateMeetingInputSchema>;

export const MeetingSchema = z.object({ id: z.string(), joinUrl: z.string(), created: z.boolean() });
export type Meeting = z.infer<typeof MeetingSchema>;
