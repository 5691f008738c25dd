/**
 * Business calendars of the two offices (docs/domain.md, "Opening hours"): weekday hours, lunch,
 * the Finnish Friday, holidays from date-holidays (as a table, see `holidaysOf`) plus the de
 * facto closed eves, and eves cut at 13:00 (SE) / 14:00 (FI). All hours are wall-clock times
 * of the office's zone, so every conversion between an instant and a local time goes through
 * `Intl` with that zone.
 *
 * The desk computes deadlines for ~100,000 cases, so each local day's open intervals are
 * computed once and kept, whole days are skipped by their open total, and spans longer than a
 * day are summed from per-year prefix sums instead of walking day by day.
 */
import { CLOSED_HOLIDAYS, FIRST_YEAR, LAST_YEAR } from './holidayTable';
import type { Office } from './teams';

export const OFFICE_TIME_ZONE: Record<Office, string> = {
  SE: 'Europe/Stockholm',
  FI: 'Europe/Helsinki',
};

/** A calendar day in an office's zone; `month` is 1–12. */
export interface LocalDay {
  year: number;
  month: number;
  day: number;
}

export interface OpenInterval {
  start: Date;
  end: Date;
}

/** Minutes after local midnight. */
type Span = readonly [from: number, to: number];

export interface OfficeHours {
  /** Opening and closing per ISO weekday, 1 = Monday … 5 = Friday; weekends are closed. */
  weekdays: Readonly<Record<1 | 2 | 3 | 4 | 5, Span>>;
  lunch: Span;
  /** On an eve the day ends at this time at the latest. */
  eveClosing: number;
}

const at = (hour: number): number => hour * 60;

export const OFFICE_HOURS: Readonly<Record<Office, OfficeHours>> = {
  SE: {
    weekdays: { 1: [at(8), at(16)], 2: [at(8), at(16)], 3: [at(8), at(16)], 4: [at(8), at(16)], 5: [at(8), at(16)] },
    lunch: [at(12), at(13)],
    eveClosing: at(13),
  },
  FI: {
    weekdays: { 1: [at(8), at(16)], 2: [at(8), at(16)], 3: [at(8), at(16)], 4: [at(8), at(16)], 5: [at(8), at(14)] },
    lunch: [at(11), at(12)],
    eveClosing: at(14),
  },
};

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

function assertValid(date: Date, name: string): number {
  const t = date.getTime();
  if (!Number.isFinite(t)) throw new RangeError(`${name} is not a valid date`);
  return t;
}

// --- Zone offsets -------------------------------------------------------------------------

const formatters = new Map<Office, Intl.DateTimeFormat>();
/** Offset (ms to add to UTC) per office and UTC hour: EU zones change offset only at 01:00 UTC. */
const offsetCache = new Map<Office, Map<number, number>>();
const OFFSET_CACHE_LIMIT = 50_000;

function formatterOf(office: Office): Intl.DateTimeFormat {
  let f = formatters.get(office);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: OFFICE_TIME_ZONE[office],
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(office, f);
  }
  return f;
}

function offsetAt(office: Office, t: number): number {
  const hour = Math.floor(t / MS_PER_HOUR);
  let cache = offsetCache.get(office);
  if (!cache) {
    cache = new Map();
    offsetCache.set(office, cache);
  }
  const known = cache.get(hour);
  if (known !== undefined) return known;
  const hourStart = hour * MS_PER_HOUR;
  const parts: Record<string, number> = {};
  for (const p of formatterOf(office).formatToParts(hourStart)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  const offset = wall - hourStart;
  if (cache.size >= OFFSET_CACHE_LIMIT) cache.clear();
  cache.set(hour, offset);
  return offset;
}

/** The instant of a wall-clock time in the office zone, the wall time given as if it were UTC ms. */
function instantOfWall(office: Office, wall: number): number {
  const guess = wall - offsetAt(office, wall);
  const offset = offsetAt(office, guess);
  return wall - offset;
}

// --- Days -----------------------------------------------------------------------------------

/** Days since 1970-01-01 of a local calendar day. */
function dayNumberOf(day: LocalDay): number {
  return Date.UTC(day.year, day.month - 1, day.day) / MS_PER_DAY;
}

function localDayOfNumber(n: number): LocalDay {
  const d = new Date(n * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function dayNumberAt(office: Office, t: number): number {
  return Math.floor((t + offsetAt(office, t)) / MS_PER_DAY);
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
function weekdayOfNumber(n: number): number {
  return ((((n + 3) % 7) + 7) % 7) + 1;
}

/** The calendar day an instant falls on in the office's zone. */
export function localDayOf(office: Office, instant: Date): LocalDay {
  return localDayOfNumber(dayNumberAt(office, assertValid(instant, 'instant')));
}

/** The instant the next calendar day begins in the office's zone (its local midnight). */
export function nextLocalMidnight(office: Office, instant: Date): Date {
  return new Date(instantOfWall(office, (dayNumberAt(office, assertValid(instant, 'instant')) + 1) * MS_PER_DAY));
}

/** ISO weekday of a calendar day: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: LocalDay): number {
  return weekdayOfNumber(dayNumberOf(day));
}

/** The calendar day `days` days after `day` (before, when negative). */
export function addDays(day: LocalDay, days: number): LocalDay {
  return localDayOfNumber(dayNumberOf(day) + days);
}

// --- Holidays -------------------------------------------------------------------------------

/** Closed holiday day numbers per office and year. */
const holidayCache = new Map<string, ReadonlySet<number>>();

/**
 * The days an office is closed for a holiday in `year`: public holidays and the de facto
 * closed eves, from a table written from date-holidays (shared/holidayTable.ts,
 * `npm run holidays`; a test checks it against the library year by year).
 */
function holidaysOf(office: Office, year: number): ReadonlySet<number> {
  const key = `${office}:${year}`;
  const cached = holidayCache.get(key);
  if (cached) return cached;
  const days = CLOSED_HOLIDAYS[office][year - FIRST_YEAR];
  if (days === undefined) throw new RangeError(`no holiday calendar for ${year} (it covers ${FIRST_YEAR}–${LAST_YEAR})`);
  const closed = new Set<number>();
  for (let i = 0; i < days.length; i += 4) {
    closed.add(dayNumberOf({ year, month: Number(days.slice(i, i + 2)), day: Number(days.slice(i + 2, i + 4)) }));
  }
  holidayCache.set(key, closed);
  return closed;
}

function isHolidayNumber(office: Office, n: number): boolean {
  return holidaysOf(office, new Date(n * MS_PER_DAY).getUTCFullYear()).has(n);
}

// --- Day plans ------------------------------------------------------------------------------

interface DayPlan {
  /** Open intervals as epoch ms, [start, end). */
  readonly intervals: readonly Span[];
  readonly openMs: number;
  readonly holiday: boolean;
  readonly eve: boolean;
  /** An exception closes the day (from some instant on) earlier than its hours say. */
  readonly cut: boolean;
}

// --- Exceptions ---------------------------------------------------------------------------

/**
 * An office's extra closed day or early closing (shared/calendarExceptions.ts has the record and
 * its rules). The calendar needs only these fields.
 */
export interface CalendarClosure {
  id: string;
  office: Office;
  /** The local day, YYYY-MM-DD. */
  date: string;
  kind: 'closed' | 'closesEarly';
  /** HH:MM, local; for `closesEarly`. */
  closesAt?: string | null;
  /** When it was made: it counts only from then on (history keeps the calendar in force). */
  createdAt: string;
  /** A removed exception counts nowhere. */
  deletedAt?: string | null;
}

interface Cut {
  office: Office;
  day: number;
  at: number;
}

/** The exceptions in force, by id; and per office, the earliest cut per day number. */
const closures = new Map<string, Cut>();
const cutsByDay = new Map<Office, Map<number, number>>();

function dayNumberOfDate(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  return dayNumberOf({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) });
}

function minutesOfTime(time: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(time);
  if (!m) throw new RangeError(`not a time: ${time}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * The instant from which an exception closes its office: the day's start (closed) or its closing
 * time (closes early), but never before the exception was made, so the open minutes before
 * stay counted.
 */
export function closureStart(e: CalendarClosure): Date {
  const n = dayNumberOfDate(e.date);
  const wall = e.kind === 'closed' ? 0 : minutesOfTime(e.closesAt ?? '00:00');
  const from = instantOfWall(e.office, n * MS_PER_DAY + wall * MS_PER_MINUTE);
  return new Date(Math.max(from, Date.parse(e.createdAt)));
}

/**
 * Recomputes an office's cuts per day, and forgets only the cached plans of the days whose cut
 * changed and the prefix sums of their years: the rest of the calendar stays warm.
 */
function rebuildCuts(office: Office): void {
  const cuts = new Map<number, number>();
  for (const c of closures.values()) {
    if (c.office !== office) continue;
    const known = cuts.get(c.day);
    if (known === undefined || c.at < known) cuts.set(c.day, c.at);
  }
  const before = cutsByDay.get(office) ?? new Map<number, number>();
  cutsByDay.set(office, cuts);
  const plans = planCache.get(office);
  for (const day of new Set([...before.keys(), ...cuts.keys()])) {
    if (before.get(day) === cuts.get(day)) continue;
    plans?.delete(day);
    prefixCache.delete(`${office}:${new Date(day * MS_PER_DAY).getUTCFullYear()}`);
  }
}

/**
 * Takes these exceptions into account from now on: each replaces the one of its id (a removed
 * one, `deletedAt` set, is dropped). With `replace`, every exception not listed is dropped too.
 * Only the offices whose exceptions changed lose their cached days. Returns the earliest instant
 * from which the calendar changed (deadlines before it stay as they were), or null when nothing
 * changed.
 */
export function applyCalendarExceptions(list: readonly CalendarClosure[], options: { replace?: boolean } = {}): Date | null {
  let from = Infinity;
  const touched = new Set<Office>();
  const note = (c: Cut): void => {
    from = Math.min(from, c.at);
    touched.add(c.office);
  };
  const listed = new Set(list.map((e) => e.id));
  if (options.replace) {
    for (const [id, c] of closures) {
      if (!listed.has(id)) {
        closures.delete(id);
        note(c);
      }
    }
  }
  for (const e of list) {
    const known = closures.get(e.id);
    if (e.deletedAt) {
      if (known) {
        closures.delete(e.id);
        note(known);
      }
      continue;
    }
    const cut: Cut = { office: e.office, day: dayNumberOfDate(e.date), at: closureStart(e).getTime() };
    if (known && known.office === cut.office && known.day === cut.day && known.at === cut.at) continue;
    if (known) note(known);
    closures.set(e.id, cut);
    note(cut);
  }
  for (const office of touched) rebuildCuts(office);
  return from === Infinity ? null : new Date(from);
}

/** How many exceptions are in force (all offices). */
export function calendarExceptionCount(): number {
  return closures.size;
}

/**
 * Memoised per office and day number. Bounded by the calendar range the desk looks at (a decade
 * is ~7,300 entries), so it is never evicted.
 */
const planCache = new Map<Office, Map<number, DayPlan>>();

function planOf(office: Office, n: number): DayPlan {
  let cache = planCache.get(office);
  if (!cache) {
    cache = new Map();
    planCache.set(office, cache);
  }
  const cached = cache.get(n);
  if (cached) return cached;

  const weekday = weekdayOfNumber(n);
  const holiday = isHolidayNumber(office, n);
  const hours = OFFICE_HOURS[office];
  const span = weekday <= 5 && !holiday ? hours.weekdays[weekday as 1 | 2 | 3 | 4 | 5] : undefined;
  const eve = span !== undefined && isHolidayNumber(office, n + 1);
  const intervals: Span[] = [];
  if (span) {
    const close = eve ? Math.min(span[1], hours.eveClosing) : span[1];
    const [lunchFrom, lunchTo] = hours.lunch;
    const pieces: Span[] = [
      [span[0], Math.min(close, lunchFrom)],
      [Math.max(span[0], lunchTo), close],
    ];
    const midnight = n * MS_PER_DAY;
    for (const [from, to] of pieces) {
      if (to > from) {
        intervals.push([
          instantOfWall(office, midnight + from * MS_PER_MINUTE),
          instantOfWall(office, midnight + to * MS_PER_MINUTE),
        ]);
      }
    }
  }
  // An exception closes the day from its cut on; what was open before it stays open.
  const cutAt = cutsByDay.get(office)?.get(n);
  let cut = false;
  if (cutAt !== undefined) {
    for (let i = intervals.length - 1; i >= 0; i--) {
      const [s, e] = intervals[i] as Span;
      if (s >= cutAt) intervals.splice(i, 1);
      else if (e > cutAt) intervals[i] = [s, cutAt];
      else continue;
      cut = true;
    }
  }
  const plan: DayPlan = {
    intervals,
    openMs: intervals.reduce((sum, [s, e]) => sum + (e - s), 0),
    holiday,
    eve,
    cut,
  };
  cache.set(n, plan);
  return plan;
}

/** Per office and year: prefix[i] = open ms of the year's days before day i (0-based). */
const prefixCache = new Map<string, Float64Array>();

function yearPrefix(office: Office, year: number): Float64Array {
  const key = `${office}:${year}`;
  const cached = prefixCache.get(key);
  if (cached) return cached;
  const first = dayNumberOf({ year, month: 1, day: 1 });
  const days = dayNumberOf({ year: year + 1, month: 1, day: 1 }) - first;
  const prefix = new Float64Array(days + 1);
  for (let i = 0; i < days; i++) prefix[i + 1] = (prefix[i] ?? 0) + planOf(office, first + i).openMs;
  prefixCache.set(key, prefix);
  return prefix;
}

/** Open ms of the whole days [fromDay, toDay). */
function openMsOfDays(office: Office, fromDay: number, toDay: number): number {
  let sum = 0;
  let n = fromDay;
  while (n < toDay) {
    const year = new Date(n * MS_PER_DAY).getUTCFullYear();
    const first = dayNumberOf({ year, month: 1, day: 1 });
    const end = Math.min(toDay, dayNumberOf({ year: year + 1, month: 1, day: 1 }));
    const prefix = yearPrefix(office, year);
    sum += (prefix[end - first] ?? 0) - (prefix[n - first] ?? 0);
    n = end;
  }
  return sum;
}

/** Open ms of one day's plan inside [from, to). */
function overlapMs(plan: DayPlan, from: number, to: number): number {
  let sum = 0;
  for (const [s, e] of plan.intervals) {
    const overlap = Math.min(e, to) - Math.max(s, from);
    if (overlap > 0) sum += overlap;
  }
  return sum;
}

// --- Public queries -------------------------------------------------------------------------

/** The office's open intervals on a local day (empty on weekends and closed days). */
export function openIntervals(office: Office, day: LocalDay): OpenInterval[] {
  return planOf(office, dayNumberOf(day)).intervals.map(([s, e]) => ({ start: new Date(s), end: new Date(e) }));
}

/** The office's closing time on a local day, or null when it does not open that day. */
export function closingTime(office: Office, day: LocalDay): Date | null {
  const last = planOf(office, dayNumberOf(day)).intervals.at(-1);
  return last ? new Date(last[1]) : null;
}

/** A public holiday or a de facto closed eve (Julafton …), whatever the weekday. */
export function isHoliday(office: Office, day: LocalDay): boolean {
  return isHolidayNumber(office, dayNumberOf(day));
}

/** The office does not open at all that day: a weekend, a holiday or a closed eve. */
export function isClosedDay(office: Office, day: LocalDay): boolean {
  return planOf(office, dayNumberOf(day)).intervals.length === 0;
}

/** An open day whose next calendar day is a holiday; it closes early. */
export function isEve(office: Office, day: LocalDay): boolean {
  return planOf(office, dayNumberOf(day)).eve;
}

export function isOpen(office: Office, instant: Date): boolean {
  const t = assertValid(instant, 'instant');
  return planOf(office, dayNumberAt(office, t)).intervals.some(([s, e]) => s <= t && t < e);
}

/**
 * The office's state at an instant, as the top bar shows it: open (until `until`; on an eve the
 * day closes early, `eve`), at lunch (until `until`), or closed (until `until`, the next
 * opening). `changesAt` is when this state ends: a view waits for that instant, not polling.
 */
export type OfficeState =
  | { kind: 'open'; until: Date; eve: boolean; changesAt: Date; early?: boolean }
  | { kind: 'lunch'; until: Date; changesAt: Date }
  | { kind: 'closed'; until: Date; changesAt: Date };

export function officeState(office: Office, instant: Date): OfficeState {
  const t = assertValid(instant, 'instant');
  const plan = planOf(office, dayNumberAt(office, t));
  const intervals = plan.intervals;
  for (let i = 0; i < intervals.length; i++) {
    const [s, e] = intervals[i] as Span;
    if (s <= t && t < e) {
      const close = (intervals.at(-1) as Span)[1];
      // `early`: an exception closes the day before its hours say.
      return plan.cut
        ? { kind: 'open', until: new Date(close), eve: plan.eve, changesAt: new Date(e), early: true }
        : { kind: 'open', until: new Date(close), eve: plan.eve, changesAt: new Date(e) };
    }
    // Between two open intervals of the same day: lunch.
    if (t < s && i > 0 && t >= (intervals[i - 1] as Span)[1]) return { kind: 'lunch', until: new Date(s), changesAt: new Date(s) };
  }
  const opening = nextOpening(office, instant);
  return { kind: 'closed', until: opening, changesAt: opening };
}

/** The earliest instant at or after `instant` at which the office is open. */
export function nextOpening(office: Office, instant: Date): Date {
  const t = assertValid(instant, 'instant');
  for (let n = dayNumberAt(office, t); ; n++) {
    for (const [s, e] of planOf(office, n).intervals) {
      if (t < e) return new Date(Math.max(s, t));
    }
  }
}

/**
 * The earliest instant at which `minutes` of open time have passed since `from` (so a target
 * that runs out exactly at a closing time is due at that closing time). Negative minutes count
 * backwards: the latest instant from which `-minutes` of open time lead up to `from`.
 */
export function addBusinessMinutes(office: Office, from: Date, minutes: number): Date {
  const t = assertValid(from, 'from');
  if (!Number.isFinite(minutes)) throw new RangeError('minutes must be a finite number');
  let remaining = Math.abs(minutes) * MS_PER_MINUTE;
  if (remaining === 0) return new Date(t);
  const forward = minutes > 0;
  for (let n = dayNumberAt(office, t); ; n += forward ? 1 : -1) {
    const plan = planOf(office, n);
    const inDay = forward ? overlapMs(plan, t, Infinity) : overlapMs(plan, -Infinity, t);
    if (remaining > inDay) {
      remaining -= inDay;
      continue;
    }
    const intervals = forward ? plan.intervals : [...plan.intervals].reverse();
    for (const [s, e] of intervals) {
      const lo = forward ? Math.max(s, t) : s;
      const hi = forward ? e : Math.min(e, t);
      if (hi <= lo) continue;
      if (remaining <= hi - lo) return new Date(forward ? lo + remaining : hi - remaining);
      remaining -= hi - lo;
    }
  }
}

/** Open minutes in [from, to); negative when `to` is before `from`. */
export function businessMinutesBetween(office: Office, from: Date, to: Date): number {
  const a = assertValid(from, 'from');
  const b = assertValid(to, 'to');
  // `0 -` so that an empty span backwards is 0, not -0.
  if (b < a) return 0 - businessMinutesBetween(office, to, from);
  const dayA = dayNumberAt(office, a);
  const dayB = dayNumberAt(office, b);
  const ms =
    dayA === dayB
      ? overlapMs(planOf(office, dayA), a, b)
      : overlapMs(planOf(office, dayA), a, Infinity) +
        openMsOfDays(office, dayA + 1, dayB) +
        overlapMs(planOf(office, dayB), -Infinity, b);
  return ms / MS_PER_MINUTE;
}

/**
 * The same wall-clock time `days` calendar days later in the office's zone (so 28 days across
 * a DST change is 671 or 673 hours, not 672).
 */
export function addCalendarDays(office: Office, instant: Date, days: number): Date {
  return addCalendar(office, instant, 0, days);
}

/** The same wall-clock time `months` calendar months later; the day is clamped (31 Jan + 1 → 28 Feb). */
export function addCalendarMonths(office: Office, instant: Date, months: number): Date {
  return addCalendar(office, instant, months, 0);
}

function addCalendar(office: Office, instant: Date, months: number, days: number): Date {
  const t = assertValid(instant, 'instant');
  const wall = t + offsetAt(office, t);
  const n = Math.floor(wall / MS_PER_DAY);
  const timeOfDay = wall - n * MS_PER_DAY;
  const { year, month, day } = localDayOfNumber(n);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  const target = dayNumberOf({ year: targetYear, month: targetMonth, day: Math.min(day, lastDay) }) + days;
  return new Date(instantOfWall(office, target * MS_PER_DAY + timeOfDay));
}
