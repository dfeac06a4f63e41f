import { z } from 'zod';
import { StepInputBase } from './common';

export const CreateMeetingInputSchema = StepInputBase.extend({
  incidentId: z.string().min(1),
  topic: z.string().min(1).max(200),
});
export type CreateMeetingInput = z.input<typeof CreateMeetingInputSchema>;

export const MeetingSchema = z.object({ id: z.string(), joinUrl: z.string(), created: z.boolean() });
export type Meeting = z.infer<typeof MeetingSchema>;
