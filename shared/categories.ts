/**
 * Case categories and their flows, from the brochures' process diagrams
 * ("Vår ärendeprocess" / "Meidän tapausprosessimme").
 */
import type { Language } from './teams';

export const CATEGORY_IDS = ['support', 'bug', 'wish', 'order'] as const;
export type CategoryId = (typeof CATEGORY_IDS)[number];

export const STATUS_IDS = [
  'new',
  'line1',
  'line2',
  'line3',
  'escalated',
  'received',
  'product_council',
  'cost_proposal',
  'planned',
  'in_progress',
  'validation',
  'delivered',
  'closed',
] as const;
export type StatusId = (typeof STATUS_IDS)[number];

export type Role = 'specialist' | 'lead';

export const CATEGORY_LABELS: Record<CategoryId, Record<Language, string>> = {
  support: { sv: 'Supportfråga', fi: 'Tukipyyntö' },
  bug: { sv: 'Programfel', fi: 'Ohjelmointivirhe' },
  wish: { sv: 'Önskemål', fi: 'Toive' },
  order: { sv: 'Beställning', fi: 'Työtilaus' },
};

/** Status words of the Swedish and Finnish process diagrams. */
export const STATUS_LABELS: Record<StatusId, Record<Language, string>> = {
  new: { sv: 'Nytt', fi: 'Uusi' },
  line1: { sv: '1:a linje', fi: '1. linja' },
  line2: { sv: '2:a linje', fi: '2. linja' },
  line3: { sv: '3:a linje', fi: '3. linja' },
  escalated: { sv: 'Eskalerat', fi: 'Arviointi' },
  received: { sv: 'Mottaget', fi: 'Otettu vastaan' },
  product_council: { sv: 'Produktråd', fi: 'Tuoteryhmä' },
  cost_proposal: { sv: 'Kostnadsförslag', fi: 'Tarjous' },
  planned: { sv: 'Planerat', fi: 'Suunnittelu' },
  in_progress: { sv: 'För åtgärd', fi: 'Toteutus' },
  validation: { sv: 'Validering', fi: 'Validointi' },
  delivered: { sv: 'Levererat', fi: 'Toimitus' },
  closed: { sv: 'Avslut', fi: 'Käsitelty' },
};

/**
 * Where a category's diagram names a status otherwise: the Finnish order flow reads Otettu
 * vastaan → Tarjous → Toteutus → Toimitus ("Planerat" is "Toteutus" there, "Suunnittelu" in the
 * bug and wish flows). Checked against both brochures' diagrams for every category.
 */
export const FLOW_STATUS_LABELS: Partial<Record<CategoryId, Partial<Record<StatusId, Partial<Record<Language, string>>>>>> = {
  order: { planned: { fi: 'Toteutus' } },
};

/**
 * A status in the words of its category's diagram; without a category (a filter over every
 * category) the common word.
 */
export function statusWord(status: StatusId, language: Language, category?: CategoryId): string {
  return (category && FLOW_STATUS_LABELS[category]?.[status]?.[language]) ?? STATUS_LABELS[status][language];
}

export const FLOWS: Record<CategoryId, readonly StatusId[]> = {
  support: ['new', 'line1', 'line2', 'line3', 'closed'],
  bug: ['new', 'escalated', 'planned', 'in_progress', 'validation', 'delivered', 'closed'],
  wish: ['new', 'received', 'product_council', 'planned', 'delivered', 'closed'],
  order: ['new', 'received', 'cost_proposal', 'planned', 'delivered', 'closed'],
};

/**
 * Decision: a support question is escalated line by line only when a line cannot answer it,
 * so it may be closed from any line. Every other flow runs step by step.
 */
const CLOSABLE_EARLY: Record<CategoryId, readonly StatusId[]> = {
  support: ['line1', 'line2', 'line3'],
  bug: [],
  wish: [],
  order: [],
};

/** Work outside free support is billed; the customer is always informed before it starts. */
export const BILLABLE_CATEGORIES: readonly CategoryId[] = ['order'];

export function isBillableCategory(category: CategoryId): boolean {
  return BILLABLE_CATEGORIES.includes(category);
}

export function isOpenStatus(status: StatusId): boolean {
  return status !== 'closed';
}

export function flowIndex(category: CategoryId, status: StatusId): number {
  return FLOWS[category].indexOf(status);
}

export function isStatusOf(category: CategoryId, status: StatusId): boolean {
  return flowIndex(category, status) >= 0;
}

export interface TransitionContext {
  role: Role;
  /** The case's "customer informed of billing" mark. */
  billingInformed?: boolean;
  /** The case's service level; a bug is escalated only with one set. */
  serviceLevel?: number | null;
}

export type TransitionRefusal =
  | 'unknown_status'
  | 'same_status'
  | 'not_adjacent'
  | 'billing_not_informed'
  | 'service_level_missing';

export type TransitionCheck = { ok: true } | { ok: false; reason: TransitionRefusal };

/**
 * The rules: the next step of the flow, one step back, a support question closed from any
 * line, and a lead may close from any status. An order cannot move on from the cost proposal
 * before the customer is informed of billing; a bug is escalated only with a service level.
 */
export function checkTransition(
  category: CategoryId,
  from: StatusId,
  to: StatusId,
  ctx: TransitionContext,
): TransitionCheck {
  const flow = FLOWS[category];
  const i = flow.indexOf(from);
  const j = flow.indexOf(to);
  if (i < 0 || j < 0) return { ok: false, reason: 'unknown_status' };
  if (i === j) return { ok: false, reason: 'same_status' };
  const forward = j === i + 1;
  const back = j === i - 1;
  const closing = to === 'closed';
  const earlyClose = closing && CLOSABLE_EARLY[category].includes(from);
  const leadClose = closing && ctx.role === 'lead';
  if (!forward && !back && !earlyClose && !leadClose) return { ok: false, reason: 'not_adjacent' };
  if (category === 'order' && from === 'cost_proposal' && to === 'planned' && !ctx.billingInformed) {
    return { ok: false, reason: 'billing_not_informed' };
  }
  if (category === 'bug' && forward && to === 'escalated' && (ctx.serviceLevel === undefined || ctx.serviceLevel === null)) {
    return { ok: false, reason: 'service_level_missing' };
  }
  return { ok: true };
}

export function canTransition(
  category: CategoryId,
  from: StatusId,
  to: StatusId,
  role: Role,
  ctx: Omit<TransitionContext, 'role'> = { billingInformed: true, serviceLevel: 5 },
): boolean {
  return checkTransition(category, from, to, { ...ctx, role }).ok;
}

/** The statuses a user may move a case to from where it is, in flow order. */
export function allowedTransitions(
  category: CategoryId,
  from: StatusId,
  ctx: TransitionContext,
): StatusId[] {
  return FLOWS[category].filter((to) => checkTransition(category, from, to, ctx).ok);
}
