import type { Meeting } from '../../core/capabilities/video';
import { keyDigest } from '../step-input';
import type { CreateMeetingCommand, VideoPort } from './port';

/**
 * The built-in video bridge: a room link from a URL template (`VIDEO_ROOM_URL_TEMPLATE`,
 * Jitsi by default), with `{incidentId}` and `{key}` (a digest of the idempotency key) filled
 * in. Rooms like Jitsi's exist once someone opens the link, so nothing is created here.
 */
export class LocalVideo implements VideoPort {
  constructor(private readonly roomUrlTemplate: string) {}

  async createMeeting({ idempotencyKey, incidentId }: CreateMeetingCommand): Promise<Meeting> {
    const key = keyDigest(idempotencyKey, 12);
    const joinUrl = this.roomUrlTemplate
      .replaceAll('{incidentId}', encodeURIComponent(incidentId))
      .replaceAll('{key}', key);
    return { id: `local-${key}`, joinUrl, created: true };
  }
}
