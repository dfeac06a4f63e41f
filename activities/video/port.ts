import type { z } from 'zod';
import { CreateMeetingInputSchema, type Meeting } from '../../core/capabilities/video';
import { stepActivity } from '../step-input';

export type CreateMeetingCommand = z.output<typeof CreateMeetingInputSchema>;

/** The incident's video bridge. One meeting per idempotency key. */
export interface VideoPort {
  createMeeting(command: CreateMeetingCommand): Promise<Meeting>;
}

export function createVideoActivities(port: VideoPort) {
  return {
    videoCreateMeeting: stepActivity('videoCreateMeeting', CreateMeetingInputSchema, (c) => port.createMeeting(c)),
  };
}
