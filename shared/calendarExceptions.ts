/**
 * Office calendar exceptions: an extra closed day or an early closing of one office (a staff
 * day, an unplanned closure), made by a lead. The calendar (shared/calendar.ts
 * `applyCalendarExceptions`) counts one only from when it was made, so history keeps the
 * calendar that was in force: closing a day at 10:00 closes it from 10:00, and the open minutes
 * before stay counted. None can be added for a past day, and one that has begun (its closing is
 * in force) or lies in the past cannot be removed.
 */
import { z } from 'zod';
import { Id, Instant } from './contract';
import { closureStart, localDayOf, type CalendarClosure } from './calendar';
import type { Office } from './teams';

export const CALENDAR_NOTE_MAX = 500;

const DateText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 1970 && y <= 2199;
  }, 'not a calendar date');
const TimeText = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time HH:MM');

export const CalendarExceptionKindSchema = z.enum(['closed', 'closesEarly']);
export type CalendarExceptionKind = z.infer<typeof CalendarExceptionKindSchema>;

export const CalendarExceptionSchema = z.object({
  id: Id,
  office: z.enum(['SE', 'FI']),
  date: DateText,
  kind: CalendarExceptionKindSchema,
  /** HH:MM in the office's time: when a `closesEarly` day closes; null for `closed`. */
  closesAt: TimeText.nullable(),
  note: z.string().max(CALENDAR_NOTE_MAX),
  createdAt: Instant,
  createdBy: Id,
  /** Removed (only before it began): a tombstone, so every desk drops it too. */
  deletedAt: Instant.nullable().default(null),
});
export type CalendarException = z.infer<typeof CalendarExceptionSchema>;

export const NewCalendarExceptionSchema = z
  .object({
    office: z.enum(['SE', 'FI']),
    date: DateText,
    kind: CalendarExceptionKindSchema,
    closesAt: TimeText.nullable().optional(),
    note: z.string().trim().max(CALENDAR_NOTE_MAX).default(''),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'closesEarly' && !v.closesAt) ctx.addIssue({ code: 'custom', path: ['closesAt'], message: 'an early closing needs its time' });
    if (v.kind === 'closed' && v.closesAt) ctx.addIssue({ code: 'custom', path: ['closesAt'], message: 'a closed day has no closing time' });
  });
export type NewCalendarException = z.infer<typeof NewCalendarExceptionSchema>;

export const CalendarExceptionsQuerySchema = z.object({ office: z.enum(['SE', 'FI']).optional() });
export const CalendarExceptionsResponseSchema = z.object({ exceptions: z.array(CalendarExceptionSchema) });
export const CalendarExceptionResponseSchema = z.object({ exception: CalendarExceptionSchema });

const pad = (n: number): string => String(n).padStart(2, '0');

/** Today's date in the office, YYYY-MM-DD. */
export function officeToday(office: Office, now: Date): string {
  const d = localDayOf(office, now);
  return `${d.year}-${pad(d.month)}-${pad(d.day)}`;
}

/** Why an exception may not be added now, or null: a past day cannot be changed. */
export function addRefusal(e: Pick<CalendarException, 'office' | 'date'>, now: Date): 'calendar_past' | null {
  return e.date < officeToday(e.office, now) ? 'calendar_past' : null;
}

/**
 * Why an exception may not be removed now, or null: once its closing is in force (or its day is
 * past), removing it would change the calendar history was counted in.
 */
export function removeRefusal(e: CalendarClosure, now: Date): 'calendar_begun' | null {
  if (e.date < officeToday(e.office, now)) return 'calendar_begun';
  return closureStart(e).getTime() <= now.getTime() ? 'calendar_begun' : null;
}

/** The exception as the calendar takes it. */
export const asClosure = (e: CalendarException): CalendarClosure => e;
