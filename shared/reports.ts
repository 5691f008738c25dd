/**
 * The lead's reports (docs/domain.md, "Reports"): what each report answers, its periods (weeks and
 * months in each office's own calendar days), the SLA outcome of a case, and the contract (query
 * and answers as zod schemas) the server answers and the desk reads.
 */
import { z } from 'zod';
import { addDays, isoWeekday, localDayOf, nextLocalMidnight, type LocalDay } from './calendar';
import { CATEGORY_IDS } from './categories';
import { handlingDeadline, resolutionTarget, SERVICE_LEVELS, type ServiceLevel } from './sla';
import type { Office } from './teams';

export const REPORT_NAMES = ['sla', 'backlog', 'channels', 'calls'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];
export const ReportNameSchema = z.enum(REPORT_NAMES);

export const REPORT_GROUPINGS = ['week', 'month'] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];

/** The longest period a report covers (a bound on the server's work). */
export const MAX_REPORT_DAYS = 3 * 366;

const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const OfficeParam = z.enum(['SE', 'FI']);
const TeamParam = z.enum(['1', '2']).transform((t) => Number(t) as 1 | 2);

/**
 * `GET ROUTES.report(name)?from=&to=&by=&office=&team=&format=`: `from` and `to` are calendar days
 * (both included, each office's own days); without them the last 12 months (this month and the 11
 * before). `format=csv` answers the same rows as CSV.
 */
export const ReportQuerySchema = z
  .object({
    from: LocalDate.optional(),
    to: LocalDate.optional(),
    by: z.enum(REPORT_GROUPINGS).default('month'),
    office: OfficeParam.optional(),
    team: TeamParam.optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();
export type ReportQuery = z.infer<typeof ReportQuerySchema>;

// ---- Periods ---------------------------------------------------------------------------------

export const dayText = (d: LocalDay): string => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

export function parseDay(text: string): LocalDay {
  const [year, month, day] = text.split('-').map(Number);
  return { year: year ?? 0, month: month ?? 1, day: day ?? 1 };
}

const dayNumber = (d: LocalDay): number => Date.UTC(d.year, d.month - 1, d.day) / 86_400_000;

/** The ISO week of a day, as `2026-W01` (the week's Thursday decides its year). */
export function isoWeekKey(day: LocalDay): string {
  const thursday = addDays(day, 4 - isoWeekday(day));
  const week = Math.floor((dayNumber(thursday) - dayNumber({ year: thursday.year, month: 1, day: 1 })) / 7) + 1;
  return `${thursday.year}-W${String(week).padStart(2, '0')}`;
}

export const monthKey = (day: LocalDay): string => `${day.year}-${String(day.month).padStart(2, '0')}`;

export function periodKey(day: LocalDay, by: ReportGrouping): string {
  return by === 'week' ? isoWeekKey(day) : monthKey(day);
}

/** The instant a calendar day begins in the office's zone (its local midnight). */
export function startOfDay(office: Office, day: LocalDay): Date {
  const before = addDays(day, -1);
  // Noon UTC of the day before lies inside that day in both offices' zones.
  return nextLocalMidnight(office, new Date(Date.UTC(before.year, before.month - 1, before.day, 12)));
}

export interface ReportPeriod {
  key: string;
  /** First and last calendar day of the period within the report (a period is cut at from/to). */
  from: string;
  to: string;
}

/** The weeks or months from `from` to `to` (both days included), cut at both ends. */
export function reportPeriods(from: LocalDay, to: LocalDay, by: ReportGrouping): ReportPeriod[] {
  const periods: ReportPeriod[] = [];
  const last = dayNumber(to);
  let start = from;
  let day = from;
  for (;;) {
    const next = addDays(day, 1);
    const ends = dayNumber(day) >= last || periodKey(next, by) !== periodKey(day, by);
    if (ends) {
      periods.push({ key: periodKey(start, by), from: dayText(start), to: dayText(day) });
      if (dayNumber(day) >= last) return periods;
      start = next;
    }
    day = next;
  }
}

/** Where each period starts in an office, as ISO instants, and where the last one ends. */
export interface OfficePeriodBounds {
  starts: string[];
  end: string;
}

export function officeBounds(office: Office, periods: readonly ReportPeriod[]): OfficePeriodBounds {
  const last = periods[periods.length - 1];
  return {
    starts: periods.map((p) => startOfDay(office, parseDay(p.from)).toISOString()),
    end: last ? startOfDay(office, addDays(parseDay(last.to), 1)).toISOString() : new Date(0).toISOString(),
  };
}

/** The period an instant (ISO, as stored) falls in, by its index; -1 outside the report. */
export function periodIndex(bounds: OfficePeriodBounds, at: string): number {
  if (at < (bounds.starts[0] ?? '') || at >= bounds.end) return -1;
  let lo = 0;
  let hi = bounds.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((bounds.starts[mid] ?? '') <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The report's days: the query's, else the last 12 months by `today` (this month and the 11
 * before). Throws a message naming the field when the days are reversed or too far apart.
 */
export function reportDays(query: Pick<ReportQuery, 'from' | 'to'>, today: LocalDay): { from: LocalDay; to: LocalDay } {
  const to = query.to ? parseDay(query.to) : today;
  const from = query.from ? parseDay(query.from) : { year: to.month === 12 ? to.year : to.year - 1, month: (to.month % 12) + 1, day: 1 };
  return { from, to };
}

export function checkReportDays(days: { from: LocalDay; to: LocalDay }): { field: 'from' | 'to'; message: string } | null {
  for (const [field, d] of [['from', days.from], ['to', days.to]] as const) {
    if (dayText(localDayOf('SE', new Date(Date.UTC(d.year, d.month - 1, d.day, 12)))) !== dayText(d)) return { field, message: `${field} is not a calendar day` };
  }
  const span = dayNumber(days.to) - dayNumber(days.from);
  if (span < 0) return { field: 'to', message: 'to is before from' };
  if (span >= MAX_REPORT_DAYS) return { field: 'from', message: `a report covers at most ${MAX_REPORT_DAYS} days` };
  return null;
}

// ---- SLA kept --------------------------------------------------------------------------------

/** kept: within its deadline; missed: after it, or still open and already late; open: still running and not late. */
export type SlaOutcome = 'kept' | 'missed' | 'open';

export interface SlaCaseOutcome {
  handling: SlaOutcome;
  resolution: SlaOutcome;
  /** Both kept: kept; either missed: missed; otherwise open. */
  sla: SlaOutcome;
}

/**
 * A bug's SLA over its life, by the rules of shared/sla.ts: handling started by the handling
 * deadline (business minutes of the office; a case resolved without a recorded start counts as
 * handled when resolved), resolved by the resolution deadline. A deadline is kept up to and
 * including its very minute, as slaState judges it; an open case already past a deadline has
 * missed it.
 */
export function slaOutcome(
  c: { office: Office; serviceLevel: ServiceLevel; registeredAt: string; handlingStartedAt: string | null; resolvedAt: string | null },
  now: Date,
): SlaCaseOutcome {
  const registered = new Date(c.registeredAt);
  const judge = (doneAt: string | null, deadline: Date): SlaOutcome => {
    if (doneAt !== null) return new Date(doneAt) > deadline ? 'missed' : 'kept';
    return now > deadline ? 'missed' : 'open';
  };
  const handling = judge(c.handlingStartedAt ?? c.resolvedAt, handlingDeadline(registered, c.serviceLevel, c.office));
  const resolution = judge(c.resolvedAt, resolutionTarget(registered, c.serviceLevel, c.office).deadline);
  const sla = handling === 'missed' || resolution === 'missed' ? 'missed' : handling === 'kept' && resolution === 'kept' ? 'kept' : 'open';
  return { handling, resolution, sla };
}

// ---- Answers ---------------------------------------------------------------------------------

const TeamSchema = z.union([z.literal(1), z.literal(2)]);
const Count = z.number().int().min(0);

const ReportHeadSchema = z.object({
  from: LocalDate,
  to: LocalDate,
  by: z.enum(REPORT_GROUPINGS),
  office: OfficeParam.nullable(),
  team: TeamSchema.nullable(),
  /** When the numbers were taken (open cases are judged at this instant). */
  generatedAt: z.string(),
  periods: z.array(z.object({ key: z.string(), from: LocalDate, to: LocalDate })),
});

/** One row per period, team, office and level that had bugs with a service level registered. */
export const SlaReportRowSchema = z.object({
  period: z.string(),
  team: TeamSchema,
  office: OfficeParam,
  level: z.literal(SERVICE_LEVELS),
  category: z.enum(CATEGORY_IDS),
  cases: Count,
  kept: Count,
  missed: Count,
  open: Count,
  handlingKept: Count,
  handlingMissed: Count,
  resolutionKept: Count,
  resolutionMissed: Count,
});
export type SlaReportRow = z.infer<typeof SlaReportRowSchema>;

export const BACKLOG_AGES = ['lt1', 'd1_3', 'd3_7', 'd7_30', 'gt30'] as const;
export type BacklogAge = (typeof BACKLOG_AGES)[number];
/** The lower bound of each age bucket in days (a case 3 days old is in d3_7). */
export const BACKLOG_AGE_FROM_DAYS: Readonly<Record<BacklogAge, number>> = { lt1: 0, d1_3: 1, d3_7: 3, d7_30: 7, gt30: 30 };

export const BacklogReportRowSchema = z.object({
  team: TeamSchema,
  office: OfficeParam,
  category: z.enum(CATEGORY_IDS),
  age: z.enum(BACKLOG_AGES),
  cases: Count,
});
export type BacklogReportRow = z.infer<typeof BacklogReportRowSchema>;

export const REPORT_CHANNELS = ['portal', 'email', 'phone'] as const;
export const ChannelReportRowSchema = z.object({
  period: z.string(),
  team: TeamSchema,
  office: OfficeParam,
  channel: z.enum(REPORT_CHANNELS),
  cases: Count,
});
export type ChannelReportRow = z.infer<typeof ChannelReportRowSchema>;

/** Missed incoming calls per period and team (null: the switch named no team). Minutes to call back over the calls that were. */
export const CallsReportRowSchema = z.object({
  period: z.string(),
  team: TeamSchema.nullable(),
  missed: Count,
  calledBack: Count,
  markedDone: Count,
  open: Count,
  medianMinutes: z.number().nullable(),
  p90Minutes: z.number().nullable(),
});
export type CallsReportRow = z.infer<typeof CallsReportRowSchema>;

export const SlaReportSchema = ReportHeadSchema.extend({ name: z.literal('sla'), rows: z.array(SlaReportRowSchema) });
export const BacklogReportSchema = ReportHeadSchema.extend({ name: z.literal('backlog'), rows: z.array(BacklogReportRowSchema) });
export const ChannelReportSchema = ReportHeadSchema.extend({ name: z.literal('channels'), rows: z.array(ChannelReportRowSchema) });
export const CallsReportSchema = ReportHeadSchema.extend({ name: z.literal('calls'), rows: z.array(CallsReportRowSchema) });
export const ReportSchema = z.discriminatedUnion('name', [SlaReportSchema, BacklogReportSchema, ChannelReportSchema, CallsReportSchema]);
export type Report = z.infer<typeof ReportSchema>;
export type SlaReport = z.infer<typeof SlaReportSchema>;
export type BacklogReport = z.infer<typeof BacklogReportSchema>;
export type ChannelReport = z.infer<typeof ChannelReportSchema>;
export type CallsReport = z.infer<typeof CallsReportSchema>;

/**
 * The CSV columns of each report: neutral ids (not the lead's language), so a spreadsheet or a
 * script reading the export keeps working whoever exported it; values are ids too (team 1/2,
 * office SE/FI, channel, level, age bucket) and shares are decimals with a point.
 */
export const REPORT_CSV_COLUMNS = {
  sla: ['period', 'team', 'office', 'level', 'category', 'cases', 'kept', 'missed', 'open', 'share_kept', 'handling_kept', 'handling_missed', 'resolution_kept', 'resolution_missed'],
  backlog: ['team', 'office', 'category', 'age', 'cases'],
  channels: ['period', 'team', 'office', 'channel', 'cases'],
  calls: ['period', 'team', 'missed', 'called_back', 'marked_done', 'open', 'median_minutes', 'p90_minutes'],
} as const satisfies Record<ReportName, readonly string[]>;

/** Kept of those decided (kept + missed), 0–1; null when none is decided yet. */
export const shareKept = (r: { kept: number; missed: number }): number | null => (r.kept + r.missed === 0 ? null : r.kept / (r.kept + r.missed));

/** The rows of a report as CSV cells, in REPORT_CSV_COLUMNS order. */
export function reportCsvRows(report: Report): Array<Array<string | number>> {
  const cell = (v: number | null): string | number => (v === null ? '' : v);
  switch (report.name) {
    case 'sla':
      return report.rows.map((r) => {
        const share = shareKept(r);
        return [r.period, r.team, r.office, r.level, r.category, r.cases, r.kept, r.missed, r.open, share === null ? '' : Number(share.toFixed(4)), r.handlingKept, r.handlingMissed, r.resolutionKept, r.resolutionMissed];
      });
    case 'backlog':
      return report.rows.map((r) => [r.team, r.office, r.category, r.age, r.cases]);
    case 'channels':
      return report.rows.map((r) => [r.period, r.team, r.office, r.channel, r.cases]);
    case 'calls':
      return report.rows.map((r) => [r.period, r.team ?? '', r.missed, r.calledBack, r.markedDone, r.open, cell(r.medianMinutes), cell(r.p90Minutes)]);
  }
}

/** The office a missed call belongs to: its customer's, else the office whose number was dialled. */
export function callOffice(customerCountry: Office | null, dialled: string): Office {
  return customerCountry ?? (dialled.replace(/\s/g, '').startsWith('+358') ? 'FI' : 'SE');
}

/** p-th percentile by nearest rank (the median of 10 and 20 is 10); null for no samples. */
export function nearestRank(samples: readonly number[], p: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
}
