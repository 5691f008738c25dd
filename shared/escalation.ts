/**
 * SLA escalation (the lead's settings and the points at which the server notifies): each open
 * case with a service level has a handling deadline (until handling starts) and a resolution
 * deadline (until it is resolved), both from shared/sla.ts with the office's calendar and its
 * exceptions. At each configured point — some business minutes before a deadline, and at the
 * breach — the server notifies the assignee and the team's leads once, and writes an
 * `escalation` event on the case.
 */
import { z } from 'zod';
import { addBusinessMinutes } from './calendar';
import { CATEGORY_IDS, type CategoryId } from './categories';
import { CategorySchema, Id, Instant, ServiceLevelSchema } from './contract';
import { handlingDeadline, resolutionTarget, SERVICE_LEVELS, type ServiceLevel } from './sla';
import type { Office } from './teams';

/** The most points before a deadline per level, and how far before (a working week of minutes). */
export const ESCALATION_MAX_POINTS = 5;
export const ESCALATION_MAX_MINUTES = 5 * 8 * 60;

export const EscalationLevelSchema = z.object({
  enabled: z.boolean(),
  /** Business minutes before the deadline at which to notify, each once; distinct. */
  beforeMinutes: z
    .array(z.number().int('whole minutes').min(1, 'at least 1 minute').max(ESCALATION_MAX_MINUTES, `at most ${ESCALATION_MAX_MINUTES} minutes`))
    .max(ESCALATION_MAX_POINTS, `at most ${ESCALATION_MAX_POINTS} points`)
    .refine((list) => new Set(list).size === list.length, 'the same minute twice'),
  /** Notify when the deadline passes. */
  atBreach: z.boolean(),
});
export type EscalationLevel = z.infer<typeof EscalationLevelSchema>;

export const EscalationSettingsSchema = z.object({
  /** Per service level 1–5. */
  levels: z.object({ 1: EscalationLevelSchema, 2: EscalationLevelSchema, 3: EscalationLevelSchema, 4: EscalationLevelSchema, 5: EscalationLevelSchema }),
  /** The categories escalated (only cases with a service level have deadlines: bugs today). */
  categories: z.array(CategorySchema).max(CATEGORY_IDS.length),
  /** Which deadlines are escalated. */
  deadlines: z.object({ handling: z.boolean(), resolution: z.boolean() }),
  /** The team's leads are notified too (the assignee always is). */
  notifyLeads: z.boolean(),
});
export type EscalationSettings = z.infer<typeof EscalationSettingsSchema>;

/** The settings as stored and served: with who changed them last and when (points due before that are not sent). */
export const EscalationSettingsResponseSchema = z.object({
  settings: EscalationSettingsSchema,
  updatedAt: Instant.nullable(),
  updatedBy: Id.nullable(),
});

const level = (): EscalationLevel => ({ enabled: true, beforeMinutes: [30], atBreach: true });
export const DEFAULT_ESCALATION_SETTINGS: EscalationSettings = {
  levels: { 1: level(), 2: level(), 3: level(), 4: level(), 5: level() },
  categories: [...CATEGORY_IDS],
  deadlines: { handling: true, resolution: true },
  notifyLeads: true,
};

export const DeadlineKindSchema = z.enum(['handling', 'resolution']);
export type DeadlineKind = z.infer<typeof DeadlineKindSchema>;

/** `before:30` (30 business minutes before) or `breach`. */
export const EscalationPointSchema = z.string().regex(/^(breach|before:\d{1,5})$/);
export type EscalationPoint = string;

export const pointBefore = (minutes: number): EscalationPoint => `before:${minutes}`;
export const minutesOfPoint = (point: EscalationPoint): number | null => (point === 'breach' ? null : Number(point.slice('before:'.length)));

/** The `data` of an `escalation` event on the case. */
export const EscalationEventDataSchema = z.object({
  deadline: DeadlineKindSchema,
  point: EscalationPointSchema,
  deadlineAt: Instant,
  /** Who was notified: the specialists' ids, comma-separated (event data is flat). */
  notified: z.string(),
  level: ServiceLevelSchema,
});
export type EscalationEventData = z.infer<typeof EscalationEventDataSchema>;

/** A case as far as escalation is concerned; times as epoch ms. */
export interface EscalationSubject {
  office: Office;
  category: CategoryId;
  serviceLevel: ServiceLevel | null;
  status: string;
  registeredAt: number;
  handlingStartedAt: number | null;
  resolvedAt: number | null;
}

export interface DuePoint {
  deadline: DeadlineKind;
  point: EscalationPoint;
  /** The deadline's instant (ms): part of the key, so a deadline that moves is a new one. */
  deadlineAt: number;
  /** When to notify (ms); never before the case was registered. */
  dueAt: number;
}

/** The case's running deadlines: handling until it starts, resolution until it is resolved. */
export function runningDeadlines(c: EscalationSubject, settings: EscalationSettings): Array<{ deadline: DeadlineKind; at: number }> {
  if (c.serviceLevel === null || c.status === 'closed' || c.resolvedAt !== null) return [];
  if (!settings.categories.includes(c.category) || !settings.levels[c.serviceLevel].enabled) return [];
  const registered = new Date(c.registeredAt);
  const out: Array<{ deadline: DeadlineKind; at: number }> = [];
  if (settings.deadlines.handling && c.handlingStartedAt === null) {
    out.push({ deadline: 'handling', at: handlingDeadline(registered, c.serviceLevel, c.office).getTime() });
  }
  if (settings.deadlines.resolution) out.push({ deadline: 'resolution', at: resolutionTarget(registered, c.serviceLevel, c.office).deadline.getTime() });
  return out;
}

/**
 * Every escalation point of the case under these settings, soonest first. A point "N minutes
 * before" is N business minutes of the office before the deadline (so a deadline at Monday's
 * opening is announced on Friday afternoon), but not before the case was registered.
 */
export function escalationPoints(c: EscalationSubject, settings: EscalationSettings): DuePoint[] {
  const out: DuePoint[] = [];
  for (const { deadline, at } of runningDeadlines(c, settings)) {
    const rule = settings.levels[c.serviceLevel as ServiceLevel];
    for (const minutes of rule.beforeMinutes) {
      const due = addBusinessMinutes(c.office, new Date(at), -minutes).getTime();
      out.push({ deadline, point: pointBefore(minutes), deadlineAt: at, dueAt: Math.max(due, c.registeredAt) });
    }
    if (rule.atBreach) out.push({ deadline, point: 'breach', deadlineAt: at, dueAt: at });
  }
  return out.sort((a, b) => a.dueAt - b.dueAt);
}

/** The key no escalation is sent twice under (also across a restart). */
export const escalationKey = (caseId: string, p: Pick<DuePoint, 'deadline' | 'point' | 'deadlineAt'>): string =>
  `${caseId}|${p.deadline}|${p.point}|${p.deadlineAt}`;

export const ESCALATION_LEVELS = SERVICE_LEVELS;
