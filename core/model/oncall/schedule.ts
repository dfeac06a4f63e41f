/**
 * Who is on call when: a schedule's layers and overrides rendered into shifts. Pure: the
 * same schedule, overrides and window always give the same shifts, and nothing here reads
 * the clock. Times are epoch milliseconds inside, ISO-8601 instants in what it returns.
 *
 * A layer's shift k starts at its start date and handoff time in the schedule's zone plus
 * k shift lengths: days and weeks are calendar units (the handoff stays at the local time
 * across daylight-saving changes, so such a day is 23 or 25 hours), hours are elapsed time.
 * Restrictions mask a layer to weekly windows; later layers cover earlier ones where they
 * are on call; overrides cover every layer, the one created last winning where they meet.
 */
import { DateTime, IANAZone } from 'luxon';
import { WEEKDAYS, type Layer, type Override, type Restriction, type Schedule, type Shift, type ShiftSource } from './types';

/** The longest window {@link renderShifts} renders. */
export const MAX_RENDER_DAYS = 90;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const UNIT_MS = { hours: HOUR_MS, days: DAY_MS, weeks: 7 * DAY_MS } as const;
/** How far either side of a moment {@link onCallAt} looks, widening until its shift's ends show. */
const LOOK_AROUND_MS = [DAY_MS, 7 * DAY_MS, (MAX_RENDER_DAYS / 2) * DAY_MS];

/** A stretch of time with one person on call, in epoch milliseconds, `from < to`. */
interface Piece {
  from: number;
  to: number;
  responder: string;
  source: ShiftSource;
}

/**
 * The shifts covering [fromMs, toMs): sorted, clipped to the window, adjacent pieces with
 * the same responder and source joined, and stretches where nobody is on call left out.
 * @throws RangeError for a window longer than {@link MAX_RENDER_DAYS} days, a time that is
 * not a number, or a schedule whose time zone is unknown.
 */
export function renderShifts(schedule: Schedule, overrides: readonly Override[], fromMs: number, toMs: number): Shift[] {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) throw new RangeError('a window needs two finite times');
  if (toMs - fromMs > MAX_RENDER_DAYS * DAY_MS) throw new RangeError(`a window is at most ${MAX_RENDER_DAYS} days`);
  if (!IANAZone.isValidZone(schedule.timeZone)) throw new RangeError(`unknown time zone "${schedule.timeZone}"`);
  if (toMs <= fromMs) return [];
  let pieces: Piece[] = [];
  for (const layer of schedule.layers) pieces = cover(pieces, layerPieces(schedule.timeZone, layer, fromMs, toMs));
  pieces = cover(pieces, overridePieces(overrides, fromMs, toMs));
  return join(pieces).map((piece) => ({
    responder: piece.responder,
    from: new Date(piece.from).toISOString(),
    to: new Date(piece.to).toISOString(),
    source: piece.source,
  }));
}

/**
 * The shift on call at `atMs`, or undefined when nobody is. Its `from` and `to` are where it
 * really begins and ends, looked for up to {@link MAX_RENDER_DAYS}/2 days either side (a
 * longer stretch is cut there).
 * @throws RangeError as {@link renderShifts}.
 */
export function onCallAt(schedule: Schedule, overrides: readonly Override[], atMs: number): Shift | undefined {
  if (!Number.isFinite(atMs)) throw new RangeError('a moment needs a finite time');
  for (const around of LOOK_AROUND_MS) {
    const fromMs = atMs - around;
    const toMs = atMs + around;
    const shift = renderShifts(schedule, overrides, fromMs, toMs).find((candidate) => Date.parse(candidate.from) <= atMs && atMs < Date.parse(candidate.to));
    if (!shift) return undefined;
    const cut = Date.parse(shift.from) === fromMs || Date.parse(shift.to) === toMs;
    if (!cut || around === LOOK_AROUND_MS[LOOK_AROUND_MS.length - 1]) return shift;
  }
  return undefined;
}

/** Minutes past midnight of `HH:MM` (`24:00` is 1440). */
export function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

/** `day` (a local midnight) at `minutes` past it in wall-clock time; 1440 is the next midnight. */
function wallClock(day: DateTime, minutes: number): number {
  if (minutes >= 24 * 60) return day.plus({ days: 1 }).startOf('day').toMillis();
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 }).toMillis();
}

/** The layer's shifts that meet [from, to), clipped to it, masked by its restrictions. */
function layerPieces(zone: string, layer: Layer, from: number, to: number): Piece[] {
  const count = layer.responders.length;
  const { every, unit } = layer.shift;
  if (count === 0 || !(every >= 1)) return [];
  const [year, month, day] = layer.start.split('-').map(Number);
  const handoff = minutesOf(layer.handoff);
  const first = DateTime.fromObject({ year, month, day }, { zone });
  if (!first.isValid) return [];
  const firstMs = wallClock(first, handoff);
  // Each shift start is computed from the first, never from the one before, so a handoff
  // moved by a daylight-saving gap on one day is back at its time the next.
  const startOf = (k: number): number =>
    unit === 'hours' ? firstMs + k * every * HOUR_MS : wallClock(first.plus(unit === 'days' ? { days: k * every } : { weeks: k * every }), handoff);
  // A guess one shift early (zone offsets move a calendar shift by hours at most), then exact.
  let k = Math.max(0, Math.floor((from - firstMs) / (every * UNIT_MS[unit])) - 1);
  while (k > 0 && startOf(k) > from) k--;
  const source: ShiftSource = { kind: 'layer', layer: layer.name };
  const shifts: Piece[] = [];
  for (let start = startOf(k); start < to; k++) {
    const end = startOf(k + 1);
    if (end <= start) break;
    if (end > from) shifts.push({ from: Math.max(start, from), to: Math.min(end, to), responder: layer.responders[k % count], source });
    start = end;
  }
  if (!layer.restrictions || layer.restrictions.length === 0) return shifts;
  return mask(shifts, restrictionWindows(zone, layer.restrictions, from, to));
}

/** The restrictions' windows that meet [from, to), in order, overlapping ones joined. */
function restrictionWindows(zone: string, restrictions: readonly Restriction[], from: number, to: number): Array<[number, number]> {
  const windows: Array<[number, number]> = [];
  // From the day before the window: a window opened then may run past midnight into it.
  const last = DateTime.fromMillis(to, { zone }).startOf('day').toMillis();
  for (let day = DateTime.fromMillis(from, { zone }).startOf('day').minus({ days: 1 }); day.toMillis() <= last; day = day.plus({ days: 1 }).startOf('day')) {
    const weekday = WEEKDAYS[day.weekday - 1];
    for (const restriction of restrictions) {
      if (!restriction.days.includes(weekday)) continue;
      const open = minutesOf(restriction.from);
      const close = minutesOf(restriction.to);
      const start = wallClock(day, open);
      const end = close <= open ? wallClock(day.plus({ days: 1 }).startOf('day'), close) : wallClock(day, close);
      if (end > from && start < to && end > start) windows.push([Math.max(start, from), Math.min(end, to)]);
    }
  }
  windows.sort((a, b) => a[0] - b[0]);
  const joined: Array<[number, number]> = [];
  for (const window of windows) {
    const previous = joined[joined.length - 1];
    if (previous && window[0] <= previous[1]) previous[1] = Math.max(previous[1], window[1]);
    else joined.push([...window]);
  }
  return joined;
}

/** The parts of `pieces` inside `windows` (both sorted, each without overlaps). */
function mask(pieces: readonly Piece[], windows: ReadonlyArray<[number, number]>): Piece[] {
  const out: Piece[] = [];
  let w = 0;
  for (const piece of pieces) {
    while (w < windows.length && windows[w][1] <= piece.from) w++;
    for (let i = w; i < windows.length && windows[i][0] < piece.to; i++) {
      const from = Math.max(piece.from, windows[i][0]);
      const to = Math.min(piece.to, windows[i][1]);
      if (from < to) out.push({ ...piece, from, to });
    }
  }
  return out;
}

/** The overrides meeting [from, to) as pieces without overlaps: the one created last wins. */
function overridePieces(overrides: readonly Override[], from: number, to: number): Piece[] {
  const ordered = overrides
    .map((override, index) => ({ override, index, created: Date.parse(override.createdAt) }))
    .sort((a, b) => (a.created || 0) - (b.created || 0) || a.index - b.index);
  let pieces: Piece[] = [];
  for (const { override } of ordered) {
    const start = Math.max(Date.parse(override.from), from);
    const end = Math.min(Date.parse(override.to), to);
    if (!(start < end)) continue;
    pieces = cover(pieces, [{ from: start, to: end, responder: override.responder, source: { kind: 'override', overrideId: override.id } }]);
  }
  return pieces;
}

/** `top` laid over `base` (both sorted, each without overlaps): what `top` leaves of `base`, and `top`. */
function cover(base: readonly Piece[], top: readonly Piece[]): Piece[] {
  if (top.length === 0) return [...base];
  const out: Piece[] = [...top];
  let j = 0;
  for (const piece of base) {
    let cursor = piece.from;
    while (j < top.length && top[j].to <= cursor) j++;
    for (let i = j; cursor < piece.to; i++) {
      const next = top[i];
      if (!next || next.from >= piece.to) {
        out.push({ ...piece, from: cursor });
        break;
      }
      if (next.from > cursor) out.push({ ...piece, from: cursor, to: next.from });
      cursor = Math.max(cursor, next.to);
    }
  }
  return out.sort((a, b) => a.from - b.from);
}

const sameSource = (a: ShiftSource, b: ShiftSource): boolean =>
  a.kind === 'layer' ? b.kind === 'layer' && a.layer === b.layer : b.kind === 'override' && a.overrideId === b.overrideId;

/** Sorted pieces with touching ones of the same responder and source made one. */
function join(pieces: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const piece of pieces) {
    const previous = out[out.length - 1];
    if (previous && previous.to === piece.from && previous.responder === piece.responder && sameSource(previous.source, piece.source)) {
      previous.to = piece.to;
    } else out.push({ ...piece });
  }
  return out;
}
