import fc from 'fast-check';
import { DateTime } from 'luxon';
import { MAX_RENDER_DAYS, minutesOf, onCallAt, renderShifts } from './schedule';
import { WEEKDAYS, type Layer, type Override, type Restriction, type Schedule, type Shift } from './types';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const layer = (change: Partial<Layer> = {}): Layer => ({
  name: 'base',
  responders: ['ada'],
  start: '2026-01-05',
  handoff: '09:00',
  shift: { every: 1, unit: 'weeks' },
  ...change,
});
const schedule = (layers: Layer[], timeZone = 'Europe/Berlin'): Schedule => ({ id: 'primary', name: 'Primary', timeZone, layers });
const override = (id: string, responder: string, from: string, to: string, createdAt = '2026-01-01T00:00:00Z'): Override => ({
  id,
  responder,
  from,
  to,
  createdBy: 'ops',
  createdAt,
});

/** Shifts as `responder source from→to` in the schedule's local time, for reading at a glance. */
function local(shifts: Shift[], zone = 'Europe/Berlin'): string[] {
  const at = (iso: string) => DateTime.fromISO(iso, { zone }).toFormat('ccc dd HH:mm');
  return shifts.map((shift) => `${shift.responder} ${shift.source.kind === 'layer' ? shift.source.layer : shift.source.overrideId} ${at(shift.from)}→${at(shift.to)}`);
}
const render = (s: Schedule, from: string, to: string, overrides: Override[] = []) => renderShifts(s, overrides, Date.parse(from), Date.parse(to));
const hours = (shift: Shift) => (Date.parse(shift.to) - Date.parse(shift.from)) / HOUR;

describe('rotations', () => {
  it('rotates hours as elapsed time, not on call before the first shift', () => {
    const s = schedule([layer({ responders: ['ada', 'bo', 'cy'], start: '2026-01-05', handoff: '06:00', shift: { every: 8, unit: 'hours' } })], 'UTC');
    expect(local(render(s, '2026-01-05T00:00:00Z', '2026-01-06T12:00:00Z'), 'UTC')).toEqual([
      'ada base Mon 05 06:00→Mon 05 14:00',
      'bo base Mon 05 14:00→Mon 05 22:00',
      'cy base Mon 05 22:00→Tue 06 06:00',
      'ada base Tue 06 06:00→Tue 06 12:00',
    ]);
  });

  it('rotates days in the zone, picking the right person far from the start', () => {
    const s = schedule([layer({ responders: ['ada', 'bo'], start: '2026-01-01', handoff: '08:30', shift: { every: 2, unit: 'days' } })]);
    // 2026-02-10 08:30 is 40 days, 20 shifts, after the start: ada's turn again.
    expect(local(render(s, '2026-02-10T00:00:00+01:00', '2026-02-14T00:00:00+01:00'))).toEqual([
      'bo base Tue 10 00:00→Tue 10 08:30',
      'ada base Tue 10 08:30→Thu 12 08:30',
      'bo base Thu 12 08:30→Sat 14 00:00',
    ]);
  });

  it('rotates weeks, handing over at the handoff time', () => {
    const s = schedule([layer({ responders: ['ada', 'bo', 'cy'] })]);
    expect(local(render(s, '2026-01-01T00:00:00+01:00', '2026-02-01T00:00:00+01:00'))).toEqual([
      'ada base Mon 05 09:00→Mon 12 09:00',
      'bo base Mon 12 09:00→Mon 19 09:00',
      'cy base Mon 19 09:00→Mon 26 09:00',
      'ada base Mon 26 09:00→Sun 01 00:00',
    ]);
  });

  it('joins the shifts of a person who follows themselves', () => {
    const s = schedule([layer({ responders: ['ada', 'ada', 'bo'], shift: { every: 1, unit: 'days' } })]);
    expect(local(render(s, '2026-01-05T00:00:00+01:00', '2026-01-09T00:00:00+01:00'))).toEqual([
      'ada base Mon 05 09:00→Wed 07 09:00',
      'bo base Wed 07 09:00→Thu 08 09:00',
      'ada base Thu 08 09:00→Fri 09 00:00',
    ]);
  });
});

describe('layers', () => {
  it('lets a later layer cover the ones before it from where it is on call', () => {
    const s = schedule([
      layer({ responders: ['ada'], start: '2026-01-01', handoff: '00:00' }),
      layer({ name: 'later', responders: ['bo', 'cy'], start: '2026-01-07', handoff: '12:00', shift: { every: 1, unit: 'days' } }),
    ]);
    expect(local(render(s, '2026-01-06T00:00:00+01:00', '2026-01-09T00:00:00+01:00'))).toEqual([
      'ada base Tue 06 00:00→Wed 07 12:00',
      'bo later Wed 07 12:00→Thu 08 12:00',
      'cy later Thu 08 12:00→Fri 09 00:00',
    ]);
  });
});

describe('restrictions', () => {
  const weekdays: Restriction = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' };

  it('puts a layer on call only inside its weekly windows, the layer below covering the rest', () => {
    const s = schedule([
      layer({ responders: ['ada'], start: '2025-12-29', handoff: '00:00' }),
      layer({ name: 'office', responders: ['bo', 'cy'], start: '2026-01-05', handoff: '00:00', shift: { every: 1, unit: 'days' }, restrictions: [weekdays] }),
    ]);
    const shifts = render(s, '2026-01-05T00:00:00+01:00', '2026-01-12T00:00:00+01:00');
    expect(local(shifts)).toEqual([
      'ada base Mon 05 00:00→Mon 05 09:00',
      'bo office Mon 05 09:00→Mon 05 17:00',
      'ada base Mon 05 17:00→Tue 06 09:00',
      'cy office Tue 06 09:00→Tue 06 17:00',
      'ada base Tue 06 17:00→Wed 07 09:00',
      'bo office Wed 07 09:00→Wed 07 17:00',
      'ada base Wed 07 17:00→Thu 08 09:00',
      'cy office Thu 08 09:00→Thu 08 17:00',
      'ada base Thu 08 17:00→Fri 09 09:00',
      'bo office Fri 09 09:00→Fri 09 17:00',
      'ada base Fri 09 17:00→Mon 12 00:00',
    ]);
  });

  it('leaves nobody on call outside the windows of a schedule with only restricted layers', () => {
    const s = schedule([layer({ responders: ['bo'], start: '2025-12-29', restrictions: [weekdays] })]);
    const shifts = render(s, '2026-01-09T00:00:00+01:00', '2026-01-13T00:00:00+01:00');
    expect(local(shifts)).toEqual(['bo base Fri 09 09:00→Fri 09 17:00', 'bo base Mon 12 09:00→Mon 12 17:00']);
    expect(onCallAt(s, [], Date.parse('2026-01-10T12:00:00+01:00'))).toBeUndefined();
  });

  it('runs a window past midnight into the next day, even from the day before the window', () => {
    const nights: Restriction = { days: ['fri', 'sat'], from: '22:00', to: '06:00' };
    const s = schedule([layer({ responders: ['ada'], start: '2025-12-29', handoff: '00:00' }), layer({ name: 'nights', responders: ['bo'], start: '2025-12-29', restrictions: [nights] })]);
    expect(local(render(s, '2026-01-10T03:00:00+01:00', '2026-01-12T00:00:00+01:00'))).toEqual([
      'bo nights Sat 10 03:00→Sat 10 06:00',
      'ada base Sat 10 06:00→Sat 10 22:00',
      'bo nights Sat 10 22:00→Sun 11 06:00',
      'ada base Sun 11 06:00→Mon 12 00:00',
    ]);
  });

  it('takes 24:00 as the end of the day and joins windows that touch', () => {
    const s = schedule([
      layer({
        responders: ['ada'],
        start: '2025-12-29',
        restrictions: [
          { days: ['sat'], from: '12:00', to: '24:00' },
          { days: ['sun'], from: '00:00', to: '06:00' },
        ],
      }),
    ]);
    expect(local(render(s, '2026-01-09T00:00:00+01:00', '2026-01-12T00:00:00+01:00'))).toEqual(['ada base Sat 10 12:00→Sun 11 06:00']);
  });
});

describe('overrides', () => {
  const s = schedule([layer({ responders: ['ada'], start: '2025-12-29', handoff: '00:00' })], 'UTC');
  const day = (from: string, to: string, overrides: Override[]) => local(render(s, `2026-01-05T${from}Z`, `2026-01-05T${to}Z`, overrides), 'UTC');

  it('covers part of a shift', () => {
    expect(day('00:00', '24:00', [override('o1', 'bo', '2026-01-05T10:00:00Z', '2026-01-05T12:00:00Z')])).toEqual([
      'ada base Mon 05 00:00→Mon 05 10:00',
      'bo o1 Mon 05 10:00→Mon 05 12:00',
      'ada base Mon 05 12:00→Tue 06 00:00',
    ]);
  });

  it('nests: the override created later shows inside the earlier one, never the other way', () => {
    const outer = override('outer', 'bo', '2026-01-05T08:00:00Z', '2026-01-05T16:00:00Z', '2026-01-01T00:00:00Z');
    const inner = override('inner', 'cy', '2026-01-05T10:00:00Z', '2026-01-05T12:00:00Z', '2026-01-02T00:00:00Z');
    expect(day('06:00', '18:00', [inner, outer])).toEqual([
      'ada base Mon 05 06:00→Mon 05 08:00',
      'bo outer Mon 05 08:00→Mon 05 10:00',
      'cy inner Mon 05 10:00→Mon 05 12:00',
      'bo outer Mon 05 12:00→Mon 05 16:00',
      'ada base Mon 05 16:00→Mon 05 18:00',
    ]);
    const hidden = { ...inner, createdAt: '2025-12-31T00:00:00Z' };
    expect(day('06:00', '18:00', [hidden, outer])).toEqual(['ada base Mon 05 06:00→Mon 05 08:00', 'bo outer Mon 05 08:00→Mon 05 16:00', 'ada base Mon 05 16:00→Mon 05 18:00']);
  });

  it('lets the later of two overlapping overrides win where they meet', () => {
    const first = override('first', 'bo', '2026-01-05T10:00:00Z', '2026-01-05T14:00:00Z', '2026-01-01T00:00:00Z');
    const second = override('second', 'cy', '2026-01-05T12:00:00Z', '2026-01-05T16:00:00Z', '2026-01-01T00:00:01Z');
    expect(day('10:00', '16:00', [second, first])).toEqual(['bo first Mon 05 10:00→Mon 05 12:00', 'cy second Mon 05 12:00→Mon 05 16:00']);
    const earlier = { ...second, createdAt: '2025-12-01T00:00:00Z' };
    expect(day('10:00', '16:00', [first, earlier])).toEqual(['bo first Mon 05 10:00→Mon 05 14:00', 'cy second Mon 05 14:00→Mon 05 16:00']);
  });

  it('covers stretches where no layer is on call, and keeps the same person under another source apart', () => {
    const restricted = schedule([layer({ responders: ['ada'], start: '2025-12-29', restrictions: [{ days: ['mon'], from: '09:00', to: '17:00' }] })], 'UTC');
    const shifts = render(restricted, '2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z', [override('late', 'ada', '2026-01-05T16:00:00Z', '2026-01-05T20:00:00Z')]);
    expect(local(shifts, 'UTC')).toEqual(['ada base Mon 05 09:00→Mon 05 16:00', 'ada late Mon 05 16:00→Mon 05 20:00']);
  });

  it('leaves out overrides outside the window', () => {
    expect(day('00:00', '06:00', [override('o1', 'bo', '2026-01-05T10:00:00Z', '2026-01-05T12:00:00Z')])).toEqual(['ada base Mon 05 00:00→Mon 05 06:00']);
  });
});

describe('daylight saving', () => {
  const daily = (zone: string) => schedule([layer({ responders: ['ada', 'bo'], start: '2026-01-01', handoff: '09:00', shift: { every: 1, unit: 'days' } })], zone);
  const week = (zone: string, fromDate: string) => {
    const from = DateTime.fromISO(fromDate, { zone });
    return renderShifts(daily(zone), [], from.toMillis(), from.plus({ days: 7 }).toMillis());
  };

  it.each([
    ['Europe/Berlin', '2026-03-26', '2026-03-28', 23],
    ['America/New_York', '2026-03-05', '2026-03-07', 23],
    ['Europe/Berlin', '2026-10-22', '2026-10-24', 25],
    ['America/New_York', '2026-10-29', '2026-10-31', 25],
  ])('keeps the daily handoff at 09:00 local in %s across the change (week from %s)', (zone, fromDate, changeDay, length) => {
    const shifts = week(zone, fromDate);
    // Every handoff inside the week is at 09:00 local time.
    for (const shift of shifts.slice(1)) expect(DateTime.fromISO(shift.from, { zone }).toFormat('HH:mm')).toBe('09:00');
    const lengths = shifts.slice(1, -1).map((shift) => [DateTime.fromISO(shift.from, { zone }).toISODate(), hours(shift)]);
    expect(lengths).toContainEqual([changeDay, length]);
    expect(lengths.filter(([, h]) => h !== 24)).toEqual([[changeDay, length]]);
  });

  it('keeps a weekly handoff at Monday 09:00 local: the week with the change is an hour short', () => {
    const s = schedule([layer({ responders: ['ada', 'bo'] })]);
    const shifts = render(s, '2026-03-16T09:00:00+01:00', '2026-04-06T09:00:00+02:00');
    expect(local(shifts)).toEqual(['ada base Mon 16 09:00→Mon 23 09:00', 'bo base Mon 23 09:00→Mon 30 09:00', 'ada base Mon 30 09:00→Mon 06 09:00']);
    expect(shifts.map(hours)).toEqual([168, 167, 168]);
  });

  it('keeps elapsed time in an hours rotation: the handoff moves by the hour the clock moved', () => {
    const s = schedule([layer({ responders: ['ada', 'bo'], start: '2026-03-27', handoff: '09:00', shift: { every: 24, unit: 'hours' } })]);
    const shifts = render(s, '2026-03-27T09:00:00+01:00', '2026-03-31T10:00:00+02:00');
    expect(shifts.map(hours)).toEqual([24, 24, 24, 24]);
    expect(local(shifts)).toEqual([
      'ada base Fri 27 09:00→Sat 28 09:00',
      'bo base Sat 28 09:00→Sun 29 10:00',
      'ada base Sun 29 10:00→Mon 30 10:00',
      'bo base Mon 30 10:00→Tue 31 10:00',
    ]);
  });

  it('measures restriction windows in local time on the day of the change', () => {
    const s = schedule([layer({ responders: ['ada'], start: '2026-01-05', restrictions: [{ days: ['sun'], from: '00:00', to: '06:00' }] })]);
    const shifts = render(s, '2026-03-28T00:00:00+01:00', '2026-03-30T00:00:00+02:00');
    expect(local(shifts)).toEqual(['ada base Sun 29 00:00→Sun 29 06:00']);
    expect(shifts.map(hours)).toEqual([5]);
  });

  it('moves a handoff inside the spring gap forward for that day only', () => {
    const s = schedule([layer({ responders: ['ada', 'bo'], start: '2026-03-01', handoff: '02:30', shift: { every: 1, unit: 'days' } })]);
    const shifts = render(s, '2026-03-28T12:00:00+01:00', '2026-03-31T00:00:00+02:00');
    expect(local(shifts).map((line) => line.split(' ').slice(2).join(' '))).toEqual([
      'Sat 28 12:00→Sun 29 03:30',
      'Sun 29 03:30→Mon 30 02:30',
      'Mon 30 02:30→Tue 31 00:00',
    ]);
  });
});

describe('onCallAt', () => {
  const s = schedule([layer({ responders: ['ada', 'bo'] })]);

  it('gives the whole shift on call at a moment, with its real ends', () => {
    expect(onCallAt(s, [], Date.parse('2026-01-14T03:00:00Z'))).toEqual({
      responder: 'bo',
      from: '2026-01-12T08:00:00.000Z',
      to: '2026-01-19T08:00:00.000Z',
      source: { kind: 'layer', layer: 'base' },
    });
  });

  it('finds the ends of a shift longer than a week', () => {
    const long = schedule([layer({ responders: ['ada', 'bo'], shift: { every: 3, unit: 'weeks' } })]);
    expect(onCallAt(long, [], Date.parse('2026-01-06T00:00:00Z'))).toMatchObject({ responder: 'ada', from: '2026-01-05T08:00:00.000Z', to: '2026-01-26T08:00:00.000Z' });
  });

  it('gives the override on call, and nobody before the first shift', () => {
    const cover = override('o1', 'cy', '2026-01-14T00:00:00Z', '2026-01-15T00:00:00Z');
    expect(onCallAt(s, [cover], Date.parse('2026-01-14T03:00:00Z'))).toMatchObject({ responder: 'cy', source: { kind: 'override', overrideId: 'o1' } });
    expect(onCallAt(s, [cover], Date.parse('2026-01-05T07:59:59Z'))).toBeUndefined();
  });
});

describe('bounds', () => {
  const s = schedule([layer()]);

  it(`refuses a window longer than ${MAX_RENDER_DAYS} days, and renders nothing for an empty one`, () => {
    expect(() => renderShifts(s, [], 0, (MAX_RENDER_DAYS * DAY) + 1)).toThrow(RangeError);
    expect(() => renderShifts(s, [], Number.NaN, 0)).toThrow(RangeError);
    expect(() => renderShifts({ ...s, timeZone: 'Mars/Olympus' }, [], 0, DAY)).toThrow(RangeError);
    expect(renderShifts(s, [], DAY, DAY)).toEqual([]);
  });

  it('renders 90 days of 1-hour shifts on several layers from boundaries, not by scanning', () => {
    const busy = schedule([
      layer({ responders: ['ada', 'bo', 'cy'], start: '2026-01-01', handoff: '00:00', shift: { every: 1, unit: 'hours' } }),
      layer({ name: 'nights', responders: ['bo'], start: '2026-01-01', shift: { every: 1, unit: 'days' }, restrictions: [{ days: [...WEEKDAYS], from: '22:00', to: '06:00' }] }),
      layer({ name: 'top', responders: ['dee', 'eve'], start: '2026-01-01', handoff: '00:30', shift: { every: 1, unit: 'hours' }, restrictions: [{ days: ['mon', 'wed'], from: '12:00', to: '14:00' }] }),
    ]);
    const from = Date.parse('2026-02-01T00:00:00Z');
    const shifts = renderShifts(busy, [], from, from + MAX_RENDER_DAYS * DAY);
    expect(shifts.length).toBeGreaterThan(1_000);
    expect(Date.parse(shifts[0].from)).toBe(from);
    expect(Date.parse(shifts.at(-1)!.to)).toBe(from + MAX_RENDER_DAYS * DAY);
  });
});

/**
 * Who is on call at one moment, worked out directly from the definitions: the reference the
 * rendering is checked against.
 */
function reference(s: Schedule, overrides: Override[], at: number): { responder: string; source: string } | undefined {
  const covering = overrides
    .map((o, index) => ({ o, index }))
    .filter(({ o }) => Date.parse(o.from) <= at && at < Date.parse(o.to))
    .sort((a, b) => Date.parse(a.o.createdAt) - Date.parse(b.o.createdAt) || a.index - b.index)
    .at(-1);
  if (covering) return { responder: covering.o.responder, source: covering.o.id };
  const local = DateTime.fromMillis(at, { zone: s.timeZone });
  const minute = local.hour * 60 + local.minute;
  const weekday = WEEKDAYS[local.weekday - 1];
  const yesterday = WEEKDAYS[(local.weekday + 5) % 7];
  const inside = (r: Restriction) => {
    const open = minutesOf(r.from);
    const close = minutesOf(r.to);
    if (close > open) return r.days.includes(weekday) && minute >= open && minute < close;
    return (r.days.includes(weekday) && minute >= open) || (r.days.includes(yesterday) && minute < close);
  };
  for (const l of [...s.layers].reverse()) {
    if (l.restrictions && !l.restrictions.some(inside)) continue;
    const first = DateTime.fromISO(`${l.start}T${l.handoff}`, { zone: s.timeZone });
    const startOf = (k: number) =>
      l.shift.unit === 'hours' ? first.toMillis() + k * l.shift.every * HOUR : first.plus({ [l.shift.unit]: k * l.shift.every }).toMillis();
    if (at < startOf(0)) continue;
    let k = 0;
    while (startOf(k + 1) <= at) k++;
    return { responder: l.responders[k % l.responders.length], source: l.name };
  }
  return undefined;
}

describe('properties', () => {
  const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata'];
  // Whole and half hours away from the small hours, when clocks change: the reference reads
  // wall-clock time, the rendering instants, and they part only inside a change.
  const clock = fc.tuple(fc.integer({ min: 4, max: 23 }), fc.constantFrom(0, 30)).map(([h, m]) => `${String(h).padStart(2, '0')}:${m === 0 ? '00' : '30'}`);
  const restriction = fc.record({
    days: fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 7 }),
    from: clock,
    to: clock,
  });
  const arbLayer = (name: string) =>
    fc.record({
      name: fc.constant(name),
      responders: fc.array(fc.constantFrom('ada', 'bo', 'cy'), { minLength: 1, maxLength: 4 }),
      start: fc.integer({ min: 0, max: 40 }).map((d) => DateTime.fromISO('2026-02-01').plus({ days: d }).toISODate()!),
      handoff: clock,
      shift: fc.oneof(
        fc.record({ every: fc.integer({ min: 1, max: 12 }), unit: fc.constant('hours' as const) }),
        fc.record({ every: fc.integer({ min: 1, max: 3 }), unit: fc.constant('days' as const) }),
        fc.record({ every: fc.integer({ min: 1, max: 2 }), unit: fc.constant('weeks' as const) }),
      ),
      restrictions: fc.option(fc.array(restriction, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    });
  const windowStart = Date.parse('2026-03-01T00:00:00Z');
  const arbOverride = (id: string) =>
    fc
      .record({
        start: fc.integer({ min: 0, max: 40 * 24 }),
        length: fc.integer({ min: 1, max: 72 }),
        responder: fc.constantFrom('ada', 'dee'),
        created: fc.integer({ min: 0, max: 5 }),
      })
      .map(({ start, length, responder, created }) =>
        override(id, responder, new Date(windowStart + start * HOUR).toISOString(), new Date(windowStart + (start + length) * HOUR).toISOString(), new Date(Date.UTC(2026, 0, 1, created)).toISOString()),
      );
  const arbCase = fc.record({
    zone: fc.constantFrom(...ZONES),
    layers: fc.array(fc.integer(), { minLength: 1, maxLength: 3 }).chain((list) => fc.tuple(...list.map((_, i) => arbLayer(`l${i}`)))),
    overrides: fc.array(fc.integer(), { maxLength: 4 }).chain((list) => fc.tuple(...list.map((_, i) => arbOverride(`o${i}`)))),
    from: fc.integer({ min: 0, max: 30 * 24 }).map((h) => windowStart + h * HOUR),
    length: fc.integer({ min: 1, max: 20 * 24 }).map((h) => h * HOUR),
    probes: fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { minLength: 1, maxLength: 8 }),
  });

  it('renders sorted shifts without overlaps inside the window, agreeing at every moment with the definitions and with onCallAt', () => {
    fc.assert(
      fc.property(arbCase, ({ zone, layers, overrides, from, length, probes }) => {
        const s = schedule(layers, zone);
        const to = from + length;
        const shifts = renderShifts(s, overrides, from, to);
        shifts.forEach((shift, i) => {
          expect(Date.parse(shift.from)).toBeLessThan(Date.parse(shift.to));
          expect(Date.parse(shift.from)).toBeGreaterThanOrEqual(from);
          expect(Date.parse(shift.to)).toBeLessThanOrEqual(to);
          const next = shifts[i + 1];
          if (!next) return;
          expect(Date.parse(shift.to)).toBeLessThanOrEqual(Date.parse(next.from));
          const joinable = shift.to === next.from && shift.responder === next.responder && JSON.stringify(shift.source) === JSON.stringify(next.source);
          expect(joinable).toBe(false);
        });
        for (const probe of probes) {
          const at = from + Math.floor(probe * length);
          const rendered = shifts.find((shift) => Date.parse(shift.from) <= at && at < Date.parse(shift.to));
          const expected = reference(s, overrides, at);
          const seen = rendered && { responder: rendered.responder, source: rendered.source.kind === 'layer' ? rendered.source.layer : rendered.source.overrideId };
          expect(seen).toEqual(expected);
          const now = onCallAt(s, overrides, at);
          // onCallAt looks 45 days either side, past this window: cut to it, the shifts agree.
          const clipped = now && { ...now, from: new Date(Math.max(Date.parse(now.from), from)).toISOString(), to: new Date(Math.min(Date.parse(now.to), to)).toISOString() };
          expect(clipped).toEqual(rendered);
        }
      }),
      { numRuns: 200 },
    );
  });
});
