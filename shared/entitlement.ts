/**
 * Who may get support: only named SuperUsers within the licence's quota, trained on the
 * module the case is about, of a customer without overdue payments. The desk shows every
 * reason as a warning; the specialist decides.
 */
import type { Contact, Customer } from './contract';
import type { ModuleId } from './modules';

export const DEFAULT_SUPERUSER_QUOTA = 2;
export const MAX_SUPERUSER_QUOTA = 4;

export type EntitlementReason =
  | { code: 'unknown_contact' }
  | { code: 'not_superuser' }
  | { code: 'over_quota'; quota: number; rank: number }
  | { code: 'not_trained'; module: ModuleId }
  | { code: 'module_not_licensed'; module: ModuleId }
  | { code: 'overdue_payment' };

export interface Entitlement {
  entitled: boolean;
  reasons: EntitlementReason[];
}

/** The licence's quota, clamped to the brochure's bounds (2 by default, never more than 4). */
export function effectiveQuota(customer: Pick<Customer, 'superUserQuota'>): number {
  const q = Number.isFinite(customer.superUserQuota) ? Math.floor(customer.superUserQuota) : DEFAULT_SUPERUSER_QUOTA;
  return Math.min(MAX_SUPERUSER_QUOTA, Math.max(DEFAULT_SUPERUSER_QUOTA, q));
}

/**
 * The SuperUsers the quota admits: the earliest named first (ties by id, so every desk agrees).
 * Anonymised contacts are no longer anyone's SuperUser.
 */
export function rankedSuperUsers(contacts: readonly Contact[]): Contact[] {
  return contacts
    .filter((c) => c.superUser && c.anonymisedAt === null)
    .sort((a, b) => (a.superUserSince ?? '').localeCompare(b.superUserSince ?? '') || a.id.localeCompare(b.id));
}

export function admittedSuperUsers(customer: Pick<Customer, 'superUserQuota'>, contacts: readonly Contact[]): Contact[] {
  return rankedSuperUsers(contacts).slice(0, effectiveQuota(customer));
}

/**
 * @param customer the caller's company, or the case's customer
 * @param contact the caller or the case's contact; null when the caller is not known
 * @param module the module the case is about; null when not known yet (a call before a case)
 * @param colleagues every contact of the customer (to rank SuperUsers against the quota)
 */
export function entitlement(
  customer: Customer,
  contact: Contact | null,
  module: ModuleId | null,
  colleagues: readonly Contact[],
): Entitlement {
  const reasons: EntitlementReason[] = [];
  if (contact === null || contact.anonymisedAt !== null) {
    reasons.push({ code: 'unknown_contact' });
  } else if (!contact.superUser) {
    reasons.push({ code: 'not_superuser' });
  } else {
    const quota = effectiveQuota(customer);
    const everyone = colleagues.some((c) => c.id === contact.id) ? colleagues : [...colleagues, contact];
    const rank = rankedSuperUsers(everyone).findIndex((c) => c.id === contact.id) + 1;
    if (rank > quota) reasons.push({ code: 'over_quota', quota, rank });
  }
  if (module !== null) {
    if (!customer.licensedModules.includes(module)) reasons.push({ code: 'module_not_licensed', module });
    if (contact !== null && contact.superUser && contact.anonymisedAt === null && !contact.trainedModules.includes(module)) {
      reasons.push({ code: 'not_trained', module });
    }
  }
  if (customer.paymentStatus === 'overdue') reasons.push({ code: 'overdue_payment' });
  return { entitled: reasons.length === 0, reasons };
}

/**
 * The module a new case from this caller is most likely about, to pre-select: the one module
 * the customer licenses that the caller (a SuperUser) is trained in, or, for another caller,
 * the customer's one licensed module. null when that is not one module: the specialist chooses,
 * and no module warning is shown before they do.
 */
export function likelyModule(customer: Pick<Customer, 'licensedModules'>, contact: Contact | null): ModuleId | null {
  const trained = contact !== null && contact.superUser && contact.anonymisedAt === null;
  const candidates = trained ? customer.licensedModules.filter((m) => contact.trainedModules.includes(m)) : customer.licensedModules;
  return candidates.length === 1 ? (candidates[0] ?? null) : null;
}

/**
 * A refusal of the SuperUser quota: naming one more SuperUser than the licence allows
 * (`field: 'superUser'`), or lowering the quota below the SuperUsers already named
 * (`field: 'superUserQuota'`). Counts only contacts that are SuperUsers and not anonymised.
 */
export interface SuperUserQuotaRefusal {
  code: 'superuser_quota';
  field: 'superUser' | 'superUserQuota';
  quota: number;
  count: number;
  message: string;
}

/**
 * The quota rule of an edit, one place for the lead's screens, the routes and the import:
 * `before` and `after` are the customer's contacts before and after the edit, `quotaBefore` and
 * `quotaAfter` the customer's quota. Only an edit that raises the count (a contact made a
 * SuperUser) above the quota, or lowers the quota below the count, is refused: data that is
 * already over the quota (the entitlement warns about it) can still be edited otherwise.
 */
export function superUserQuotaRefusal(
  quotaBefore: number,
  quotaAfter: number,
  before: readonly Contact[],
  after: readonly Contact[],
): SuperUserQuotaRefusal | null {
  const countBefore = rankedSuperUsers(before).length;
  const count = rankedSuperUsers(after).length;
  const quota = effectiveQuota({ superUserQuota: quotaAfter });
  if (count > countBefore && count > quota) {
    return { code: 'superuser_quota', field: 'superUser', quota, count, message: `the licence allows ${quota} SuperUsers; this would name ${count}` };
  }
  if (quotaAfter < quotaBefore && count > quota) {
    return { code: 'superuser_quota', field: 'superUserQuota', quota, count, message: `${count} SuperUsers are named; the quota cannot go below that (asked: ${quota})` };
  }
  return null;
}
