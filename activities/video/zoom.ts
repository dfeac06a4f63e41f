import type { Meeting } from '../../core/schemas/capabilities/video';
import type { ZoomSettings } from '../../core/schemas/integrations-config';
import { randomInt } from 'node:crypto';
import { fitText, VendorLimits } from '../fit';
import { keyDigest } from '../step-input';
import { VendorHttp } from '../vendor-http';
import type { CreateMeetingCommand, VideoPort } from './port';

const VENDOR = 'Zoom';
/** Refresh a token this long before Zoom says it expires. */
const TOKEN_MARGIN_MS = 60_000;
/** Meeting length we book; incident bridges run over it freely. */
const MEETING_MINUTES = 60;
/** Zoom passcodes: at most 10 characters from letters, digits and `@ - _ *`. */
const PASSCODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
const PASSCODE_LENGTH = 10;

/** A random 10-character passcode (about 58 bits). A retried step finds the meeting it made, with its passcode, by its marker. */
function passcode(): string {
  let code = '';
  for (let i = 0; i < PASSCODE_LENGTH; i++) code += PASSCODE_ALPHABET[randomInt(PASSCODE_ALPHABET.length)];
  return code;
}

interface ZoomToken {
  access_token: string;
  expires_in: number;
}

interface ZoomMeeting {
  id: number | string;
  topic?: string;
  agenda?: string;
  join_url: string;
}

/**
 * Zoom's REST API through a server-to-server OAuth app: an account-credentials token,
 * fetched on demand and reused until shortly before it expires.
 */
export function createZoomApi(settings: ZoomSettings, timeoutMs: number): VendorHttp {
  const secrets = [settings.clientSecret.reveal()];
  const oauth = new VendorHttp({ vendor: VENDOR, baseUrl: settings.oauthUrl, timeoutMs, secrets });
  let cached: { token: string; until: number } | undefined;
  const token = async () => {
    if (cached && Date.now() < cached.until) return cached.token;
    const basic = Buffer.from(`${settings.clientId}:${settings.clientSecret.reveal()}`).toString('base64');
    const answer = await oauth.request<ZoomToken>('get access token', '/oauth/token', {
      method: 'POST',
      query: { grant_type: 'account_credentials', account_id: settings.accountId },
      headers: { authorization: `Basic ${basic}` },
    });
    cached = { token: answer.access_token, until: Date.now() + answer.expires_in * 1000 - TOKEN_MARGIN_MS };
    return cached.token;
  };
  return new VendorHttp({
    vendor: VENDOR,
    baseUrl: settings.apiUrl,
    timeoutMs,
    secrets,
    headers: async () => ({ authorization: `Bearer ${await token()}` }),
  });
}

/**
 * Zoom meetings. Zoom takes no idempotency key, so each meeting's agenda carries the marker
 * `firebreak-step:<digest of the key>`, and the host's scheduled meetings are searched for it
 * before one is created. Meetings are scheduled (type 2) starting now, since Zoom does not
 * list instant meetings. They are private: a random passcode (carried in the join link Zoom
 * returns), the waiting room on and no joining before the host. The topic is plain text cut
 * to Zoom's 200 characters.
 */
export class ZoomVideo implements VideoPort {
  constructor(
    private readonly api: VendorHttp,
    private readonly userId: string,
  ) {}

  async createMeeting({ idempotencyKey, incidentId, topic }: CreateMeetingCommand): Promise<Meeting> {
    const marker = `firebreak-step:${keyDigest(idempotencyKey)}`;
    const meetings = `/users/${encodeURIComponent(this.userId)}/meetings`;
    let pageToken = '';
    do {
      const page = await this.api.request<{ meetings?: ZoomMeeting[]; next_page_token?: string }>('list meetings', meetings, {
        query: { type: 'scheduled', page_size: 300, ...(pageToken ? { next_page_token: pageToken } : {}) },
      });
      const found = page.meetings?.find((meeting) => meeting.agenda?.includes(marker) || meeting.topic?.includes(marker));
      if (found) return { id: String(found.id), joinUrl: found.join_url, created: false };
      pageToken = page.next_page_token ?? '';
    } while (pageToken);
    const created = await this.api.request<ZoomMeeting>('create meeting', meetings, {
      method: 'POST',
      body: {
        topic: fitText(topic, VendorLimits.zoomTopic),
        type: 2,
        start_time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        duration: MEETING_MINUTES,
        timezone: 'UTC',
        // The marker stays whole: the id before it is what gets cut.
        agenda: `Firebreak incident ${fitText(incidentId, VendorLimits.zoomAgenda - marker.length - 30)}\n${marker}`,
        password: passcode(),
        settings: { join_before_host: false, waiting_room: true },
      },
    });
    return { id: String(created.id), joinUrl: created.join_url, created: true };
  }
}
