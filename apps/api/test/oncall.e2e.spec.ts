import { randomUUID } from 'node:crypto';
import { useTestFirebreak } from '../../../test/firebreak';
import { testOperatorConfig } from '../../../test/operator';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const iso = (ms: number) => new Date(ms).toISOString();

// Overrides live in one workflow per schedule id, so this file's schedules have ids of their own.
const run = randomUUID().slice(0, 8);
const PRIMARY = `primary-${run}`;
const SECONDARY = `secondary-${run}`;

const responder = (id: string, name: string) => ({
  id,
  name,
  timeZone: 'Europe/Berlin',
  contact: { email: `${id}@example.com`, sms: `+4915112345${id.length}${id.charCodeAt(0)}` },
  rules: [{ method: 'email' as const, afterMinutes: 0 }],
});

/**
 * Primary: dana and eli by turns, a day each, handing over at 09:00 UTC from 2024-01-01 (so
 * 2025-01-01 09:00 starts shift 366, dana's). Secondary: fay around the clock.
 */
const operator = testOperatorConfig({
  responders: [responder('dana', 'Dana Scully'), responder('eli', 'Eli Vance'), responder('fay', 'Fay <script>')],
  schedules: [
    {
      id: PRIMARY,
      name: 'Primary',
      timeZone: 'UTC',
      layers: [{ name: 'daily', responders: ['dana', 'eli'], start: '2024-01-01', handoff: '09:00', shift: { every: 1, unit: 'days' } }],
    },
    {
      id: SECONDARY,
      name: 'Secondary',
      timeZone: 'Europe/Berlin',
      layers: [{ name: 'always', responders: ['fay'], start: '2024-01-01', handoff: '00:00', shift: { every: 1, unit: 'weeks' } }],
    },
  ],
});

/** The properties of the events of an iCalendar document, read by RFC 5545's rules (lines unfolded, text unescaped). */
function parseICalendar(text: string): { calendar: Record<string, string>; events: Array<Record<string, string>> } {
  expect(text).toMatch(/^BEGIN:VCALENDAR\r\n[\s\S]*END:VCALENDAR\r\n$/);
  for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n').filter(Boolean);
  const unescape = (value: string) => value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
  const stack: string[] = [];
  const calendar: Record<string, string> = {};
  const events: Array<Record<string, string>> = [];
  for (const line of lines) {
    const match = /^([A-Z0-9-]+)((?:;[^:]*)?):(.*)$/.exec(line);
    if (!match) throw new Error(`not a content line: ${line}`);
    const [, name, , value] = match;
    if (name === 'BEGIN') {
      stack.push(value);
      if (value === 'VEVENT') events.push({});
    } else if (name === 'END') {
      expect(stack.pop()).toBe(value);
    } else if (stack.at(-1) === 'VEVENT') events[events.length - 1][name] = unescape(value);
    else if (stack.at(-1) === 'VCALENDAR') calendar[name] = unescape(value);
  }
  expect(stack).toEqual([]);
  return { calendar, events };
}

describe('on call over HTTP: who is on call, schedules, overrides, calendar feeds', () => {
  const e2e = useTestFirebreak({ operator });
  const admin = () => e2e.firebreak.as('admin');
  const remove = (scheduleId: string, overrideId: string, client = admin()) => client.request('DELETE', `/v1/schedules/${scheduleId}/overrides/${overrideId}`);
  const onCallNow = async (scheduleId: string) => (await e2e.viewer.get(`/v1/oncall?schedule=${scheduleId}`)).body.oncall[0].shift;

  it('says who is on call now and at any moment, on every schedule or one', async () => {
    const at = await e2e.viewer.get('/v1/oncall?at=2025-01-01T12:00:00Z');
    expect(at.status).toBe(200);
    expect(at.body).toEqual({
      at: '2025-01-01T12:00:00.000Z',
      oncall: [
        {
          schedule: { id: PRIMARY, name: 'Primary' },
          shift: {
            responder: { id: 'dana', name: 'Dana Scully' },
            from: '2025-01-01T09:00:00.000Z',
            to: '2025-01-02T09:00:00.000Z',
            source: { kind: 'layer', layer: 'daily' },
          },
        },
        { schedule: { id: SECONDARY, name: 'Secondary' }, shift: expect.objectContaining({ responder: { id: 'fay', name: 'Fay <script>' } }) },
      ],
    });
    const nextDay = await e2e.viewer.get(`/v1/oncall?at=2025-01-02T09:00:00%2B00:00&schedule=${PRIMARY}`);
    expect(nextDay.body.oncall).toEqual([{ schedule: { id: PRIMARY, name: 'Primary' }, shift: expect.objectContaining({ responder: { id: 'eli', name: 'Eli Vance' } }) }]);

    const before = Date.now();
    const now = await e2e.viewer.get('/v1/oncall');
    const nowMs = Date.parse(now.body.at);
    expect(nowMs).toBeGreaterThanOrEqual(before - 1000);
    const shift = now.body.oncall[0].shift;
    expect(['dana', 'eli']).toContain(shift.responder.id);
    expect(Date.parse(shift.from)).toBeLessThanOrEqual(nowMs);
    expect(Date.parse(shift.to)).toBeGreaterThan(nowMs);

    expect((await e2e.viewer.get('/v1/oncall?schedule=nope')).body).toMatchObject({ statusCode: 404, message: 'no schedule nope' });
  });

  it('lists schedules with their layers and no contact details', async () => {
    const list = await e2e.viewer.get('/v1/schedules');
    expect(list.status).toBe(200);
    expect(list.body.schedules.map((schedule: { id: string }) => schedule.id)).toEqual([PRIMARY, SECONDARY]);
    expect(list.body.schedules[0]).toEqual({
      id: PRIMARY,
      name: 'Primary',
      timeZone: 'UTC',
      layers: [{ name: 'daily', responders: ['dana', 'eli'], start: '2024-01-01', handoff: '09:00', shift: { every: 1, unit: 'days' } }],
    });
    expect(list.text).not.toContain('@example.com');
    expect(list.text).not.toContain('+49');
  });

  it('renders the shifts of a window, each with its source, and refuses a window past 90 days naming `to`', async () => {
    const window = await e2e.viewer.get(`/v1/schedules/${PRIMARY}?from=2025-01-01T09:00:00Z&to=2025-01-04T09:00:00Z`);
    expect(window.status).toBe(200);
    expect(window.body).toMatchObject({ id: PRIMARY, from: '2025-01-01T09:00:00.000Z', to: '2025-01-04T09:00:00.000Z', overrides: [] });
    expect(window.body.shifts.map((shift: { responder: { id: string }; from: string; source: unknown }) => [shift.responder.id, shift.from, shift.source])).toEqual([
      ['dana', '2025-01-01T09:00:00.000Z', { kind: 'layer', layer: 'daily' }],
      ['eli', '2025-01-02T09:00:00.000Z', { kind: 'layer', layer: 'daily' }],
      ['dana', '2025-01-03T09:00:00.000Z', { kind: 'layer', layer: 'daily' }],
    ]);
    expect(window.body.calendar.url).toMatch(new RegExp(`/v1/schedules/${PRIMARY}/calendar\\.ics\\?token=[A-Za-z0-9_-]+$`));

    // By default: from now, 14 days.
    const standard = (await e2e.viewer.get(`/v1/schedules/${PRIMARY}`)).body;
    expect(Date.parse(standard.to) - Date.parse(standard.from)).toBe(14 * DAY_MS);
    expect(standard.shifts).toHaveLength(15);

    const tooLong = await e2e.viewer.get(`/v1/schedules/${PRIMARY}?from=2025-01-01T00:00:00Z&to=2025-04-02T00:00:01Z`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.issues).toEqual([{ path: 'to', rule: 'too_big', message: 'the window may be at most 90 days' }]);
    const backwards = await e2e.viewer.get(`/v1/schedules/${PRIMARY}?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z`);
    expect(backwards.body.issues).toEqual([expect.objectContaining({ path: 'to', rule: 'not_after_from' })]);
    expect((await e2e.viewer.get(`/v1/schedules/${PRIMARY}?from=yesterday`)).body.issues).toEqual([expect.objectContaining({ path: 'from' })]);
    expect((await e2e.viewer.get('/v1/oncall?at=2025-13-01T00:00:00Z')).body.issues).toEqual([expect.objectContaining({ path: 'at' })]);
    expect((await e2e.viewer.get(`/v1/schedules/${PRIMARY}?when=now`)).body.issues).toEqual([expect.objectContaining({ rule: 'unrecognized_keys' })]);
    expect((await e2e.viewer.get('/v1/schedules/nope')).status).toBe(404);
  });

  it('adds an override that /v1/oncall shows at once, and removes it', async () => {
    const before = await onCallNow(PRIMARY);
    const now = Date.now();
    const added = await admin().post(`/v1/schedules/${PRIMARY}/overrides`, { responder: 'fay', from: iso(now), to: iso(now + 2 * HOUR_MS), reason: 'Dana at the dentist' });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      responder: 'fay',
      from: iso(now),
      to: iso(now + 2 * HOUR_MS),
      createdBy: 'ops',
      createdAt: expect.any(String),
      reason: 'Dana at the dentist',
    });
    const overrideId: string = added.body.id;

    expect(await onCallNow(PRIMARY)).toEqual({
      responder: { id: 'fay', name: 'Fay <script>' },
      from: iso(now),
      to: iso(now + 2 * HOUR_MS),
      source: { kind: 'override', overrideId },
    });
    const schedule = (await e2e.viewer.get(`/v1/schedules/${PRIMARY}`)).body;
    expect(schedule.overrides).toEqual([added.body]);
    expect(schedule.shifts[0]).toMatchObject({ responder: { id: 'fay' }, source: { kind: 'override', overrideId } });
    // Other schedules are not touched.
    expect((await onCallNow(SECONDARY)).source).toEqual({ kind: 'layer', layer: 'always' });

    const removed = await remove(PRIMARY, overrideId, admin());
    expect(removed.status).toBe(204);
    expect(removed.text).toBe('');
    expect((await onCallNow(PRIMARY)).responder).toEqual(before.responder);
    expect((await e2e.viewer.get(`/v1/schedules/${PRIMARY}`)).body.overrides).toEqual([]);
    expect((await remove(PRIMARY, randomUUID())).body).toMatchObject({ statusCode: 404, message: expect.stringMatching(/^no override /) });
    expect((await remove('nope', overrideId)).status).toBe(404);
  });

  it('answers every bad override 400 naming the field and the rule, and adds nothing', async () => {
    const now = Date.now();
    const post = (body: Record<string, unknown>) => admin().post(`/v1/schedules/${SECONDARY}/overrides`, body);
    const valid = { responder: 'dana', from: iso(now + HOUR_MS), to: iso(now + 2 * HOUR_MS) };
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ ...valid, from: iso(now - 2 * HOUR_MS), to: iso(now - HOUR_MS) }, 'to', 'in_past'],
      [{ ...valid, from: iso(now - 10 * 60_000) }, 'from', 'in_past'],
      [{ ...valid, from: iso(now + 2 * HOUR_MS), to: iso(now + HOUR_MS) }, 'to', 'not_after_from'],
      [{ ...valid, to: valid.from }, 'to', 'not_after_from'],
      [{ ...valid, to: iso(now + HOUR_MS + 31 * DAY_MS + 60_000) }, 'to', 'too_long'],
      [{ ...valid, responder: 'nobody' }, 'responder', 'unknown_responder'],
      [{ ...valid, responder: 'Not An Id' }, 'responder', 'invalid_format'],
      [{ ...valid, from: 'tomorrow morning' }, 'from', 'invalid_format'],
      [{ ...valid, to: '2026-02-30T09:00:00Z' }, 'to', 'invalid_format'],
      [{ ...valid, to: '2030-01-01T09:00:00' }, 'to', 'invalid_format'],
      [{ ...valid, reason: 'line\nbreak' }, 'reason', 'custom'],
      [{ ...valid, until: valid.to }, '(body)', 'unrecognized_keys'],
    ];
    for (const [body, path, rule] of cases) {
      const answer = await post(body);
      expect({ body, status: answer.status, issues: answer.body.issues }).toEqual({
        body,
        status: 400,
        issues: expect.arrayContaining([expect.objectContaining({ path, rule })]),
      });
    }
    expect((await e2e.viewer.get(`/v1/schedules/${SECONDARY}`)).body.overrides).toEqual([]);
    expect((await admin().post('/v1/schedules/nope/overrides', valid)).status).toBe(404);
  });

  it('lets only an admin change overrides', async () => {
    const now = Date.now();
    const body = { responder: 'eli', from: iso(now + HOUR_MS), to: iso(now + 2 * HOUR_MS) };
    for (const role of ['viewer', 'responder', 'commander'] as const) {
      expect((await e2e.firebreak.as(role).post(`/v1/schedules/${SECONDARY}/overrides`, body)).status).toBe(403);
    }
    expect((await e2e.firebreak.http.get('/v1/oncall')).status).toBe(401);
    const added = await admin().post(`/v1/schedules/${SECONDARY}/overrides`, body);
    expect(added.status).toBe(201);
    expect((await remove(SECONDARY, added.body.id, e2e.viewer)).status).toBe(403);
    expect((await remove(SECONDARY, added.body.id, e2e.responder)).status).toBe(403);
    expect((await e2e.viewer.get(`/v1/schedules/${SECONDARY}`)).body.overrides).toEqual([added.body]);
    expect((await remove(SECONDARY, added.body.id)).status).toBe(204);
  });

  it('serves the shifts as an iCalendar feed, by API key or by the schedule\'s own feed token', async () => {
    const now = Date.now();
    const override = (await admin().post(`/v1/schedules/${PRIMARY}/overrides`, { responder: 'fay', from: iso(now + DAY_MS), to: iso(now + DAY_MS + 3 * HOUR_MS), reason: 'swap; with, Eli' })).body;
    const window = 'from=2025-01-01T12:00:00Z&to=2025-01-03T12:00:00Z';

    const feed = await e2e.viewer.get(`/v1/schedules/${PRIMARY}/calendar.ics?${window}`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(feed.headers.get('referrer-policy')).toBe('no-referrer');
    const { calendar, events } = parseICalendar(feed.text);
    expect(calendar).toMatchObject({ VERSION: '2.0', PRODID: expect.stringContaining('Firebreak'), METHOD: 'PUBLISH' });
    // The shifts at the window's edges are whole, so they keep their start (and UID) in every window.
    expect(events.map((event) => [event.DTSTART, event.DTEND, event.SUMMARY])).toEqual([
      ['20250101T090000Z', '20250102T090000Z', 'On call: Dana Scully (Primary)'],
      ['20250102T090000Z', '20250103T090000Z', 'On call: Eli Vance (Primary)'],
      ['20250103T090000Z', '20250104T090000Z', 'On call: Dana Scully (Primary)'],
    ]);
    expect(events[1].DESCRIPTION).toBe('Eli Vance is on call for Primary (layer daily).');
    expect(events[1]['X-FIREBREAK-SOURCE']).toBe('layer:daily');
    expect(new Set(events.map((event) => event.UID)).size).toBe(3);
    const shifted = parseICalendar((await e2e.viewer.get(`/v1/schedules/${PRIMARY}/calendar.ics?from=2025-01-02T10:00:00Z&to=2025-01-05T00:00:00Z`)).text);
    expect(shifted.events.slice(0, 2).map((event) => event.UID)).toEqual(events.slice(1).map((event) => event.UID));

    // The default window (a week back, 60 days ahead) holds the override, named as such.
    const token = (await e2e.viewer.get(`/v1/schedules/${PRIMARY}`)).body.calendar.token;
    const byToken = await e2e.firebreak.http.get(`/v1/schedules/${PRIMARY}/calendar.ics?token=${token}`);
    expect(byToken.status).toBe(200);
    const current = parseICalendar(byToken.text).events;
    expect(current.length).toBeGreaterThanOrEqual(67);
    const covered = current.find((event) => event['X-FIREBREAK-SOURCE'] === `override:${override.id}`);
    expect(covered).toMatchObject({ SUMMARY: 'On call: Fay <script> (Primary)', DESCRIPTION: 'Fay <script> is on call for Primary (override by ops: swap; with, Eli).' });

    expect((await e2e.firebreak.http.get(`/v1/schedules/${PRIMARY}/calendar.ics`)).status).toBe(401);
    expect((await e2e.firebreak.http.get(`/v1/schedules/${PRIMARY}/calendar.ics?token=${token.slice(1)}x`)).status).toBe(401);
    // A token opens its own schedule's feed only.
    expect((await e2e.firebreak.http.get(`/v1/schedules/${SECONDARY}/calendar.ics?token=${token}`)).status).toBe(401);
    const tooBig = await e2e.viewer.get(`/v1/schedules/${PRIMARY}/calendar.ics?from=2025-01-01T00:00:00Z&to=2025-06-01T00:00:00Z`);
    expect(tooBig.headers.get('content-type')).toMatch(/^application\/json/);
    expect(tooBig.body.issues).toEqual([expect.objectContaining({ path: 'to', rule: 'too_big' })]);
    expect((await remove(PRIMARY, override.id)).status).toBe(204);
  });

  it("lists an incident's notifications, and answers 400 for a bad id and 404 for an unknown one", async () => {
    const declared = await e2e.responder.post('/v1/incidents', { title: 'Nobody paged', severity: 'SEV3' });
    const listed = await e2e.viewer.get(`/v1/notifications?incidentId=${declared.body.id}`);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ incidentId: declared.body.id, notifications: [], notificationsDropped: 0 });
    expect((await e2e.viewer.get('/v1/notifications?incidentId=inc-0123456789ab')).body).toMatchObject({ statusCode: 404, message: 'no incident inc-0123456789ab' });
    expect((await e2e.viewer.get('/v1/notifications?incidentId=not-an-id')).body.issues).toEqual([expect.objectContaining({ path: 'incidentId' })]);
    expect((await e2e.viewer.get('/v1/notifications')).body.issues).toEqual([expect.objectContaining({ path: 'incidentId' })]);
  });
});
