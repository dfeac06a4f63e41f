import { onCallAt, renderShifts } from '../model/oncall/schedule';
import { operatorFiles } from '../../runbooks';
import { loadOperatorConfig, OperatorConfigError, type OperatorFiles } from './operator-config';
import { ResponderSchema, ScheduleSchema } from './oncall-config';

const responder = (change: Record<string, unknown> = {}) => ({
  id: 'dana',
  name: 'Dana Ortiz',
  timeZone: 'Europe/Berlin',
  contact: { slack: 'U01DANA0001', email: 'dana@example.com', sms: '+15555550101', voice: '+15555550101' },
  rules: [
    { method: 'slack', afterMinutes: 0 },
    { method: 'sms', afterMinutes: 2 },
    { method: 'voice', afterMinutes: 5 },
  ],
  ...change,
});
const layer = (change: Record<string, unknown> = {}) => ({
  name: 'weekly',
  responders: ['dana'],
  start: '2026-01-05',
  handoff: '09:00',
  shift: { every: 1, unit: 'weeks' },
  ...change,
});
const schedule = (change: Record<string, unknown> = {}) => ({ id: 'primary', name: 'Primary', timeZone: 'Europe/Berlin', layers: [layer()], ...change });

const files = (responders: unknown[], schedules: unknown[]): OperatorFiles => ({
  routes: { file: 'runbooks/routes.ts', value: { routes: [], default: {} } },
  escalationPolicies: { file: 'runbooks/escalation-policies.ts', value: {} },
  heartbeats: { file: 'runbooks/heartbeats.ts', value: [] },
  responders: { file: 'runbooks/responders.ts', value: responders },
  schedules: { file: 'runbooks/schedules.ts', value: schedules },
});

function problems(responders: unknown[], schedules: unknown[] = []): string {
  try {
    loadOperatorConfig(files(responders, schedules));
  } catch (error) {
    expect(error).toBeInstanceOf(OperatorConfigError);
    return (error as OperatorConfigError).problems.join('\n');
  }
  throw new Error('loaded without a problem');
}

describe('responders', () => {
  it('loads a responder with fractional delays (tests use seconds)', () => {
    const config = loadOperatorConfig(files([responder({ rules: [{ method: 'email', afterMinutes: 0 }, { method: 'sms', afterMinutes: 0.05 }] })], []));
    expect(config.responders.get('dana')?.rules).toEqual([
      { method: 'email', afterMinutes: 0 },
      { method: 'sms', afterMinutes: 0.05 },
    ]);
    expect(ResponderSchema.safeParse(responder()).success).toBe(true);
  });

  it.each([
    [responder({ id: 'Dana' }), 'runbooks/responders.ts: 0.id: lowercase letters'],
    [responder({ timeZone: 'Europe/Atlantis' }), 'runbooks/responders.ts: 0.timeZone: not an IANA time zone'],
    [responder({ contact: { email: 'dana' }, rules: [{ method: 'email', afterMinutes: 0 }] }), '0.contact.email: an email address'],
    [responder({ contact: { sms: '0151 555 0101' }, rules: [{ method: 'sms', afterMinutes: 0 }] }), '0.contact.sms: an E.164 phone number'],
    [responder({ contact: { voice: '+1555' }, rules: [{ method: 'voice', afterMinutes: 0 }] }), '0.contact.voice: an E.164 phone number'],
    [responder({ contact: { slack: 'dana' }, rules: [{ method: 'slack', afterMinutes: 0 }] }), '0.contact.slack: a Slack user id'],
    [responder({ contact: { pager: 'x' } }), '0.contact: Unrecognized key'],
    [responder({ contact: { email: 'dana@example.com' } }), '0.rules.0.method: no slack address in contact'],
    [responder({ rules: [] }), '0.rules: a responder is notified by at least one rule'],
    [responder({ rules: Array.from({ length: 11 }, () => ({ method: 'slack', afterMinutes: 0 })) }), '0.rules: Too big'],
    [responder({ rules: [{ method: 'slack', afterMinutes: 1441 }] }), '0.rules.0.afterMinutes: Too big'],
    [responder({ rules: [{ method: 'slack', afterMinutes: -1 }] }), '0.rules.0.afterMinutes: Too small'],
    [responder({ rules: [{ method: 'pigeon', afterMinutes: 0 }] }), '0.rules.0.method: Invalid option'],
    [responder({ rules: [{ method: 'sms', afterMinutes: 5 }, { method: 'slack', afterMinutes: 0 }] }), '0.rules.1.afterMinutes: rules are listed in the order they fire'],
  ])('names the file and field of a mistake (%#)', (value, message) => {
    expect(problems([value])).toContain(message);
  });

  it('refuses an id used twice', () => {
    expect(problems([responder(), responder({ name: 'Dana again' })])).toContain('runbooks/responders.ts: 1.id: "dana" is used twice');
  });
});

describe('schedules', () => {
  const people = [responder(), responder({ id: 'sam', name: 'Sam' })];

  it('loads a schedule with restrictions, 24:00 ends and windows past midnight', () => {
    const restrictions = [
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' },
      { days: ['fri'], from: '22:00', to: '06:00' },
      { days: ['sat'], from: '12:00', to: '24:00' },
      // Touches Saturday's window at midnight: touching is not overlapping.
      { days: ['sun'], from: '00:00', to: '08:00' },
    ];
    const config = loadOperatorConfig(files(people, [schedule({ layers: [layer(), layer({ name: 'office', responders: ['sam', 'dana'], restrictions })] })]));
    expect(config.schedules.get('primary')?.layers[1].restrictions).toEqual(restrictions);
    expect(ScheduleSchema.safeParse(schedule()).success).toBe(true);
  });

  it.each([
    [schedule({ timeZone: 'CEST' }), 'runbooks/schedules.ts: 0.timeZone: not an IANA time zone'],
    [schedule({ layers: [] }), '0.layers: a schedule has at least one layer'],
    [schedule({ layers: [layer(), layer()] }), '0.layers.1.name: "weekly" is used twice'],
    [schedule({ layers: [layer({ responders: ['nobody'] })] }), 'runbooks/schedules.ts: 0.layers.0.responders.0: no responder "nobody" in runbooks/responders.ts'],
    [schedule({ layers: [layer({ responders: [] })] }), '0.layers.0.responders: a layer rotates at least one responder'],
    [schedule({ layers: [layer({ responders: Array.from({ length: 101 }, () => 'dana') })] }), '0.layers.0.responders: Too big'],
    [schedule({ layers: Array.from({ length: 51 }, (_, i) => layer({ name: `l${i}` })) }), '0.layers: Too big'],
    [schedule({ layers: [layer({ start: '2026-02-30' })] }), '0.layers.0.start: not a date in the calendar'],
    [schedule({ layers: [layer({ start: '5 Jan 2026' })] }), '0.layers.0.start: YYYY-MM-DD'],
    [schedule({ layers: [layer({ handoff: '9:00' })] }), '0.layers.0.handoff: HH:MM'],
    [schedule({ layers: [layer({ handoff: '24:00' })] }), '0.layers.0.handoff: HH:MM'],
    [schedule({ layers: [layer({ shift: { every: 0, unit: 'days' } })] }), '0.layers.0.shift.every: Too small'],
    [schedule({ layers: [layer({ shift: { every: 1.5, unit: 'days' } })] }), '0.layers.0.shift.every'],
    [schedule({ layers: [layer({ shift: { every: 169, unit: 'hours' } })] }), '0.layers.0.shift.every: at most 168 hours'],
    [schedule({ layers: [layer({ shift: { every: 366, unit: 'days' } })] }), '0.layers.0.shift.every: at most 365 days'],
    [schedule({ layers: [layer({ shift: { every: 53, unit: 'weeks' } })] }), '0.layers.0.shift.every: at most 52 weeks'],
    [schedule({ layers: [layer({ shift: { every: 1, unit: 'months' } })] }), '0.layers.0.shift.unit: Invalid option'],
    [schedule({ layers: [layer({ restrictions: [{ days: ['mon'], from: '09:00', to: '09:00' }] })] }), '0.layers.0.restrictions.0.to: a window from and to the same time is ambiguous'],
    [schedule({ layers: [layer({ restrictions: [{ days: ['mon'], from: '09:00', to: '25:00' }] })] }), '0.layers.0.restrictions.0.to: HH:MM, 00:00 to 24:00'],
    [schedule({ layers: [layer({ restrictions: [{ days: [], from: '09:00', to: '17:00' }] })] }), '0.layers.0.restrictions.0.days: a restriction names at least one day'],
    [schedule({ layers: [layer({ restrictions: [{ days: ['mon', 'mon'], from: '09:00', to: '17:00' }] })] }), '0.layers.0.restrictions.0.days: a day is named twice'],
    [schedule({ layers: [layer({ restrictions: [] })] }), '0.layers.0.restrictions: leave restrictions out'],
    [
      schedule({ layers: [layer({ restrictions: [{ days: ['mon', 'tue'], from: '09:00', to: '17:00' }, { days: ['tue'], from: '16:00', to: '20:00' }] })] }),
      'runbooks/schedules.ts: 0.layers.0.restrictions.1: overlaps restriction 0',
    ],
    [
      // Sunday night runs past the week's end into Monday morning.
      schedule({ layers: [layer({ restrictions: [{ days: ['mon'], from: '05:00', to: '09:00' }, { days: ['sun'], from: '22:00', to: '06:00' }] })] }),
      '0.layers.0.restrictions.1: overlaps restriction 0',
    ],
  ])('names the file and field of a mistake (%#)', (value, message) => {
    expect(problems(people, [value])).toContain(message);
  });

  it('refuses a schedule id used twice', () => {
    expect(problems(people, [schedule(), schedule({ name: 'Again' })])).toContain('runbooks/schedules.ts: 1.id: "primary" is used twice');
  });

  it('loads nobody and no schedules from callers that pass neither file', () => {
    const { routes, escalationPolicies, heartbeats } = files([], []);
    const config = loadOperatorConfig({ routes, escalationPolicies, heartbeats });
    expect(config.responders.size + config.schedules.size).toBe(0);
  });
});

describe('the shipped runbooks/ files', () => {
  const config = loadOperatorConfig(operatorFiles);

  it('put someone on call in the primary schedule at every moment of the next year', () => {
    const primary = config.schedules.get('primary')!;
    const start = Date.now();
    for (let from = start; from < start + 365 * 86_400_000; from += 90 * 86_400_000) {
      const to = from + 90 * 86_400_000;
      const shifts = renderShifts(primary, [], from, to);
      expect(Date.parse(shifts[0].from)).toBe(from);
      shifts.forEach((shift, i) => expect(shift.to).toBe(shifts[i + 1]?.from ?? new Date(to).toISOString()));
    }
    expect(onCallAt(config.schedules.get('secondary')!, [], start)).toBeDefined();
  });

  it('page the primary schedule first on the default route', () => {
    const policy = config.escalationPolicies.get(config.defaultRoute.escalationPolicy!)!;
    expect(policy.levels.map((level) => level.targets)).toEqual([['schedule:primary'], ['schedule:secondary'], ['user:lee']]);
  });
});
