import { describe, expect, it } from 'vitest';
import { formatters } from '../../renderer/src/i18n/format';

describe('formatters', () => {
  it("uses the office's time zone, not the machine's", () => {
    // 07:00 UTC is 09:00 in Helsinki and 08:00 in Stockholm (winter time).
    const at = Date.UTC(2026, 0, 15, 7, 0);
    expect(formatters('fi', 'FI').time(at)).toBe('9.00');
    expect(formatters('sv', 'SE').time(at)).toBe('08:00');
  });

  it('formats business minutes as hours and minutes, signed', () => {
    const sv = formatters('sv', 'SE');
    expect(sv.minutes(45)).toBe('45 min');
    expect(sv.minutes(125)).toMatch(/^2 tim 5 min$/);
    expect(sv.minutes(-90)).toMatch(/^−1 tim 30 min$/);
    // Past ten hours, minutes are dropped.
    expect(sv.minutes(-48_165)).toMatch(/^−802 tim$/);
    expect(formatters('fi', 'FI').minutes(125)).toMatch(/^2 t 5 min$/);
  });

  it('writes a short date with the year only when it is not this year', () => {
    const sv = formatters('sv', 'SE');
    const thisYear = new Date().getUTCFullYear();
    expect(sv.shortDate(Date.UTC(thisYear, 5, 9, 11))).toBe('9 juni');
    expect(sv.shortDate(Date.UTC(thisYear + 1, 5, 9, 11))).toBe(`9 juni ${thisYear + 1}`);
  });

  it('writes compact ages', () => {
    const fi = formatters('fi', 'FI');
    const now = Date.UTC(2026, 2, 10, 12);
    expect(fi.age(now - 5 * 60_000, now)).toBe('5 min');
    expect(fi.age(now - 3 * 86_400_000, now)).toMatch(/^3 pv/);
  });
});
