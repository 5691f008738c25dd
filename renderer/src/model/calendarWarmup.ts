/**
 * The office calendars (shared/calendar.ts) build a whole year's day plans the first time a
 * span of several days is counted. On the UI thread that is a few hundred milliseconds — too
 * long to happen in the middle of the first queue render. So the year(s) around today are
 * planned ahead, a few days per idle slice, while the login screen or the first sync runs.
 */
import { isClosedDay, OFFICES, type LocalDay } from '../../../shared/index';
import { EXACT_WINDOW_MS } from './slaView';

const DAY_MS = 86_400_000;
const SLICE_BUDGET_MS = 8;

function localDay(ms: number): LocalDay {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function warmCalendars(now = Date.now()): () => void {
  // Every year the exact SLA window around today touches, for both offices.
  const years = new Set([localDay(now - EXACT_WINDOW_MS).year, localDay(now).year, localDay(now + EXACT_WINDOW_MS).year]);
  const days: Array<[(typeof OFFICES)[number], LocalDay]> = [];
  // Today's surroundings first, then the rest of the year(s).
  for (let t = now - EXACT_WINDOW_MS; t <= now + EXACT_WINDOW_MS; t += DAY_MS) for (const office of OFFICES) days.push([office, localDay(t)]);
  for (const year of years) {
    for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += DAY_MS) for (const office of OFFICES) days.push([office, localDay(t)]);
  }
  let i = 0;
  let handle = 0;
  const slice = (deadline: IdleDeadline) => {
    const stop = performance.now() + Math.min(SLICE_BUDGET_MS, deadline.timeRemaining());
    while (i < days.length && performance.now() < stop) {
      const [office, day] = days[i++]!;
      isClosedDay(office, day);
    }
    if (i < days.length) handle = requestIdleCallback(slice);
  };
  handle = requestIdleCallback(slice);
  return () => cancelIdleCallback(handle);
}
