/**
 * The holiday table the calendars read (shared/holidayTable.ts) is what date-holidays says, for
 * every year it covers: a new version of the library with other rules fails here until
 * `npm run holidays` writes the table again.
 */
import { describe, expect, it } from 'vitest';
import { closedHolidaysByLibrary, FIRST_YEAR as SCRIPT_FIRST, LAST_YEAR as SCRIPT_LAST } from '../../scripts/holidays';
import { isHoliday } from '../../shared/calendar';
import { CLOSED_HOLIDAYS, FIRST_YEAR, LAST_YEAR } from '../../shared/holidayTable';
import { OFFICES } from '../../shared/index';

describe('holiday table', () => {
  it('covers the years the script writes', () => {
    expect([FIRST_YEAR, LAST_YEAR]).toEqual([SCRIPT_FIRST, SCRIPT_LAST]);
    for (const office of OFFICES) expect(CLOSED_HOLIDAYS[office]).toHaveLength(LAST_YEAR - FIRST_YEAR + 1);
  });

  it.each(OFFICES)('%s: every year is the closed days date-holidays gives', (office) => {
    for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
      const days = (CLOSED_HOLIDAYS[office][year - FIRST_YEAR] ?? '').match(/\d{4}/g) ?? [];
      expect({ year, days }).toEqual({ year, days: closedHolidaysByLibrary(office, year) });
    }
  });

  it('refuses a year it does not cover, naming it', () => {
    expect(() => isHoliday('SE', { year: LAST_YEAR + 1, month: 1, day: 1 })).toThrow(String(LAST_YEAR + 1));
    expect(isHoliday('FI', { year: FIRST_YEAR, month: 12, day: 6 })).toBe(true);
  });
});
