import type { z } from 'zod';
import { type CreateMeetingInput, CreateMeetingInputSchema, type Meeting } from '../../core/capabilities/video';
import { parseStepInput } from '../step-input';

export type CreateMeetingCommand = z.output<typeof CreateMeetingInputSchema>;

/** The incident's video bridge. One meeting per idempotency key. */
export interface VideoPort {
  createMeeting(command: CreateMeetingCommand): Promise<Meeting>;
}

export function createVideoActivities(port: VideoPort) {
  return {
    async videoCreateMeeting(input: CreateMeetingInput): Promise<Meeting> {
      return port.createMeeting(parseStepInput(CreateMeetingInputSchema, input, 'videoCreateMeeting'));
    },
  };
}
