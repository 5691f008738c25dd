/**
 * Numbers, dates, times and durations through Intl with an explicit locale and the office's
 * time zone — never the machine's — so a Finnish specialist on a laptop set to UTC still sees
 * Helsinki time.
 */
import { OFFICE_TIME_ZONE, OFFICES, type Office } from '../../../shared/index';

export type UiLanguage = 'sv' | 'fi';
export const LOCALE_TAG: Record<UiLanguage, string> = { sv: 'sv-SE', fi: 'fi-FI' };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface Formatters {
  lang: UiLanguage;
  locale: string;
  timeZone: string;
  number(n: number): string;
  date(ms: number): string;
  /** Day and month, with the year only when it is not this year. */
  shortDate(ms: number): string;
  time(ms: number): string;
  dateTime(ms: number): string;
  /** Business minutes as "1 h 20 min" (signed: negative once past the deadline). */
  minutes(min: number): string;
  /** Calendar time since an instant, compact: "12 min", "5 h", "3 d". */
  age(sinceMs: number, nowMs: number): string;
  /**
   * An instant near `nowMs` by its day and time in the office's zone: "08:00" today, "i morgon
   * 08:00" / "huomenna klo 8.00", "måndag 08:00" / "maanantaina klo 8.00" within a week, else
   * the date. `short`: the weekday abbreviated ("mån 08:00", "ma 8.00"), for a table cell.
   */
  dayTime(ms: number, nowMs: number, short?: boolean): string;
}

const cache = new Map<string, Formatters>();

export function formatters(lang: UiLanguage, office: Office): Formatters {
  const key = `${lang}:${office}`;
  const known = cache.get(key);
  if (known) return known;
  const locale = LOCALE_TAG[lang];
  const timeZone = OFFICE_TIME_ZONE[office];
  const num = new Intl.NumberFormat(locale);
  const date = new Intl.DateTimeFormat(locale, { timeZone, day: 'numeric', month: 'short', year: 'numeric' });
  const dayMonth = new Intl.DateTimeFormat(locale, { timeZone, day: 'numeric', month: 'short' });
  // Each language's own habit: "08:00" in Swedish, "9.00" in Finnish.
  const hour = lang === 'sv' ? '2-digit' : 'numeric';
  const time = new Intl.DateTimeFormat(locale, { timeZone, hour, minute: '2-digit' });
  const dateTime = new Intl.DateTimeFormat(locale, { timeZone, day: 'numeric', month: 'short', hour, minute: '2-digit' });
  const dateTimeYear = new Intl.DateTimeFormat(locale, { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour, minute: '2-digit' });
  const yearOf = new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' });
  const sameYear = (ms: number) => yearOf.format(ms) === yearOf.format(Date.now());
  const unit = (u: 'minute' | 'hour' | 'day') => new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short' });
  const dayKey = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const dayNumber = (ms: number) => Date.parse(`${dayKey.format(ms)}T00:00:00Z`) / DAY;
  const weekdayLong = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long', hour, minute: '2-digit' });
  const weekdayShort = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short' });
  // The weekday as it reads before a time: Finnish "maanantaina", Swedish "måndag".
  const weekdayOf = (ms: number) => weekdayLong.formatToParts(ms).find((p) => p.type === 'weekday')?.value ?? '';
  const clock = (ms: number, bare: boolean) => (lang === 'fi' && !bare ? `klo ${time.format(ms)}` : time.format(ms));
  const minuteF = unit('minute');
  const hourF = unit('hour');
  const dayF = unit('day');
  const minutes = (min: number): string => {
    const sign = min < 0 ? '−' : '';
    const abs = Math.abs(Math.trunc(min));
    const h = Math.floor(abs / 60);
    const m = abs % 60;
    if (h === 0) return sign + minuteF.format(m);
    // Past ten hours the minutes are noise: "−802 h", not "−802 h 45 min".
    return sign + (m === 0 || h >= 10 ? hourF.format(h) : `${hourF.format(h)} ${minuteF.format(m)}`);
  };
  const f: Formatters = {
    lang,
    locale,
    timeZone,
    number: (n) => num.format(n),
    date: (ms) => date.format(ms),
    shortDate: (ms) => (sameYear(ms) ? dayMonth : date).format(ms),
    time: (ms) => time.format(ms),
    // The year only when it is not this year: "9 juni 13:15", "9 juni 2027 13:15".
    dateTime: (ms) => (sameYear(ms) ? dateTime : dateTimeYear).format(ms),
    minutes,
    age: (sinceMs, nowMs) => {
      const d = Math.max(0, nowMs - sinceMs);
      if (d < HOUR) return minuteF.format(Math.floor(d / MINUTE));
      if (d < DAY) return hourF.format(Math.floor(d / HOUR));
      return dayF.format(Math.floor(d / DAY));
    },
    dayTime: (ms, nowMs, short = false) => {
      const days = dayNumber(ms) - dayNumber(nowMs);
      if (days === 0) return clock(ms, short);
      if (Math.abs(days) > 6) return (sameYear(ms) ? dateTime : dateTimeYear).format(ms);
      if (short) return `${weekdayShort.format(ms).replace(/\.$/, '')} ${time.format(ms)}`;
      if (days === 1) return `${lang === 'fi' ? 'huomenna' : 'i morgon'} ${clock(ms, false)}`;
      return `${weekdayOf(ms)} ${clock(ms, false)}`;
    },
  };
  cache.set(key, f);
  return f;
}

/**
 * Creating the first Intl formatters of a locale loads its data: tens of milliseconds that
 * would otherwise fall into the desk's first render after the login. Done while the login
 * screen idles instead, one office per idle slice.
 */
export function warmFormatters(lang: UiLanguage): void {
  for (const office of OFFICES) requestIdleCallback(() => formatters(lang, office));
}
