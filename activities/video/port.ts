import type { CapabilityPort, OperationCommand } from '../../core/schemas/capabilities/operation-schemas';
import { capabilityActivities } from '../step-input';

export type CreateMeetingCommand = OperationCommand<'video', 'createMeeting'>;

/** The incident's video bridge. One meeting per idempotency key. */
export type VideoPort = CapabilityPort<'video'>;

export const createVideoActivities = (port: VideoPort) => capabilityActivities('video', port);
