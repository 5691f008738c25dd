/**
 * Support logins granted from the customer centre (docs/domain.md, "Support logins"): the
 * contract between the centre's screen and the server. A SuperUser grants SoftOne's support a
 * login to the company's system; how long it lasts is the same rule as the desk's (grants.ts
 * grantExpiry), and the grant is the same record the desk shows (contract.ts AccessGrant).
 *
 * Only a support login: the brochures have the customer order consultants' work (and so their
 * access) from SoftOne by e-mail, so a consultant grant stays one a specialist records.
 */
import { z } from 'zod';
import { GrantKindSchema, Id, Instant, type AccessGrant } from './contract';
import { FI_GRANT_HOURS_MAX, FI_GRANT_HOURS_MIN, FRIDAY_GRANT_HOURS, isGrantActive } from './grants';
/** The hours offered first on the Finnish form (any whole number in the bounds may be typed). */
export const FI_GRANT_HOURS_SUGGESTED = [8, 24, 72] as const;

/**
 * A SuperUser's grant from the centre: a support login; on a Swedish Friday 24 or 72 hours
 * (24 when not chosen); in Finland the hours the SuperUser chooses. What does not apply to the
 * company's office is refused by the shared rule, naming the field.
 */
export const CentreGrantRequestSchema = z.strictObject({
  kind: z.literal('support', { error: 'the customer centre grants a support login only: order consultants\u2019 work from SoftOne' }),
  fridayHours: z.literal(FRIDAY_GRANT_HOURS, { error: `choose ${FRIDAY_GRANT_HOURS.join(' or ')} hours` }).optional(),
  durationHours: z.number({ error: 'choose how many hours' }).int('choose whole hours').min(FI_GRANT_HOURS_MIN).max(FI_GRANT_HOURS_MAX).optional(),
});
export type CentreGrantRequest = z.infer<typeof CentreGrantRequestSchema>;

export const CentreGrantIdParam = z.object({ id: z.string().min(1).max(64) });

/**
 * Where a grant stands at an instant: `active`, `upcoming` (a desk recorded it ahead of time),
 * `ended` (ran its time), `revoked` (ended early).
 */
export const CentreGrantStateSchema = z.enum(['active', 'upcoming', 'ended', 'revoked']);
export type CentreGrantState = z.infer<typeof CentreGrantStateSchema>;

/** A grant as the customer sees it: never the specialist who recorded it. */
export const CentreGrantSchema = z.object({
  id: Id,
  kind: GrantKindSchema,
  grantedAt: Instant,
  expiresAt: Instant,
  revokedAt: Instant.nullable(),
  state: CentreGrantStateSchema,
  /** The SuperUser who granted it (null once anonymised). */
  grantedBy: z.string().nullable(),
  /** Granted in the centre (not recorded by a specialist from a call or mail). */
  fromCentre: z.boolean(),
});
export type CentreGrant = z.infer<typeof CentreGrantSchema>;

export const CentreGrantsResponseSchema = z.object({ grants: z.array(CentreGrantSchema) });
export const CentreGrantResponseSchema = z.object({ grant: CentreGrantSchema });

/** A grant's state at `at`: the first end on record wins (a revocation after expiry changes nothing). */
export function grantState(grant: Pick<AccessGrant, 'grantedAt' | 'expiresAt' | 'revokedAt'>, at: Date): CentreGrantState {
  if (isGrantActive(grant, at)) return 'active';
  if (grant.revokedAt !== null && Date.parse(grant.revokedAt) <= at.getTime()) return 'revoked';
  if (Date.parse(grant.grantedAt) > at.getTime()) return 'upcoming';
  return 'ended';
}

/** What the customer sees of a grant at `at`; `grantedBy` is the granting contact's name. */
export function centreGrantOf(grant: AccessGrant, at: Date, grantedBy: string | null): CentreGrant {
  return {
    id: grant.id,
    kind: grant.kind,
    grantedAt: grant.grantedAt,
    expiresAt: grant.expiresAt,
    revokedAt: grant.revokedAt,
    state: grantState(grant, at),
    grantedBy,
    fromCentre: grant.recordedBy === null,
  };
}

/**
 * A listed grant's state later on the customer's screen: the server's state at the listing, moved
 * on only by the passing of time (an upcoming grant begins, an active one ends). A revocation is
 * the server's fact, never the browser's clock's, so a browser clock behind the server's does not
 * show a grant just ended (or just begun) in the wrong state.
 */
export function laterGrantState(grant: Pick<CentreGrant, 'state' | 'grantedAt' | 'expiresAt'>, at: Date): CentreGrantState {
  if (grant.state === 'revoked' || grant.state === 'ended') return grant.state;
  const t = at.getTime();
  if (t >= Date.parse(grant.expiresAt)) return 'ended';
  if (grant.state === 'upcoming' && t >= Date.parse(grant.grantedAt)) return 'active';
  return grant.state;
}
