import { randomUUID } from 'node:crypto';
import { TEST_KEYS, useTestFirebreak } from '../../../test/firebreak';
import { testOperatorConfig } from '../../../test/operator';
import { buildCli, TestCli } from './cli';

// Overrides live in one workflow per schedule id, so this file's schedules have ids of their own.
const run = randomUUID().slice(0, 8);
const PRIMARY = `cli-primary-${run}`;
const SECONDARY = `cli-secondary-${run}`;

const responder = (id: string, name: string) => ({
  id,
  name,
  timeZone: 'Europe/Berlin',
  contact: { email: `${id}@example.com` },
  rules: [{ method: 'email' as const, afterMinutes: 0 }],
});

/** Primary: dana and eli by turns, a day each, handing over at 09:00 UTC (2025-01-01 09:00 starts dana's). Secondary: fay always. */
const operator = testOperatorConfig({
  responders: [responder('dana', 'Dana Scully'), responder('eli', 'Eli Vance'), responder('fay', 'Fay Wray')],
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

describe('the firebreak CLI: on call and schedule overrides, against a real Firebreak', () => {
  const e2e = useTestFirebreak({ operator });
  let cli: TestCli;

  beforeAll(async () => {
    cli = new TestCli(buildCli('oncall'));
    // Overrides are an admin's.
    await cli.ok(['login', '--url', e2e.firebreak.http.baseUrl, '--key', TEST_KEYS.admin]);
  });

  it('says who is on call at a moment, as a table and as JSON', async () => {
    const at = '2025-01-01T12:00:00Z';
    const answer = await cli.json(['oncall', '--at', at]);
    expect(answer).toEqual((await e2e.viewer.get(`/v1/oncall?at=${at}`)).body);
    expect(answer.oncall).toEqual([
      {
        schedule: { id: PRIMARY, name: 'Primary' },
        shift: { responder: { id: 'dana', name: 'Dana Scully' }, from: '2025-01-01T09:00:00.000Z', to: '2025-01-02T09:00:00.000Z', source: { kind: 'layer', layer: 'daily' } },
      },
      expect.objectContaining({ schedule: { id: SECONDARY, name: 'Secondary' }, shift: expect.objectContaining({ responder: { id: 'fay', name: 'Fay Wray' } }) }),
    ]);
    const table = (await cli.ok(['oncall', '--at', at, '--schedule', PRIMARY])).split('\n');
    expect(table[0]).toMatch(/^SCHEDULE\s+ON CALL\s+FROM\s+TO\s+SOURCE$/);
    expect(table[1]).toMatch(new RegExp(`^${PRIMARY}\\s+Dana Scully \\(dana\\)\\s+2025-01-01 09:00:00Z\\s+2025-01-02 09:00:00Z\\s+layer daily$`));
  });

  it('lists the schedules', async () => {
    const list = await cli.json(['schedules', 'ls']);
    expect(list.schedules.map((schedule: { id: string }) => schedule.id)).toEqual([PRIMARY, SECONDARY]);
    expect(await cli.ok(['schedules', 'ls'])).toMatch(new RegExp(`\n${SECONDARY}\\s+Secondary\\s+Europe/Berlin\\s+always \\(fay\\)\n`));
  });

  it('puts someone on call with an override, from now for a while', async () => {
    const override = await cli.json(['schedules', 'override', PRIMARY, '--responder', 'fay', '--from', 'now', '--to', '+2h', '--reason', 'swap for the on-call handover']);
    expect(override).toEqual({
      id: expect.any(String),
      responder: 'fay',
      from: expect.any(String),
      to: expect.any(String),
      createdBy: 'ops',
      createdAt: expect.any(String),
      reason: 'swap for the on-call handover',
    });
    expect(Date.parse(override.to) - Date.parse(override.from)).toBe(2 * 60 * 60 * 1000);
    const now = await cli.json(['oncall', '--schedule', PRIMARY]);
    expect(now.oncall[0].shift).toMatchObject({ responder: { id: 'fay' }, source: { kind: 'override', overrideId: override.id } });
    expect(await cli.ok(['oncall', '--schedule', PRIMARY])).toMatch(new RegExp(`\n${PRIMARY}\\s+Fay Wray \\(fay\\)\\s+.+\\s+override ${override.id}\n`));

    const text = await cli.ok(['schedules', 'override', SECONDARY, '--responder', 'eli', '--from', '+1d', '--to', '+2d']);
    expect(text).toMatch(new RegExp(`^override \\S+: eli on call on ${SECONDARY} from \\d{4}-.+Z to \\d{4}-.+Z\n$`));
  });

  it('refuses an unknown responder (2), an unknown schedule (3), a time it cannot read (2)', async () => {
    const unknown = await cli.run(['schedules', 'override', PRIMARY, '--responder', 'nobody', '--from', 'now', '--to', '+1h']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/\n {2}- responder: .+\n$/);
    expect((await cli.run(['schedules', 'override', 'no-such-schedule', '--responder', 'fay', '--from', 'now', '--to', '+1h'])).code).toBe(3);
    const unreadable = await cli.run(['schedules', 'override', PRIMARY, '--responder', 'fay', '--from', 'tomorrow', '--to', '+1h']);
    expect(unreadable).toMatchObject({ code: 2, stderr: 'error: --from "tomorrow": give an ISO time with a zone (2026-03-01T09:00:00Z), now, or +8h / -30m / +2d\n' });
    expect((await cli.run(['oncall', '--at', 'yesterday'])).code).toBe(2);
    const viewer = await cli.run(['schedules', 'override', PRIMARY, '--responder', 'fay', '--from', 'now', '--to', '+1h'], { env: { FIREBREAK_KEY: TEST_KEYS.viewer } });
    expect(viewer.code).toBe(4);
  });
});
