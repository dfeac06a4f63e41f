import { createHmac, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Meeting } from '../../core/schemas/capabilities/video';
import type { LocalVideoSettings } from '../../core/schemas/integrations-config';
import { keyDigest } from '../step-input';
import type { CreateMeetingCommand, VideoPort } from './port';

/** Hex digits of the room token: 128 bits, beyond guessing. */
const TOKEN_LENGTH = 32;

/**
 * The built-in video bridge: a room link from a URL template (`VIDEO_ROOM_URL_TEMPLATE`,
 * Jitsi by default), with `{incidentId}`, `{token}` and `{key}` (a digest of the idempotency
 * key) filled in. Rooms like Jitsi's exist once someone opens the link, so nothing is
 * created here, and anyone with the link can join: `{token}`, an HMAC of the incident id
 * under a secret only the worker holds, is what keeps the link unguessable. The same
 * incident always gets the same token, so a retried step answers the same link; only the
 * link reaches workflow history, never the secret.
 */
export class LocalVideo implements VideoPort {
  private secret: string | undefined;

  constructor(private readonly settings: Pick<LocalVideoSettings, 'roomUrlTemplate' | 'roomSecret' | 'roomSecretFile'>) {}

  async createMeeting({ idempotencyKey, incidentId }: CreateMeetingCommand): Promise<Meeting> {
    const key = keyDigest(idempotencyKey, 12);
    const token = createHmac('sha256', this.roomSecret()).update(`video-room:${incidentId}`).digest('hex').slice(0, TOKEN_LENGTH);
    const joinUrl = this.settings.roomUrlTemplate
      .replaceAll('{incidentId}', encodeURIComponent(incidentId))
      .replaceAll('{token}', token)
      .replaceAll('{key}', key);
    return { id: `local-${key}`, joinUrl, created: true };
  }

  /** `VIDEO_ROOM_SECRET`, or the one generated once into `DATA_DIR` and read from there after. */
  private roomSecret(): string {
    this.secret ??= this.settings.roomSecret?.reveal() ?? readOrCreateSecret(this.settings.roomSecretFile);
    return this.secret;
  }
}

/**
 * The secret in `file`, made (32 random bytes, owner-only) if there is none. Written to a
 * temporary file and linked into place, so two workers starting together agree on one.
 */
function readOrCreateSecret(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temporary, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
  return readFileSync(file, 'utf8').trim();
}
