/**
 * The SLA cell of a visible row: remaining business time to the cached deadline, and its tone.
 *
 * Business time is counted only for deadlines within a week of now. Beyond that the exact
 * count means walking the office calendar across months (hundreds of milliseconds the first
 * time, on the UI thread) to print a number nobody reads: "−802 h". Far deadlines show their
 * date instead ("since 12 Oct", "by 9 Jun 2027").
 */
import { businessMinutesBetween, DEFAULT_DUE_SOON_MINUTES } from '../../../shared/index';
import type { CaseRow } from './rows';

export type SlaTone = 'breached' | 'due_soon' | 'on_track';

export interface SlaRemaining {
  /** Business minutes to the deadline (negative when past), or null when it is over a week away. */
  minutes: number | null;
  tone: SlaTone;
  deadlineAt: number;
}

export const EXACT_WINDOW_MS = 7 * 24 * 3_600_000;

const remainingCache = new Map<string, number>();
let cacheMinute = 0;

/** Remaining minutes per office, deadline and minute: rows re-render often, the calendar walk is done once. */
function remainingMinutes(office: CaseRow['office'], now: number, deadlineAt: number): number {
  const minute = Math.floor(now / 60_000);
  if (minute !== cacheMinute) {
    remainingCache.clear();
    cacheMinute = minute;
  }
  const key = `${office}:${deadlineAt}`;
  let minutes = remainingCache.get(key);
  if (minutes === undefined) {
    minutes = Math.floor(businessMinutesBetween(office, new Date(now), new Date(deadlineAt)));
    remainingCache.set(key, minutes);
  }
  return minutes;
}

/** The calendar changed (an office's exception): remaining times are counted again. */
export function forgetRemaining(): void {
  remainingCache.clear();
}

export function slaRemaining(row: Pick<CaseRow, 'deadlineAt' | 'office'>, now: number): SlaRemaining | null {
  if (row.deadlineAt === null) return null;
  const breached = now > row.deadlineAt;
  if (Math.abs(row.deadlineAt - now) > EXACT_WINDOW_MS) return { minutes: null, tone: breached ? 'breached' : 'on_track', deadlineAt: row.deadlineAt };
  const minutes = remainingMinutes(row.office, now, row.deadlineAt);
  const tone: SlaTone = breached ? 'breached' : minutes <= DEFAULT_DUE_SOON_MINUTES ? 'due_soon' : 'on_track';
  return { minutes, tone, deadlineAt: row.deadlineAt };
}
