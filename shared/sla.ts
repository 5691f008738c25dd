/**
 * Service levels for bugs (docs/domain.md, "Service levels"): when handling must start, counted in
 * the office's business hours, and the resolution target, counted in calendar time.
 */
import {
  addBusinessMinutes,
  addCalendarDays,
  addCalendarMonths,
  addDays,
  businessMinutesBetween,
  closingTime,
  isoWeekday,
  localDayOf,
  type LocalDay,
} from './calendar';
import type { CategoryId } from './categories';
import type { Office } from './teams';

/** A bug's service level, 1 the most urgent; other categories have none. */
export const SERVICE_LEVELS = [1, 2, 3, 4, 5] as const;
export type ServiceLevel = (typeof SERVICE_LEVELS)[number];

export type ResolutionRule =
  /** By the office day's closing time. */
  | { kind: 'same_day' }
  /** By the closing time of the last open day of the ISO week. */
  | { kind: 'same_week' }
  | { kind: 'calendar_days'; days: number }
  /** A range: the lower bound is shown as "earliest", the upper bound is the deadline. */
  | { kind: 'calendar_months'; earliestMonths: number; deadlineMonths: number };

export interface ServiceLevelRule {
  /** Business hours of the office within which handling must start. */
  handlingHours: number;
  resolution: ResolutionRule;
}

export const SERVICE_LEVEL_RULES: Readonly<Record<ServiceLevel, ServiceLevelRule>> = {
  1: { handlingHours: 2, resolution: { kind: 'same_day' } },
  2: { handlingHours: 4, resolution: { kind: 'same_week' } },
  3: { handlingHours: 12, resolution: { kind: 'calendar_days', days: 28 } },
  4: { handlingHours: 48, resolution: { kind: 'calendar_months', earliestMonths: 1, deadlineMonths: 6 } },
  5: { handlingHours: 48, resolution: { kind: 'calendar_months', earliestMonths: 1, deadlineMonths: 12 } },
};

export const DEFAULT_DUE_SOON_MINUTES = 60;

/** Levels 1–2: resolved within the week, so the desk lists them apart and warns before their handling deadline. */
export function isUrgentBug(c: { category: CategoryId; serviceLevel: ServiceLevel | null }): boolean {
  return c.category === 'bug' && c.serviceLevel !== null && c.serviceLevel <= 2;
}

/**
 * The earliest instant at which the office's open time since registration reaches the level's
 * handling hours. Registered outside opening hours, the clock starts at the next opening.
 */
export function handlingDeadline(registeredAt: Date, level: ServiceLevel, office: Office): Date {
  return addBusinessMinutes(office, registeredAt, SERVICE_LEVEL_RULES[level].handlingHours * 60);
}

/** The closing time of the first open day from `day` on whose closing is after `after`. */
function firstClosingAfter(office: Office, day: LocalDay, after: Date): Date {
  for (let d = day; ; d = addDays(d, 1)) {
    const closing = closingTime(office, d);
    if (closing && closing > after) return closing;
  }
}

/** The closing time of the last open day of the ISO week of `day` that ends after `after`. */
function lastClosingOfWeekAfter(office: Office, day: LocalDay, after: Date): Date {
  for (let sunday = addDays(day, 7 - isoWeekday(day)); ; sunday = addDays(sunday, 7)) {
    for (let i = 0; i < 7; i++) {
      const closing = closingTime(office, addDays(sunday, -i));
      if (closing) {
        if (closing > after) return closing;
        break;
      }
    }
  }
}

export interface ResolutionTarget {
  /** Lower bound of a range target ("within 1–6 months"); null for levels 1–3. */
  earliest: Date | null;
  deadline: Date;
}

/**
 * The resolution target, with the clock started at registration. "Same day" ends at that office
 * day's closing, or the next open day's when registered at or after closing or on a closed
 * day; "same week" at the closing of the week's last open day, or next week's when none is
 * left.
 */
export function resolutionTarget(registeredAt: Date, level: ServiceLevel, office: Office): ResolutionTarget {
  const rule = SERVICE_LEVEL_RULES[level].resolution;
  switch (rule.kind) {
    case 'same_day':
      return { earliest: null, deadline: firstClosingAfter(office, localDayOf(office, registeredAt), registeredAt) };
    case 'same_week':
      return { earliest: null, deadline: lastClosingOfWeekAfter(office, localDayOf(office, registeredAt), registeredAt) };
    case 'calendar_days':
      return { earliest: null, deadline: addCalendarDays(office, registeredAt, rule.days) };
    case 'calendar_months':
      return {
        earliest: addCalendarMonths(office, registeredAt, rule.earliestMonths),
        deadline: addCalendarMonths(office, registeredAt, rule.deadlineMonths),
      };
  }
}

/** A case as far as its SLA is concerned; times as `Date` or ISO strings (as the contract carries them). */
export interface SlaSubject {
  office: Office;
  category: CategoryId;
  serviceLevel: ServiceLevel | null;
  registeredAt: Date | string;
  handlingStartedAt: Date | string | null;
  resolvedAt: Date | string | null;
}

export interface SlaOptions {
  /** Business minutes before a deadline from which it counts as due soon. */
  dueSoonMinutes?: number;
}

export type SlaStatus =
  | { applies: false }
  | {
      applies: true;
      /** 'handling' until handling starts, 'resolution' until resolved, then 'done'. */
      phase: 'handling' | 'resolution' | 'done';
      /** 'met' and 'breached' are final in phase 'done'; the phase's deadline decides the state. */
      state: 'on_track' | 'due_soon' | 'breached' | 'met';
      /** The deadline of the current phase (the resolution deadline once handling started). */
      deadline: Date;
      /**
       * Whole business minutes (rounded down) from now to the deadline; in phase 'done', from
       * resolution to the deadline. Negative once open time has passed after the deadline, zero
       * while the office stays closed right after it.
       */
      remainingBusinessMinutes: number;
      handlingDeadline: Date;
      /** Handling started late, or has not started and its deadline has passed. */
      handlingBreached: boolean;
    };

const toDate = (value: Date | string): Date => (typeof value === 'string' ? new Date(value) : value);

/**
 * The SLA state of a case at `now`. Only bugs with a service level have one. A late handling
 * start stays visible as `handlingBreached`, but once handling has started the state follows the
 * resolution deadline, the one the specialist can still act on. A case resolved without a
 * recorded handling start counts as handled when it was resolved.
 */
export function slaState(subject: SlaSubject, now: Date, options: SlaOptions = {}): SlaStatus {
  if (subject.category !== 'bug' || subject.serviceLevel === null) return { applies: false };
  const dueSoon = options.dueSoonMinutes ?? DEFAULT_DUE_SOON_MINUTES;
  const { office, serviceLevel: level } = subject;
  const registeredAt = toDate(subject.registeredAt);
  const resolvedAt = subject.resolvedAt === null ? null : toDate(subject.resolvedAt);
  const handlingStartedAt = subject.handlingStartedAt === null ? resolvedAt : toDate(subject.handlingStartedAt);
  const handlingDue = handlingDeadline(registeredAt, level, office);
  const remaining = (from: Date, deadline: Date): number => Math.floor(businessMinutesBetween(office, from, deadline));
  const running = (deadline: Date): 'on_track' | 'due_soon' | 'breached' => {
    if (now > deadline) return 'breached';
    return remaining(now, deadline) <= dueSoon ? 'due_soon' : 'on_track';
  };

  if (handlingStartedAt === null) {
    const state = running(handlingDue);
    return {
      applies: true,
      phase: 'handling',
      state,
      deadline: handlingDue,
      remainingBusinessMinutes: remaining(now, handlingDue),
      handlingDeadline: handlingDue,
      handlingBreached: state === 'breached',
    };
  }
  const handlingBreached = handlingStartedAt > handlingDue;
  const { deadline } = resolutionTarget(registeredAt, level, office);
  if (resolvedAt === null) {
    return {
      applies: true,
      phase: 'resolution',
      state: running(deadline),
      deadline,
      remainingBusinessMinutes: remaining(now, deadline),
      handlingDeadline: handlingDue,
      handlingBreached,
    };
  }
  return {
    applies: true,
    phase: 'done',
    state: resolvedAt > deadline ? 'breached' : 'met',
    deadline,
    remainingBusinessMinutes: remaining(resolvedAt, deadline),
    handlingDeadline: handlingDue,
    handlingBreached,
  };
}
