import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadIntegrationsConfig, type LocalVideoSettings } from '../../core/schemas/integrations-config';
import { LocalVideo } from './local';

describe('the built-in video room: private by default', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'firebreak-video-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const video = (env: Record<string, string> = {}) =>
    new LocalVideo(loadIntegrationsConfig({ DATA_DIR: dataDir, ...env }).video as LocalVideoSettings);
  const meeting = (incidentId: string, idempotencyKey = `${incidentId}/bridge`) => ({ idempotencyKey, incidentId, topic: 'bridge' });

  it('puts an unguessable token in the default room link: the same for the same incident, never the secret', async () => {
    const secret = 'operator-room-secret-0123';
    const rooms = video({ VIDEO_ROOM_SECRET: secret });
    const first = await rooms.createMeeting(meeting('inc-1'));
    expect(first.joinUrl).toMatch(/^https:\/\/meet\.jit\.si\/firebreak-inc-1-[0-9a-f]{32}$/);
    // A retried step, or another step of the same incident, answers the same room.
    expect((await rooms.createMeeting(meeting('inc-1'))).joinUrl).toBe(first.joinUrl);
    expect((await video({ VIDEO_ROOM_SECRET: secret }).createMeeting(meeting('inc-1', 'inc-1/other'))).joinUrl).toBe(first.joinUrl);
    // Another incident, or another secret, gets another token.
    expect((await rooms.createMeeting(meeting('inc-2'))).joinUrl).not.toBe(first.joinUrl.replace('inc-1', 'inc-2'));
    expect((await video({ VIDEO_ROOM_SECRET: 'another-secret-0123456' }).createMeeting(meeting('inc-1'))).joinUrl).not.toBe(first.joinUrl);
    expect(first.joinUrl).not.toContain(secret);
  });

  it('without VIDEO_ROOM_SECRET, generates one secret into DATA_DIR once (owner-only) and keeps using it', async () => {
    const [a, b] = [video(), video()];
    const [first, second] = await Promise.all([a.createMeeting(meeting('inc-1')), b.createMeeting(meeting('inc-1'))]);
    expect(first.joinUrl).toBe(second.joinUrl);
    const file = join(dataDir, 'video-room-secret');
    const secret = readFileSync(file, 'utf8').trim();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.joinUrl).not.toContain(secret);
    // A restarted worker reads the same secret: the incident's room link does not change.
    expect((await video().createMeeting(meeting('inc-1'))).joinUrl).toBe(first.joinUrl);
    expect((await video({ VIDEO_ROOM_SECRET: secret }).createMeeting(meeting('inc-1'))).joinUrl).toBe(first.joinUrl);
  });
});
