/**
 * Hand-checked business calendar cases. Every expected instant is written by hand with its
 * office offset: SE is +01:00 in winter and +02:00 in summer, FI +02:00 / +03:00; summer time
 * runs 2026-03-29 – 2026-10-25 and 2027-03-28 – 2027-10-31.
 *
 * Holiday data relied on (date-holidays 3.37, printed while writing these tests):
 *  SE 2026 closed: Jan 1 (Thu), Jan 6 (Tue), Apr 3 (Fri), Apr 5 (Sun), Apr 6 (Mon), May 1 (Fri),
 *    May 14 (Thu), May 24 (Sun), Jun 6 (Sat), Jun 19 Midsommarafton (Fri, 'bank'), Jun 20 (Sat),
 *    Oct 31 (Sat), Dec 24 Julafton (Thu, 'bank'), Dec 25 (Fri), Dec 26 (Sat), Dec 31 Nyårsafton
 *    (Thu, 'bank').
 *  SE 2027 closed: Jan 1 (Fri), Jan 6 (Wed), Mar 26 (Fri), Mar 28 (Sun), Mar 29 (Mon), May 1 (Sat),
 *    May 6 (Thu), May 16 (Sun), Jun 6 (Sun), Jun 25 (Fri), Jun 26 (Sat), Nov 6 (Sat), Dec 24 (Fri),
 *    Dec 25 (Sat), Dec 26 (Sun), Dec 31 (Fri).
 *  FI 2026 closed: Jan 1, Jan 6, Apr 3, Apr 5, Apr 6, May 1, May 14, May 24, Jun 19 Juhannusaatto
 *    ('bank'), Jun 20, Oct 31 (Sat), Dec 6 (Sun), Dec 24 Jouluaatto ('bank'), Dec 25, Dec 26.
 *    Dec 31 Uudenvuodenaatto is 'bank' too but the office is open.
 *  FI 2027 closed: Jan 1, Jan 6, Mar 26, Mar 28, Mar 29, May 1 (Sat), May 6, May 16, Jun 25,
 *    Jun 26, Nov 6 (Sat), Dec 6 (Mon), Dec 24, Dec 25, Dec 26; 2028 Jan 1 (Sat).
 *  Not closed (date-holidays lists them as 'optional'/'observance'): SE Trettondagsafton,
 *    Skärtorsdag, Påskafton, Valborgsmässoafton, Pingstafton, Allhelgonaafton.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  nextLocalMidnight,
  OFFICE_TIME_ZONE,
  officeState,
  addBusinessMinutes,
  addCalendarDays,
  addCalendarMonths,
  businessMinutesBetween,
  closingTime,
  isClosedDay,
  isEve,
  isHoliday,
  isOpen,
  localDayOf,
  nextOpening,
  openIntervals,
  type LocalDay,
} from '../../shared/index';
import type { Office } from '../../shared/index';

const day = (iso: string): LocalDay => {
  const [year, month, d] = iso.split('-').map(Number);
  return { year: year!, month: month!, day: d! };
};
const iso = (date: Date): string => date.toISOString();
const instant = (text: string): string => new Date(text).toISOString();

test('office time zones', () => {
  expect(OFFICE_TIME_ZONE).toEqual({ SE: 'Europe/Stockholm', FI: 'Europe/Helsinki' });
});

describe('closed days from date-holidays plus the de facto eves', () => {
  test.each<[Office, string]>([
    ['SE', '2026-01-01'], ['SE', '2026-01-06'], ['SE', '2026-04-03'], ['SE', '2026-04-06'],
    ['SE', '2026-05-01'], ['SE', '2026-05-14'], ['SE', '2026-06-19'], ['SE', '2026-12-24'],
    ['SE', '2026-12-25'], ['SE', '2026-12-31'],
    ['SE', '2027-01-01'], ['SE', '2027-01-06'], ['SE', '2027-03-26'], ['SE', '2027-03-29'],
    ['SE', '2027-05-06'], ['SE', '2027-06-25'], ['SE', '2027-12-24'], ['SE', '2027-12-31'],
    ['FI', '2026-01-01'], ['FI', '2026-01-06'], ['FI', '2026-04-03'], ['FI', '2026-04-06'],
    ['FI', '2026-05-01'], ['FI', '2026-05-14'], ['FI', '2026-06-19'], ['FI', '2026-12-24'],
    ['FI', '2026-12-25'],
    ['FI', '2027-01-01'], ['FI', '2027-01-06'], ['FI', '2027-03-26'], ['FI', '2027-03-29'],
    ['FI', '2027-05-06'], ['FI', '2027-06-25'], ['FI', '2027-12-06'], ['FI', '2027-12-24'],
  ])('%s %s is a weekday holiday: closed all day', (office, date) => {
    expect(isHoliday(office, day(date))).toBe(true);
    expect(isClosedDay(office, day(date))).toBe(true);
    expect(openIntervals(office, day(date))).toEqual([]);
    expect(closingTime(office, day(date))).toBeNull();
  });

  test.each<[Office, string]>([
    ['SE', '2026-06-06'], ['SE', '2026-10-31'], ['SE', '2027-05-01'], ['SE', '2027-06-06'],
    ['SE', '2027-11-06'], ['SE', '2027-12-25'], ['FI', '2026-10-31'], ['FI', '2026-12-06'],
    ['FI', '2027-05-01'], ['FI', '2027-11-06'], ['FI', '2028-01-01'],
  ])('%s %s is a holiday on a weekend', (office, date) => {
    expect(isHoliday(office, day(date))).toBe(true);
    expect(isClosedDay(office, day(date))).toBe(true);
  });

  test.each<[Office, string, string]>([
    ['SE', '2026-01-05', 'Trettondagsafton is only an eve'],
    ['SE', '2026-04-02', 'Skärtorsdag is only an eve'],
    ['SE', '2026-04-30', 'Valborgsmässoafton is only an eve'],
    ['FI', '2026-12-31', 'Uudenvuodenaatto is open'],
    ['FI', '2026-06-05', 'Finland has no national day in June'],
    ['SE', '2026-03-27', 'an ordinary Friday'],
  ])('%s %s is not a holiday (%s)', (office, date) => {
    expect(isHoliday(office, day(date))).toBe(false);
    expect(isClosedDay(office, day(date))).toBe(false);
  });

  test.each<[Office, string]>([
    ['SE', '2026-03-28'], ['SE', '2026-03-29'], ['FI', '2026-05-23'], ['SE', '2026-04-04'],
  ])('%s %s: weekends are closed days but not holidays', (office, date) => {
    expect(isClosedDay(office, day(date))).toBe(true);
    expect(isHoliday(office, day(date))).toBe(false);
  });
});

describe('every eve of 2026 and 2027', () => {
  // SE eves close at 13:00, which with lunch 12–13 leaves 08–12.
  test.each<[string, string]>([
    ['2026-01-05', '+01:00'], // Mon before Trettondedag jul
    ['2026-04-02', '+02:00'], // Skärtorsdag
    ['2026-04-30', '+02:00'], // Valborg, before Första maj
    ['2026-05-13', '+02:00'], // before Kristi himmelsfärd
    ['2026-06-05', '+02:00'], // Fri before Nationaldagen on a Saturday
    ['2026-06-18', '+02:00'], // before Midsommarafton
    ['2026-10-30', '+01:00'], // Fri before Alla helgons dag on a Saturday (after DST)
    ['2026-12-23', '+01:00'], // before Julafton
    ['2026-12-30', '+01:00'], // before Nyårsafton
    ['2027-01-05', '+01:00'],
    ['2027-03-25', '+01:00'], // Skärtorsdag, the week DST starts
    ['2027-04-30', '+02:00'], // Fri before Första maj on a Saturday
    ['2027-05-05', '+02:00'],
    ['2027-06-24', '+02:00'],
    ['2027-11-05', '+01:00'], // Fri before Alla helgons dag on a Saturday
    ['2027-12-23', '+01:00'],
    ['2027-12-30', '+01:00'],
  ])('SE %s is an eve open 08–12', (date, offset) => {
    expect(isEve('SE', day(date))).toBe(true);
    expect(openIntervals('SE', day(date)).map(({ start, end }) => [iso(start), iso(end)])).toEqual([
      [instant(`${date}T08:00:00${offset}`), instant(`${date}T12:00:00${offset}`)],
    ]);
    expect(iso(closingTime('SE', day(date))!)).toBe(instant(`${date}T12:00:00${offset}`));
  });

  // FI eves close at 14:00: Mon–Thu 08–11 and 12–14; a Friday keeps its usual hours.
  test.each<[string, string]>([
    ['2026-01-05', '+02:00'], // before Loppiainen
    ['2026-04-02', '+03:00'], // Kiirastorstai
    ['2026-04-30', '+03:00'], // Vappuaatto
    ['2026-05-13', '+03:00'], // before Helatorstai
    ['2026-06-18', '+03:00'], // before Juhannusaatto
    ['2026-10-30', '+02:00'], // Fri before Pyhäinpäivä on a Saturday
    ['2026-12-23', '+02:00'], // before Jouluaatto
    ['2026-12-31', '+02:00'], // Uudenvuodenaatto: open, an eve
    ['2027-01-05', '+02:00'],
    ['2027-03-25', '+02:00'],
    ['2027-04-30', '+03:00'], // Fri before Vappu on a Saturday
    ['2027-05-05', '+03:00'],
    ['2027-06-24', '+03:00'],
    ['2027-11-05', '+02:00'], // Fri before Pyhäinpäivä on a Saturday
    ['2027-12-23', '+02:00'],
    ['2027-12-31', '+02:00'], // Fri before Uudenvuodenpäivä 2028 on a Saturday
  ])('FI %s is an eve open 08–11 and 12–14', (date, offset) => {
    expect(isEve('FI', day(date))).toBe(true);
    expect(openIntervals('FI', day(date)).map(({ start, end }) => [iso(start), iso(end)])).toEqual([
      [instant(`${date}T08:00:00${offset}`), instant(`${date}T11:00:00${offset}`)],
      [instant(`${date}T12:00:00${offset}`), instant(`${date}T14:00:00${offset}`)],
    ]);
  });

  test.each<[Office, string, string]>([
    ['SE', '2026-03-27', 'an ordinary Friday before an ordinary weekend'],
    ['SE', '2026-05-22', 'Fri before Pingstafton, which is not a holiday'],
    ['SE', '2027-06-04', 'Fri before a Saturday; Nationaldagen is on the Sunday'],
    ['SE', '2026-12-24', 'Julafton is closed, so not an eve'],
    ['FI', '2026-12-30', 'the day after is Uudenvuodenaatto, which is open'],
    ['FI', '2026-12-04', 'Fri; Itsenäisyyspäivä 2026 is on the Sunday'],
    ['FI', '2027-12-03', 'Fri; Itsenäisyyspäivä 2027 is on the Monday, after a weekend'],
    ['FI', '2026-12-24', 'Jouluaatto is closed'],
    ['FI', '2026-06-05', 'the Swedish national day eve is not Finnish'],
  ])('%s %s is not an eve (%s)', (office, date) => {
    expect(isEve(office, day(date))).toBe(false);
  });
});

describe('ordinary days', () => {
  test.each<[Office, string, Array<[string, string]>]>([
    ['SE', '2026-03-27', [['2026-03-27T08:00:00+01:00', '2026-03-27T12:00:00+01:00'], ['2026-03-27T13:00:00+01:00', '2026-03-27T16:00:00+01:00']]],
    ['SE', '2026-03-30', [['2026-03-30T08:00:00+02:00', '2026-03-30T12:00:00+02:00'], ['2026-03-30T13:00:00+02:00', '2026-03-30T16:00:00+02:00']]],
    ['FI', '2026-03-26', [['2026-03-26T08:00:00+02:00', '2026-03-26T11:00:00+02:00'], ['2026-03-26T12:00:00+02:00', '2026-03-26T16:00:00+02:00']]],
    ['FI', '2026-03-27', [['2026-03-27T08:00:00+02:00', '2026-03-27T11:00:00+02:00'], ['2026-03-27T12:00:00+02:00', '2026-03-27T14:00:00+02:00']]],
    ['FI', '2026-12-30', [['2026-12-30T08:00:00+02:00', '2026-12-30T11:00:00+02:00'], ['2026-12-30T12:00:00+02:00', '2026-12-30T16:00:00+02:00']]],
    ['SE', '2026-03-28', []],
  ])('%s %s open intervals', (office, date, expected) => {
    expect(openIntervals(office, day(date)).map(({ start, end }) => [iso(start), iso(end)])).toEqual(
      expected.map(([s, e]) => [instant(s), instant(e)]),
    );
  });
});

describe('isOpen', () => {
  test.each<[Office, string, boolean]>([
    ['SE', '2026-03-27T07:59:59+01:00', false],
    ['SE', '2026-03-27T08:00:00+01:00', true],
    ['SE', '2026-03-27T11:59:59+01:00', true],
    ['SE', '2026-03-27T12:00:00+01:00', false], // lunch starts
    ['SE', '2026-03-27T12:59:00+01:00', false],
    ['SE', '2026-03-27T13:00:00+01:00', true],
    ['SE', '2026-03-27T15:59:59+01:00', true],
    ['SE', '2026-03-27T16:00:00+01:00', false], // exactly at closing
    ['SE', '2026-03-28T10:00:00+01:00', false], // Saturday
    ['SE', '2026-03-30T07:30:00+02:00', false], // the first Monday of summer time: 07:30 local
    ['SE', '2026-03-30T08:30:00+02:00', true],
    ['SE', '2026-04-02T11:59:00+02:00', true], // Skärtorsdag
    ['SE', '2026-04-02T13:30:00+02:00', false], // eve: closed in the afternoon
    ['SE', '2026-04-03T10:00:00+02:00', false], // Långfredagen
    ['SE', '2026-06-19T10:00:00+02:00', false], // Midsommarafton
    ['SE', '2026-12-24T09:00:00+01:00', false], // Julafton
    ['SE', '2026-12-31T09:00:00+01:00', false], // Nyårsafton
    ['SE', '2026-03-27T07:30:00+01:00', false], // the same instant is 08:30 in Helsinki
    ['FI', '2026-03-27T07:30:00+01:00', true],
    ['FI', '2026-03-27T10:59:00+02:00', true],
    ['FI', '2026-03-27T11:00:00+02:00', false], // Finnish lunch 11–12
    ['FI', '2026-03-27T12:00:00+02:00', true],
    ['FI', '2026-03-27T13:59:00+02:00', true],
    ['FI', '2026-03-27T14:00:00+02:00', false], // Friday closes at 14
    ['FI', '2026-03-26T15:59:00+02:00', true],
    ['FI', '2026-03-26T16:00:00+02:00', false],
    ['FI', '2026-06-18T13:30:00+03:00', true],
    ['FI', '2026-06-18T14:30:00+03:00', false], // Juhannus eve
    ['FI', '2026-06-19T10:00:00+03:00', false], // Juhannusaatto
    ['FI', '2026-12-31T13:00:00+02:00', true], // Uudenvuodenaatto is open
    ['FI', '2026-12-31T14:00:00+02:00', false],
    ['FI', '2026-12-30T15:30:00+02:00', true],
  ])('%s at %s → %s', (office, at, expected) => {
    expect(isOpen(office, new Date(at))).toBe(expected);
  });
});

describe('local days and next opening', () => {
  test.each<[Office, string, string]>([
    ['SE', '2026-03-26T23:30:00Z', '2026-03-27'], // 00:30 Friday in Stockholm
    ['FI', '2026-03-26T22:30:00Z', '2026-03-27'], // 00:30 Friday in Helsinki
    ['SE', '2026-03-26T22:30:00Z', '2026-03-26'], // still 23:30 Thursday in Stockholm
    ['SE', '2026-12-31T23:00:00Z', '2027-01-01'],
    ['FI', '2027-10-30T21:30:00Z', '2027-10-31'], // 00:30 summer time, the night of the change
  ])('%s %s falls on %s', (office, at, expected) => {
    expect(localDayOf(office, new Date(at))).toEqual(day(expected));
  });

  test.each<[Office, string, string]>([
    ['SE', '2026-03-27T10:00:00+01:00', '2026-03-27T10:00:00+01:00'], // open now
    ['SE', '2026-03-27T12:15:00+01:00', '2026-03-27T13:00:00+01:00'], // after lunch
    ['SE', '2026-03-27T16:00:00+01:00', '2026-03-30T08:00:00+02:00'], // over the DST weekend
    ['SE', '2026-12-23T12:00:00+01:00', '2026-12-28T08:00:00+01:00'], // eve closing → after Christmas
    ['FI', '2026-12-23T15:00:00+02:00', '2026-12-28T08:00:00+02:00'],
    ['FI', '2026-10-23T14:00:00+03:00', '2026-10-26T08:00:00+02:00'], // Friday 14:00 over the DST end
  ])('%s next opening from %s is %s', (office, at, expected) => {
    expect(iso(nextOpening(office, new Date(at)))).toBe(instant(expected));
  });
});

describe('addBusinessMinutes', () => {
  test.each<[Office, string, number, string]>([
    ['SE', '2026-03-27T09:00:00+01:00', 60, '2026-03-27T10:00:00+01:00'],
    ['SE', '2026-03-27T11:30:00+01:00', 60, '2026-03-27T13:30:00+01:00'], // across lunch
    ['SE', '2026-03-27T11:00:00+01:00', 60, '2026-03-27T12:00:00+01:00'], // due as lunch starts
    ['SE', '2026-03-27T12:30:00+01:00', 30, '2026-03-27T13:30:00+01:00'], // starts in lunch
    ['SE', '2026-03-27T15:00:00+01:00', 60, '2026-03-27T16:00:00+01:00'], // due at closing
    ['SE', '2026-03-27T15:00:00+01:00', 61, '2026-03-30T08:01:00+02:00'], // over the DST weekend
    ['SE', '2026-03-28T10:00:00+01:00', 30, '2026-03-30T08:30:00+02:00'], // from a Saturday
    ['SE', '2026-03-27T09:00:00+01:00', 0, '2026-03-27T09:00:00+01:00'],
    ['SE', '2026-03-30T08:30:00+02:00', -60, '2026-03-27T15:30:00+01:00'], // backwards
    ['SE', '2026-03-27T13:00:00+01:00', -60, '2026-03-27T11:00:00+01:00'],
    ['FI', '2026-03-27T13:00:00+02:00', 120, '2026-03-30T09:00:00+03:00'],
    ['FI', '2026-10-23T13:30:00+03:00', 60, '2026-10-26T08:30:00+02:00'],
    ['FI', '2026-03-26T10:30:00+02:00', 60, '2026-03-26T12:30:00+02:00'],
  ])('%s %s + %d min → %s', (office, from, minutes, expected) => {
    expect(iso(addBusinessMinutes(office, new Date(from), minutes))).toBe(instant(expected));
  });

  test('rejects an invalid date and a non-finite amount', () => {
    expect(() => addBusinessMinutes('SE', new Date('nonsense'), 10)).toThrow(RangeError);
    expect(() => addBusinessMinutes('SE', new Date('2026-03-27T09:00:00+01:00'), Number.NaN)).toThrow(RangeError);
  });
});

describe('businessMinutesBetween', () => {
  test.each<[Office, string, string, number]>([
    ['SE', '2026-03-27T08:00:00+01:00', '2026-03-27T16:00:00+01:00', 420],
    ['SE', '2026-03-27T12:10:00+01:00', '2026-03-27T12:50:00+01:00', 0], // inside lunch
    ['SE', '2026-03-27T15:00:00+01:00', '2026-03-30T09:00:00+02:00', 120],
    // Easter week 2026: Mon–Wed 3 × 420, Skärtorsdag 240, Långfredag closed.
    ['SE', '2026-03-30T00:00:00+02:00', '2026-04-06T00:00:00+02:00', 1500],
    ['SE', '2026-04-06T00:00:00+02:00', '2026-03-30T00:00:00+02:00', -1500],
    // Mon–Wed 3 × 420, Kiirastorstai 180 + 120.
    ['FI', '2026-03-30T00:00:00+03:00', '2026-04-06T00:00:00+03:00', 1560],
    // 261 weekdays − 10 weekday holidays = 251 open days, 9 of them eves: 242 × 420 + 9 × 240.
    ['SE', '2026-01-01T00:00:00+01:00', '2027-01-01T00:00:00+01:00', 103_800],
    // 252 open days: 48 Fridays × 300, 7 Mon–Thu eves × 300, 197 Mon–Thu × 420.
    ['FI', '2026-01-01T00:00:00+02:00', '2027-01-01T00:00:00+02:00', 99_240],
    ['FI', '2026-03-27T13:30:00+02:00', '2026-03-27T13:30:30+02:00', 0.5],
  ])('%s [%s, %s) → %d min', (office, from, to, expected) => {
    expect(businessMinutesBetween(office, new Date(from), new Date(to))).toBe(expected);
  });

  test('agrees with addBusinessMinutes for any start and amount', () => {
    const start = Date.parse('2025-12-01T00:00:00Z');
    const span = Date.parse('2028-01-01T00:00:00Z') - start;
    fc.assert(
      fc.property(
        fc.constantFrom<Office>('SE', 'FI'),
        fc.integer({ min: 0, max: span }),
        fc.integer({ min: -5000, max: 5000 }),
        (office, offset, minutes) => {
          const from = new Date(start + offset);
          const to = addBusinessMinutes(office, from, minutes);
          expect(businessMinutesBetween(office, from, to)).toBeCloseTo(minutes, 9);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('calendar arithmetic keeps the wall-clock time', () => {
  test.each<[Office, string, number, string]>([
    ['SE', '2026-03-20T10:00:00+01:00', 28, '2026-04-17T10:00:00+02:00'],
    ['FI', '2026-10-10T09:00:00+03:00', 28, '2026-11-07T09:00:00+02:00'],
    // Half an hour before the clocks go forward (01:00 UTC) on the night of the change.
    ['SE', '2026-03-01T01:30:00+01:00', 28, '2026-03-29T01:30:00+01:00'],
    ['FI', '2026-03-01T02:30:00+02:00', 28, '2026-03-29T02:30:00+02:00'],
  ])('%s %s + %d days → %s', (office, from, days, expected) => {
    expect(iso(addCalendarDays(office, new Date(from), days))).toBe(instant(expected));
  });

  test.each<[Office, string, number, string]>([
    ['SE', '2026-01-31T10:00:00+01:00', 1, '2026-02-28T10:00:00+01:00'],
    ['SE', '2026-08-31T23:30:00+02:00', 6, '2027-02-28T23:30:00+01:00'],
    ['FI', '2026-03-15T09:30:00+02:00', 12, '2027-03-15T09:30:00+02:00'],
  ])('%s %s + %d months → %s', (office, from, months, expected) => {
    expect(iso(addCalendarMonths(office, new Date(from), months))).toBe(instant(expected));
  });
});

describe('officeState', () => {
  const state = (office: 'SE' | 'FI', iso: string) => {
    const s = officeState(office, new Date(iso));
    return { kind: s.kind, until: s.until.toISOString(), changesAt: s.changesAt.toISOString(), ...(s.kind === 'open' ? { eve: s.eve } : {}) };
  };
  test.each([
    // SE, Monday 7 Dec 2026 (+01:00): 08–12, lunch 12–13, 13–16.
    ['SE', '2026-12-07T06:59:59.999Z', { kind: 'closed', until: '2026-12-07T07:00:00.000Z', changesAt: '2026-12-07T07:00:00.000Z' }],
    ['SE', '2026-12-07T07:00:00.000Z', { kind: 'open', until: '2026-12-07T15:00:00.000Z', changesAt: '2026-12-07T11:00:00.000Z', eve: false }],
    ['SE', '2026-12-07T11:00:00.000Z', { kind: 'lunch', until: '2026-12-07T12:00:00.000Z', changesAt: '2026-12-07T12:00:00.000Z' }],
    ['SE', '2026-12-07T11:59:59.999Z', { kind: 'lunch', until: '2026-12-07T12:00:00.000Z', changesAt: '2026-12-07T12:00:00.000Z' }],
    ['SE', '2026-12-07T12:00:00.000Z', { kind: 'open', until: '2026-12-07T15:00:00.000Z', changesAt: '2026-12-07T15:00:00.000Z', eve: false }],
    ['SE', '2026-12-07T15:00:00.000Z', { kind: 'closed', until: '2026-12-08T07:00:00.000Z', changesAt: '2026-12-08T07:00:00.000Z' }],
    // The weekend: closed from Friday 16:00 until Monday 08:00.
    ['SE', '2026-12-11T15:00:00.000Z', { kind: 'closed', until: '2026-12-14T07:00:00.000Z', changesAt: '2026-12-14T07:00:00.000Z' }],
    ['SE', '2026-12-12T11:00:00.000Z', { kind: 'closed', until: '2026-12-14T07:00:00.000Z', changesAt: '2026-12-14T07:00:00.000Z' }],
    // FI (+02:00): lunch 11–12; a Friday closes at 14:00, which is not an eve.
    ['FI', '2026-12-07T09:00:00.000Z', { kind: 'lunch', until: '2026-12-07T10:00:00.000Z', changesAt: '2026-12-07T10:00:00.000Z' }],
    ['FI', '2026-12-11T10:00:00.000Z', { kind: 'open', until: '2026-12-11T12:00:00.000Z', changesAt: '2026-12-11T12:00:00.000Z', eve: false }],
    // Eves: the day before Julafton closes early (SE at 13:00, which after lunch is 12:00; FI at 14:00).
    ['SE', '2026-12-23T08:00:00.000Z', { kind: 'open', until: '2026-12-23T11:00:00.000Z', changesAt: '2026-12-23T11:00:00.000Z', eve: true }],
    ['FI', '2026-12-23T10:30:00.000Z', { kind: 'open', until: '2026-12-23T12:00:00.000Z', changesAt: '2026-12-23T12:00:00.000Z', eve: true }],
    // Holidays: after the eve closes, closed over Christmas until Monday 28 Dec.
    ['SE', '2026-12-23T11:00:00.000Z', { kind: 'closed', until: '2026-12-28T07:00:00.000Z', changesAt: '2026-12-28T07:00:00.000Z' }],
    ['FI', '2026-12-25T10:00:00.000Z', { kind: 'closed', until: '2026-12-28T06:00:00.000Z', changesAt: '2026-12-28T06:00:00.000Z' }],
  ] as const)('%s at %s', (office, iso, expected) => {
    expect(state(office, iso)).toEqual(expected);
  });
});

describe('nextLocalMidnight', () => {
  test.each([
    // Winter: CET, UTC+1.
    ['SE', '2026-12-14T16:30:00.000Z', '2026-12-14T23:00:00.000Z'],
    // The day summer time starts is 23 hours long; the next midnight is in CEST.
    ['SE', '2026-03-29T10:00:00.000Z', '2026-03-29T22:00:00.000Z'],
    // Helsinki is an hour ahead; just before its midnight, and exactly at it.
    ['FI', '2026-12-14T21:59:59.999Z', '2026-12-14T22:00:00.000Z'],
    ['FI', '2026-12-14T22:00:00.000Z', '2026-12-15T22:00:00.000Z'],
  ] as const)('%s after %s', (office, iso, expected) => {
    expect(nextLocalMidnight(office, new Date(iso)).toISOString()).toBe(expected);
  });
});
