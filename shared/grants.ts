/**
 * Support logins (docs/domain.md, "Support logins"): how long a SuperUser's grant of access to the
 * customer's environment lasts, whether one is active, and revocation.
 */
import { addBusinessMinutes, isoWeekday, localDayOf } from './calendar';
import type { AccessGrant } from './contract';
import type { Office } from './teams';

type GrantKind = AccessGrant['kind'];

const MS_PER_HOUR = 3_600_000;

/** SE support login: 8 working hours of the Swedish calendar. */
export const SE_SUPPORT_WORKING_MINUTES = 8 * 60;
export const CONSULTANT_GRANT_HOURS = 24;
export const FRIDAY_GRANT_HOURS = [24, 72] as const;
export type FridayGrantHours = (typeof FRIDAY_GRANT_HOURS)[number];
export const DEFAULT_FRIDAY_GRANT_HOURS: FridayGrantHours = 24;
/** FI support login: the whole hours a SuperUser may choose (the desk's recordGrant and the centre's form). */
export const FI_GRANT_HOURS_MIN = 1;
export const FI_GRANT_HOURS_MAX = 24 * 30;

/** A grant that breaks the rules; `field` names the offending input so the server can say so. */
export class GrantRuleError extends Error {
  constructor(
    message: string,
    readonly field: 'durationHours' | 'fridayHours' | 'grantedAt',
  ) {
    super(message);
    this.name = 'GrantRuleError';
  }
}

export interface GrantRequest {
  office: Office;
  kind: GrantKind;
  grantedAt: Date;
  /** SE support login granted on a Friday: 24 (default) or 72 hours. */
  fridayHours?: FridayGrantHours;
  /** FI support login: the hours the SuperUser chose (required there, refused elsewhere). */
  durationHours?: number;
}

/**
 * Whether the Friday choice (24 or 72 hours) applies to a grant made at `at`: a Swedish support
 * login granted on a Friday in Stockholm (not a UTC Friday). Never in Finland, never a consultant grant.
 */
export function fridayChoiceApplies(office: Office, kind: GrantKind, at: Date): boolean {
  return office === 'SE' && kind === 'support' && isoWeekday(localDayOf('SE', at)) === 5;
}

const afterHours = (from: Date, hours: number): Date => new Date(from.getTime() + hours * MS_PER_HOUR);

/**
 * When a grant ends. Hour durations are elapsed time (24 h across a DST change is still
 * 24 h); SE working hours follow the Swedish business calendar, so a grant made outside
 * opening hours starts counting at the next opening. "On a Friday" means Friday in Stockholm.
 * An option that does not apply to the grant (fridayHours on a consultant grant or a
 * non-Friday, durationHours outside a Finnish support grant) is an error, not ignored.
 */
export function grantExpiry(request: GrantRequest): Date {
  const { office, kind, grantedAt, fridayHours, durationHours } = request;
  if (!Number.isFinite(grantedAt.getTime())) throw new GrantRuleError('grantedAt is not a valid date', 'grantedAt');
  const isFinnishSupport = office === 'FI' && kind === 'support';
  if (durationHours !== undefined && !isFinnishSupport) {
    throw new GrantRuleError('durationHours is chosen only for a support login in Finland', 'durationHours');
  }
  const onSwedishFriday = fridayChoiceApplies(office, kind, grantedAt);
  if (fridayHours !== undefined && !onSwedishFriday) {
    throw new GrantRuleError('fridayHours applies only to a Swedish support login granted on a Friday', 'fridayHours');
  }
  if (fridayHours !== undefined && !FRIDAY_GRANT_HOURS.includes(fridayHours)) {
    throw new GrantRuleError('fridayHours must be 24 or 72', 'fridayHours');
  }

  if (kind === 'consultant') return afterHours(grantedAt, CONSULTANT_GRANT_HOURS);
  if (isFinnishSupport) {
    if (durationHours === undefined) {
      throw new GrantRuleError('the SuperUser chooses how long a Finnish support login lasts', 'durationHours');
    }
    if (!Number.isFinite(durationHours) || durationHours <= 0) {
      throw new GrantRuleError('durationHours must be a positive number of hours', 'durationHours');
    }
    return afterHours(grantedAt, durationHours);
  }
  if (onSwedishFriday) return afterHours(grantedAt, fridayHours ?? DEFAULT_FRIDAY_GRANT_HOURS);
  return addBusinessMinutes('SE', grantedAt, SE_SUPPORT_WORKING_MINUTES);
}

/** The times of a grant, as `Date` or as the contract's ISO strings. */
export interface GrantTimes {
  grantedAt: Date | string;
  expiresAt: Date | string;
  revokedAt: Date | string | null;
}

const time = (value: Date | string): number => (typeof value === 'string' ? Date.parse(value) : value.getTime());

/** Active in [grantedAt, expiresAt), and before its revocation if revoked. */
export function isGrantActive(grant: GrantTimes, at: Date): boolean {
  const t = at.getTime();
  if (t < time(grant.grantedAt) || t >= time(grant.expiresAt)) return false;
  return grant.revokedAt === null || t < time(grant.revokedAt);
}

/** The grant active at `at` that ends last, or null when none is. */
export function activeGrant<T extends GrantTimes>(grants: readonly T[], at: Date): T | null {
  let best: T | null = null;
  for (const grant of grants) {
    if (isGrantActive(grant, at) && (best === null || time(grant.expiresAt) > time(best.expiresAt))) best = grant;
  }
  return best;
}

/**
 * The next instant after `at` at which the active grant may change (a grant begins, ends or is
 * revoked), or null when none will: a view of the active grant needs to look again only then.
 */
export function nextGrantChange(grants: readonly GrantTimes[], at: Date): Date | null {
  const t = at.getTime();
  let next = Number.POSITIVE_INFINITY;
  for (const grant of grants) {
    for (const value of [grant.grantedAt, grant.expiresAt, grant.revokedAt]) {
      if (value === null) continue;
      const v = time(value);
      if (v > t && v < next) next = v;
    }
  }
  return next === Number.POSITIVE_INFINITY ? null : new Date(next);
}

/**
 * The customer revokes a grant at `at`: a copy with `revokedAt` set, in the same form as the
 * grant's other times (ISO string or Date). A grant already revoked or expired at `at` is
 * returned unchanged, so the first revocation is the one on record. A grant that has not begun
 * yet can be revoked.
 */
export function revokeGrant<T extends GrantTimes>(grant: T, at: Date): T {
  if (grant.revokedAt !== null || at.getTime() >= time(grant.expiresAt)) return grant;
  const revokedAt = typeof grant.grantedAt === 'string' ? at.toISOString() : new Date(at.getTime());
  return { ...grant, revokedAt };
}
