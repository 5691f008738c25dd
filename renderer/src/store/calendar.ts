/**
 * The offices' calendar exceptions the feed brought, installed into the shared calendar
 * (shared/calendar.ts) so that every deadline, business-minute count and office state of this
 * desk follows them, the same as the server's.
 */
import { applyCalendarExceptions, type CalendarException, type Office } from '../../../shared/index';
import { Signal } from '../lib/signal';

/** Moves each time this thread's calendar changes (the top bar's office state follows it). */
export const calendarVersion = new Signal(0);

export class CalendarExceptions {
  private readonly byId = new Map<string, CalendarException>();
  private version = 0;

  /**
   * Takes these (tombstones drop theirs) and installs them. Returns the earliest instant from
   * which the calendar changed (deadlines before it stay), or null when nothing changed.
   */
  apply(list: readonly CalendarException[]): number | null {
    for (const e of list) this.byId.set(e.id, e);
    const from = applyCalendarExceptions(list);
    if (from !== null) {
      this.version++;
      calendarVersion.set(calendarVersion.get() + 1);
    }
    return from === null ? null : from.getTime();
  }

  /** Changes each time the installed calendar does (views keyed on it re-render). */
  get changeCount(): number {
    return this.version;
  }

  /** The office's exceptions in force (removed ones left out), by date. */
  of(office: Office): CalendarException[] {
    return [...this.byId.values()].filter((e) => e.office === office && e.deletedAt === null).sort((a, b) => a.date.localeCompare(b.date) || a.createdAt.localeCompare(b.createdAt));
  }

  clear(): void {
    this.byId.clear();
    applyCalendarExceptions([], { replace: true });
    this.version++;
    calendarVersion.set(calendarVersion.get() + 1);
  }
}
