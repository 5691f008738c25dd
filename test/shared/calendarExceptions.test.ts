/**
 * Office calendar exceptions in every calendar function, and history kept: an exception counts
 * only from when it was made. 2026-03-09 is a Monday (winter time: SE +01:00, FI +02:00).
 */
import fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import {
  addBusinessMinutes,
  addRefusal,
  applyCalendarExceptions,
  businessMinutesBetween,
  closingTime,
  handlingDeadline,
  isClosedDay,
  isHoliday,
  isOpen,
  nextOpening,
  OFFICE_HOURS,
  OFFICE_TIME_ZONE,
  officeState,
  openIntervals,
  removeRefusal,
  resolutionTarget,
  slaState,
  type CalendarClosure,
  type Office,
} from '../../shared/index';

const MONDAY = { year: 2026, month: 3, day: 9 };
const TUESDAY = { year: 2026, month: 3, day: 10 };
let n = 0;
const exception = (e: Partial<CalendarClosure> & Pick<CalendarClosure, 'date' | 'kind'>): CalendarClosure => ({
  id: `x${++n}`,
  office: 'SE',
  closesAt: null,
  createdAt: '2026-03-01T00:00:00Z',
  deletedAt: null,
  ...e,
});

afterEach(() => {
  applyCalendarExceptions([], { replace: true });
});

describe('an extra closed day', () => {
  test('every calendar function skips it, and removing it brings the day back', () => {
    const before = businessMinutesBetween('SE', new Date('2026-03-09T00:00:00+01:00'), new Date('2026-03-11T00:00:00+01:00'));
    expect(before).toBe(840);
    const closed = exception({ date: '2026-03-10', kind: 'closed' });
    expect(applyCalendarExceptions([closed])?.toISOString()).toBe('2026-03-09T23:00:00.000Z');
    expect(isClosedDay('SE', TUESDAY)).toBe(true);
    expect(isHoliday('SE', TUESDAY)).toBe(false);
    expect(openIntervals('SE', TUESDAY)).toEqual([]);
    expect(closingTime('SE', TUESDAY)).toBeNull();
    expect(isOpen('SE', new Date('2026-03-10T09:00:00+01:00'))).toBe(false);
    expect(nextOpening('SE', new Date('2026-03-09T17:00:00+01:00')).toISOString()).toBe(new Date('2026-03-11T08:00:00+01:00').toISOString());
    expect(officeState('SE', new Date('2026-03-10T09:00:00+01:00'))).toMatchObject({ kind: 'closed', until: new Date('2026-03-11T08:00:00+01:00') });
    expect(businessMinutesBetween('SE', new Date('2026-03-09T00:00:00+01:00'), new Date('2026-03-11T00:00:00+01:00'))).toBe(420);
    // Across years' prefix sums too.
    expect(businessMinutesBetween('SE', new Date('2026-01-01T00:00:00+01:00'), new Date('2027-01-01T00:00:00+01:00'))).toBe(103_800 - 420);
    expect(addBusinessMinutes('SE', new Date('2026-03-09T15:00:00+01:00'), 120).toISOString()).toBe(new Date('2026-03-11T09:00:00+01:00').toISOString());
    // The other office keeps its day.
    expect(isClosedDay('FI', TUESDAY)).toBe(false);

    applyCalendarExceptions([{ ...closed, deletedAt: '2026-03-02T00:00:00Z' }]);
    expect(isClosedDay('SE', TUESDAY)).toBe(false);
    expect(businessMinutesBetween('SE', new Date('2026-03-09T00:00:00+01:00'), new Date('2026-03-11T00:00:00+01:00'))).toBe(840);
  });

  test('closed at 10:00 on the day itself: the minutes before stay counted', () => {
    applyCalendarExceptions([exception({ date: '2026-03-09', kind: 'closed', createdAt: '2026-03-09T10:00:00+01:00' })]);
    expect(isClosedDay('SE', MONDAY)).toBe(false);
    expect(openIntervals('SE', MONDAY).map((i) => i.end.toISOString())).toEqual([new Date('2026-03-09T10:00:00+01:00').toISOString()]);
    expect(businessMinutesBetween('SE', new Date('2026-03-09T00:00:00+01:00'), new Date('2026-03-10T00:00:00+01:00'))).toBe(120);
    expect(isOpen('SE', new Date('2026-03-09T09:59:00+01:00'))).toBe(true);
    expect(isOpen('SE', new Date('2026-03-09T10:00:00+01:00'))).toBe(false);
  });
});

describe('an early closing', () => {
  test('the day closes at its time; the top bar says so; the same-day target follows', () => {
    const registered = new Date('2026-03-09T09:00:00+01:00');
    expect(resolutionTarget(registered, 1, 'SE').deadline.toISOString()).toBe(new Date('2026-03-09T16:00:00+01:00').toISOString());
    applyCalendarExceptions([exception({ date: '2026-03-09', kind: 'closesEarly', closesAt: '14:00' })]);
    expect(closingTime('SE', MONDAY)?.toISOString()).toBe(new Date('2026-03-09T14:00:00+01:00').toISOString());
    expect(resolutionTarget(registered, 1, 'SE').deadline.toISOString()).toBe(new Date('2026-03-09T14:00:00+01:00').toISOString());
    expect(officeState('SE', new Date('2026-03-09T13:30:00+01:00'))).toMatchObject({ kind: 'open', early: true, eve: false, until: new Date('2026-03-09T14:00:00+01:00') });
    expect(officeState('SE', new Date('2026-03-09T14:30:00+01:00'))).toMatchObject({ kind: 'closed', until: new Date('2026-03-10T08:00:00+01:00') });
    // Handling: 4 business hours from 13:00 run 13–14 and Tuesday 08–11.
    expect(handlingDeadline(new Date('2026-03-09T13:00:00+01:00'), 2, 'SE').toISOString()).toBe(new Date('2026-03-10T11:00:00+01:00').toISOString());
    const sla = slaState({ office: 'SE', category: 'bug', serviceLevel: 1, registeredAt: registered, handlingStartedAt: registered, resolvedAt: null }, new Date('2026-03-09T13:30:00+01:00'));
    expect(sla).toMatchObject({ applies: true, state: 'due_soon', remainingBusinessMinutes: 30 });
  });

  test('a handling deadline moves when the exception arrives, and the moved part only', () => {
    const registered = new Date('2026-03-09T15:00:00+01:00');
    expect(handlingDeadline(registered, 1, 'SE').toISOString()).toBe(new Date('2026-03-10T09:00:00+01:00').toISOString());
    const from = applyCalendarExceptions([exception({ date: '2026-03-10', kind: 'closed', createdAt: '2026-03-09T15:30:00+01:00' })]);
    expect(from?.toISOString()).toBe(new Date('2026-03-10T00:00:00+01:00').toISOString());
    expect(handlingDeadline(registered, 1, 'SE').toISOString()).toBe(new Date('2026-03-11T09:00:00+01:00').toISOString());
  });
});

describe('the rules of adding and removing', () => {
  const now = new Date('2026-03-09T10:00:00+01:00');
  test('none for a past day; today and later are fine', () => {
    expect(addRefusal({ office: 'SE', date: '2026-03-08' }, now)).toBe('calendar_past');
    expect(addRefusal({ office: 'SE', date: '2026-03-09' }, now)).toBeNull();
    expect(addRefusal({ office: 'SE', date: '2026-03-10' }, now)).toBeNull();
  });
  test('a future one may go; a begun or past one may not', () => {
    expect(removeRefusal(exception({ date: '2026-03-10', kind: 'closed' }), now)).toBeNull();
    expect(removeRefusal(exception({ date: '2026-03-09', kind: 'closesEarly', closesAt: '14:00' }), now)).toBeNull();
    expect(removeRefusal(exception({ date: '2026-03-09', kind: 'closesEarly', closesAt: '09:00' }), now)).toBe('calendar_begun');
    expect(removeRefusal(exception({ date: '2026-03-09', kind: 'closed' }), now)).toBe('calendar_begun');
    expect(removeRefusal(exception({ date: '2026-03-06', kind: 'closed' }), now)).toBe('calendar_begun');
  });
});

// ---- An independent check: minute by minute, from the hours table and the exceptions alone ----

const wallParts = new Map<Office, Intl.DateTimeFormat>();
function wallOf(office: Office, t: number): { date: string; minutes: number; weekday: number } {
  let f = wallParts.get(office);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: OFFICE_TIME_ZONE[office], hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short' });
    wallParts.set(office, f);
  }
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]));
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday ?? '') + 1;
  return { date: `${p.year}-${p.month}-${p.day}`, minutes: Number(p.hour) * 60 + Number(p.minute), weekday };
}

function referenceOpen(office: Office, t: number, exceptions: readonly CalendarClosure[]): boolean {
  const { date, minutes, weekday } = wallOf(office, t);
  if (weekday > 5) return false;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const local = { year: y, month: m, day: d };
  if (isHoliday(office, local)) return false;
  const hours = OFFICE_HOURS[office];
  const [open, close0] = hours.weekdays[weekday as 1 | 2 | 3 | 4 | 5];
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  const eve = isHoliday(office, { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() });
  const close = eve ? Math.min(close0, hours.eveClosing) : close0;
  if (minutes < open || minutes >= close || (minutes >= hours.lunch[0] && minutes < hours.lunch[1])) return false;
  for (const e of exceptions) {
    if (e.office !== office || e.date !== date || e.deletedAt) continue;
    if (t < Date.parse(e.createdAt)) continue;
    if (e.kind === 'closed') return false;
    const [h, mm] = (e.closesAt ?? '00:00').split(':').map(Number) as [number, number];
    if (minutes >= h * 60 + mm) return false;
  }
  return true;
}

test('business minutes agree with a minute-by-minute walk, with random exceptions', () => {
  const start = Date.parse('2026-03-09T00:00:00+01:00');
  const days = ['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13'];
  fc.assert(
    fc.property(
      fc.constantFrom<Office>('SE', 'FI'),
      fc.array(
        fc.record({
          date: fc.constantFrom(...days),
          kind: fc.constantFrom<'closed' | 'closesEarly'>('closed', 'closesEarly'),
          closesAt: fc.constantFrom('09:30', '11:00', '12:30', '14:00', '15:15'),
          createdMinute: fc.integer({ min: -600, max: 5 * 24 * 60 }),
        }),
        { maxLength: 3 },
      ),
      fc.integer({ min: 0, max: 5 * 24 * 60 }),
      fc.integer({ min: 0, max: 3 * 24 * 60 }),
      (office, drawn, fromMinute, spanMinutes) => {
        const list = drawn.map((d) =>
          exception({ office, date: d.date, kind: d.kind, closesAt: d.kind === 'closed' ? null : d.closesAt, createdAt: new Date(start + d.createdMinute * 60_000).toISOString() }),
        );
        applyCalendarExceptions(list, { replace: true });
        const from = start + fromMinute * 60_000;
        const to = from + spanMinutes * 60_000;
        let expected = 0;
        for (let t = from; t < to; t += 60_000) if (referenceOpen(office, t, list)) expected++;
        expect(businessMinutesBetween(office, new Date(from), new Date(to))).toBe(expected);
        if (expected > 0) {
          // The instant `expected` open minutes after `from` is the end of the last open minute.
          let last = from;
          for (let t = from; t < to; t += 60_000) if (referenceOpen(office, t, list)) last = t + 60_000;
          expect(addBusinessMinutes(office, new Date(from), expected).getTime()).toBe(last);
        }
      },
    ),
    { numRuns: 40 },
  );
});
