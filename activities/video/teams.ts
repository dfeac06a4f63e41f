import type * as Graph from '@microsoft/microsoft-graph-types';
import type { Meeting } from '../../core/schemas/capabilities/video';
import type { TeamsVideoSettings } from '../../core/schemas/integrations-config';
import { fitText, VendorLimits } from '../fit';
import { keyDigest } from '../step-input';
import type { GraphApi } from '../teams/graph';
import type { CreateMeetingCommand, VideoPort } from './port';

/** The meeting's external id for a step: Graph's own idempotency key for online meetings. */
export const meetingExternalId = (idempotencyKey: string) => `firebreak-${keyDigest(idempotencyKey, 32)}`;

/**
 * Microsoft Teams meetings through Microsoft Graph, as an app. `createOrGet` on the organizer's
 * online meetings takes an external id and answers with the meeting already made for it, so a
 * retried step (or one whose first answer was lost) gets the same meeting, never a second;
 * the external id is `firebreak-` and 32 hex digits of the key's digest. The meeting starts
 * now and is booked for an hour (Graph's defaults); who waits in the lobby is the tenant's
 * meeting policy. The subject is plain text cut to 255 characters. An application access
 * policy must allow the app to act for `TEAMS_MEETING_ORGANIZER_ID`.
 */
export class TeamsVideo implements VideoPort {
  constructor(
    private readonly graph: GraphApi,
    private readonly settings: Pick<TeamsVideoSettings, 'organizerId'>,
  ) {}

  async createMeeting({ idempotencyKey, topic }: CreateMeetingCommand): Promise<Meeting> {
    const { status, body } = await this.graph.postWithStatus<Graph.OnlineMeeting>(
      'create meeting',
      `/users/${encodeURIComponent(this.settings.organizerId)}/onlineMeetings/createOrGet`,
      { externalId: meetingExternalId(idempotencyKey), subject: fitText(topic, VendorLimits.teamsMeetingSubject) },
    );
    if (!body?.id || !body.joinWebUrl) {
      throw this.graph.failure('create meeting', { status: 502, detail: 'the answer holds no meeting id or join link' });
    }
    return { id: body.id, joinUrl: body.joinWebUrl, created: status === 201 };
  }
}
