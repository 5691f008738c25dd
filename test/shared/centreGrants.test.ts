/** The customer centre's view of a grant: its state at an instant, and later on the customer's screen. */
import { describe, expect, it } from 'vitest';
import { CentreGrantRequestSchema, centreGrantOf, grantState, laterGrantState } from '../../shared/centreGrants';
import type { AccessGrant } from '../../shared/contract';

const grant: AccessGrant = {
  id: 'g1',
  customerId: 'c1',
  kind: 'support',
  grantedByContactId: 'p1',
  recordedBy: null,
  grantedAt: '2026-03-10T08:00:00.000Z',
  expiresAt: '2026-03-11T09:00:00.000Z',
  revokedAt: null,
};
const at = (iso: string): Date => new Date(iso);

describe('a grant\'s state in the centre', () => {
  it('is upcoming before it begins, active until it ends, then ended; revoked once revoked', () => {
    expect(grantState(grant, at('2026-03-10T07:59:59.999Z'))).toBe('upcoming');
    expect(grantState(grant, at('2026-03-10T08:00:00.000Z'))).toBe('active');
    expect(grantState(grant, at('2026-03-11T08:59:59.999Z'))).toBe('active');
    expect(grantState(grant, at('2026-03-11T09:00:00.000Z'))).toBe('ended');
    const revoked = { ...grant, revokedAt: '2026-03-10T09:00:00.000Z' };
    expect(grantState(revoked, at('2026-03-10T09:00:00.000Z'))).toBe('revoked');
    expect(grantState(revoked, at('2026-03-12T00:00:00.000Z'))).toBe('revoked');
    // Revoked before it began.
    expect(grantState({ ...grant, revokedAt: '2026-03-10T07:00:00.000Z' }, at('2026-03-10T07:30:00.000Z'))).toBe('revoked');
  });

  it('moves on later only by time: a browser clock behind the server\'s neither revives a revoked grant nor delays one just granted', () => {
    const shown = centreGrantOf(grant, at('2026-03-10T08:00:00.000Z'), 'Siri');
    expect(shown).toMatchObject({ state: 'active', grantedBy: 'Siri', fromCentre: true });
    // The browser's clock a minute behind the server's.
    expect(laterGrantState(shown, at('2026-03-10T07:59:00.000Z'))).toBe('active');
    expect(laterGrantState({ ...shown, state: 'revoked' }, at('2026-03-10T07:59:00.000Z'))).toBe('revoked');
    expect(laterGrantState(shown, at('2026-03-11T09:00:00.000Z'))).toBe('ended');
    const upcoming = { ...shown, state: 'upcoming' as const };
    expect(laterGrantState(upcoming, at('2026-03-10T07:00:00.000Z'))).toBe('upcoming');
    expect(laterGrantState(upcoming, at('2026-03-10T08:00:00.000Z'))).toBe('active');
    expect(laterGrantState({ ...shown, state: 'ended' }, at('2026-03-10T09:00:00.000Z'))).toBe('ended');
    expect(centreGrantOf({ ...grant, recordedBy: 's1' }, at('2026-03-10T08:00:00.000Z'), null).fromCentre).toBe(false);
  });

  it('takes only a support login from the centre, and the options in their bounds', () => {
    expect(CentreGrantRequestSchema.safeParse({ kind: 'support' }).success).toBe(true);
    expect(CentreGrantRequestSchema.safeParse({ kind: 'support', fridayHours: 72 }).success).toBe(true);
    expect(CentreGrantRequestSchema.safeParse({ kind: 'support', durationHours: 720 }).success).toBe(true);
    for (const bad of [{ kind: 'consultant' }, { kind: 'support', fridayHours: 48 }, { kind: 'support', durationHours: 0 }, { kind: 'support', durationHours: 2.5 }, { kind: 'support', extra: 1 }]) {
      expect(CentreGrantRequestSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
