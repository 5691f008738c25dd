/**
 * Support-login grants, hand-checked. SE working hours: Mon–Fri 08–12 and 13–16 (420 min a day),
 * eves 08–12; hour durations are elapsed hours. Offsets: SE +01:00 / +02:00 from 2026-03-29,
 * FI +02:00 / +03:00, back on 2026-10-25.
 */
import { describe, expect, test } from 'vitest';
import {
  GrantRuleError,
  activeGrant,
  fridayChoiceApplies,
  grantExpiry,
  isGrantActive,
  revokeGrant,
  nextGrantChange,
  type AccessGrant,
  type GrantRequest,
} from '../../shared/index';

const instant = (text: string): string => new Date(text).toISOString();

describe('grantExpiry', () => {
  test.each<[string, Omit<GrantRequest, 'grantedAt'>, string, string]>([
    ['2026-03-23T10:00:00+01:00', { office: 'SE', kind: 'support' }, '2026-03-24T11:00:00+01:00', 'Mon 300, Tue 08–11 180'],
    ['2026-03-26T15:00:00+01:00', { office: 'SE', kind: 'support' }, '2026-03-27T16:00:00+01:00', 'Thu 60, Fri 420: ends at closing'],
    ['2026-03-28T12:00:00+01:00', { office: 'SE', kind: 'support' }, '2026-03-31T09:00:00+02:00', 'Sat: Mon 420, Tue 60'],
    ['2026-04-02T09:00:00+02:00', { office: 'SE', kind: 'support' }, '2026-04-07T14:00:00+02:00', 'Skärtorsdag 180, Easter, Tue 240 + 60'],
    ['2026-03-27T23:30:00Z', { office: 'SE', kind: 'support' }, '2026-03-31T09:00:00+02:00', 'Sat 00:30 in Stockholm, not a Friday'],
    ['2026-03-27T10:00:00+01:00', { office: 'SE', kind: 'support' }, '2026-03-28T10:00:00+01:00', 'Friday: 24 h by default'],
    ['2026-03-27T10:00:00+01:00', { office: 'SE', kind: 'support', fridayHours: 24 }, '2026-03-28T10:00:00+01:00', 'Friday: 24 h'],
    ['2026-03-27T10:00:00+01:00', { office: 'SE', kind: 'support', fridayHours: 72 }, '2026-03-30T11:00:00+02:00', 'Friday: 72 elapsed hours across DST'],
    ['2026-03-26T23:30:00Z', { office: 'SE', kind: 'support' }, '2026-03-27T23:30:00Z', 'Fri 00:30 in Stockholm is a Friday'],
    ['2026-04-03T10:00:00+02:00', { office: 'SE', kind: 'support', fridayHours: 72 }, '2026-04-06T10:00:00+02:00', 'Långfredagen is still a Friday'],
    ['2026-03-25T10:00:00+01:00', { office: 'SE', kind: 'consultant' }, '2026-03-26T10:00:00+01:00', 'consultant 24 h'],
    ['2026-03-28T12:00:00+02:00', { office: 'FI', kind: 'consultant' }, '2026-03-29T13:00:00+03:00', 'consultant 24 h across DST'],
    ['2026-03-27T10:00:00+02:00', { office: 'FI', kind: 'support', durationHours: 36 }, '2026-03-28T22:00:00+02:00', 'FI: chosen 36 h'],
    ['2026-10-24T12:00:00+03:00', { office: 'FI', kind: 'support', durationHours: 24 }, '2026-10-25T11:00:00+02:00', 'FI: 24 h across DST end'],
  ])('granted %s, %o → %s (%s)', (grantedAt, request, expected) => {
    expect(grantExpiry({ ...request, grantedAt: new Date(grantedAt) }).toISOString()).toBe(instant(expected));
  });

  test.each<[string, GrantRequest, GrantRuleError['field']]>([
    ['FI support without a chosen duration', { office: 'FI', kind: 'support', grantedAt: new Date('2026-03-25T10:00:00+02:00') }, 'durationHours'],
    ['FI support for 0 hours', { office: 'FI', kind: 'support', grantedAt: new Date('2026-03-25T10:00:00+02:00'), durationHours: 0 }, 'durationHours'],
    ['FI support for negative hours', { office: 'FI', kind: 'support', grantedAt: new Date('2026-03-25T10:00:00+02:00'), durationHours: -5 }, 'durationHours'],
    ['a chosen duration in Sweden', { office: 'SE', kind: 'support', grantedAt: new Date('2026-03-25T10:00:00+01:00'), durationHours: 8 }, 'durationHours'],
    ['a chosen duration for a consultant', { office: 'FI', kind: 'consultant', grantedAt: new Date('2026-03-25T10:00:00+02:00'), durationHours: 8 }, 'durationHours'],
    ['Friday hours on a Thursday', { office: 'SE', kind: 'support', grantedAt: new Date('2026-03-26T10:00:00+01:00'), fridayHours: 72 }, 'fridayHours'],
    ['Friday hours in Finland', { office: 'FI', kind: 'support', grantedAt: new Date('2026-03-27T10:00:00+02:00'), durationHours: 8, fridayHours: 72 }, 'fridayHours'],
    ['Friday hours for a consultant', { office: 'SE', kind: 'consultant', grantedAt: new Date('2026-03-27T10:00:00+01:00'), fridayHours: 72 }, 'fridayHours'],
    ['Friday hours other than 24 or 72', { office: 'SE', kind: 'support', grantedAt: new Date('2026-03-27T10:00:00+01:00'), fridayHours: 48 as 72 }, 'fridayHours'],
    ['an invalid grant time', { office: 'SE', kind: 'consultant', grantedAt: new Date('nonsense') }, 'grantedAt'],
  ])('refuses %s', (_name, request, field) => {
    expect(() => grantExpiry(request)).toThrow(GrantRuleError);
    expect(() => grantExpiry(request)).toThrow(expect.objectContaining({ field }));
  });
});

const grant = (id: string, grantedAt: string, expiresAt: string, revokedAt: string | null = null): AccessGrant => ({
  id,
  customerId: 'c1',
  kind: 'support',
  grantedByContactId: 'su1',
  recordedBy: 's1',
  grantedAt,
  expiresAt,
  revokedAt,
});

describe('isGrantActive', () => {
  const open = grant('g1', '2026-03-23T09:00:00.000Z', '2026-03-24T10:00:00.000Z');
  const revoked = grant('g2', '2026-03-23T09:00:00.000Z', '2026-03-24T10:00:00.000Z', '2026-03-23T12:00:00.000Z');

  test.each<[string, AccessGrant, string, boolean]>([
    ['before it was granted', open, '2026-03-23T08:59:59.999Z', false],
    ['as it is granted', open, '2026-03-23T09:00:00.000Z', true],
    ['just before it expires', open, '2026-03-24T09:59:59.999Z', true],
    ['as it expires', open, '2026-03-24T10:00:00.000Z', false],
    ['before its revocation', revoked, '2026-03-23T11:59:59.999Z', true],
    ['as it is revoked', revoked, '2026-03-23T12:00:00.000Z', false],
    ['after its revocation, before expiry', revoked, '2026-03-23T15:00:00.000Z', false],
  ])('%s → %s', (_name, g, at, expected) => {
    expect(isGrantActive(g, new Date(at))).toBe(expected);
  });

  test('accepts Date times', () => {
    const g = { grantedAt: new Date('2026-03-23T09:00:00Z'), expiresAt: new Date('2026-03-23T17:00:00Z'), revokedAt: null };
    expect(isGrantActive(g, new Date('2026-03-23T16:00:00Z'))).toBe(true);
    expect(isGrantActive(g, new Date('2026-03-23T17:00:00Z'))).toBe(false);
  });
});

describe('activeGrant', () => {
  const shorter = grant('short', '2026-03-23T09:00:00.000Z', '2026-03-24T10:00:00.000Z');
  const longer = grant('long', '2026-03-23T10:00:00.000Z', '2026-03-26T10:00:00.000Z');
  const revokedLongest = grant('revoked', '2026-03-23T09:00:00.000Z', '2026-03-30T10:00:00.000Z', '2026-03-23T09:30:00.000Z');
  const grants = [shorter, revokedLongest, longer];

  test.each<[string, string | null]>([
    ['2026-03-23T09:15:00.000Z', 'revoked'],
    ['2026-03-23T09:45:00.000Z', 'short'],
    ['2026-03-23T11:00:00.000Z', 'long'],
    ['2026-03-25T11:00:00.000Z', 'long'],
    ['2026-03-26T10:00:00.000Z', null],
    ['2026-03-22T10:00:00.000Z', null],
  ])('at %s → %s', (at, expected) => {
    expect(activeGrant(grants, new Date(at))?.id ?? null).toBe(expected);
  });

  test('no grants → null', () => {
    expect(activeGrant([], new Date('2026-03-23T09:15:00Z'))).toBeNull();
  });
});

describe('revokeGrant', () => {
  const g = grant('g1', '2026-03-23T09:00:00.000Z', '2026-03-24T10:00:00.000Z');

  test('an active grant gets revokedAt in its own form, leaving the original alone', () => {
    const revoked = revokeGrant(g, new Date('2026-03-23T12:00:00Z'));
    expect(revoked).toEqual({ ...g, revokedAt: '2026-03-23T12:00:00.000Z' });
    expect(g.revokedAt).toBeNull();
    expect(isGrantActive(revoked, new Date('2026-03-23T12:00:00Z'))).toBe(false);
    expect(isGrantActive(revoked, new Date('2026-03-23T11:00:00Z'))).toBe(true);
  });

  test('a grant with Date times gets a Date', () => {
    const dated = { grantedAt: new Date('2026-03-23T09:00:00Z'), expiresAt: new Date('2026-03-23T17:00:00Z'), revokedAt: null };
    expect(revokeGrant(dated, new Date('2026-03-23T10:00:00Z')).revokedAt).toEqual(new Date('2026-03-23T10:00:00Z'));
  });

  test('a grant not yet begun can be revoked', () => {
    expect(revokeGrant(g, new Date('2026-03-23T08:00:00Z')).revokedAt).toBe('2026-03-23T08:00:00.000Z');
  });

  test.each<[string, AccessGrant, string]>([
    ['already revoked', grant('g2', '2026-03-23T09:00:00.000Z', '2026-03-24T10:00:00.000Z', '2026-03-23T10:00:00.000Z'), '2026-03-23T12:00:00Z'],
    ['expired', g, '2026-03-24T10:00:00Z'],
    ['long expired', g, '2026-04-01T10:00:00Z'],
  ])('%s: unchanged', (_name, original, at) => {
    expect(revokeGrant(original, new Date(at))).toBe(original);
  });
});

describe('nextGrantChange', () => {
  const g = (grantedAt: string, expiresAt: string, revokedAt: string | null = null) => ({ grantedAt, expiresAt, revokedAt });
  test('is the next start, end or revocation after the instant, or null when none is left', () => {
    const grants = [g('2026-12-09T10:00:00Z', '2026-12-10T10:00:00Z'), g('2026-12-09T08:00:00Z', '2026-12-09T12:00:00Z', '2026-12-09T11:00:00Z')];
    expect(nextGrantChange(grants, new Date('2026-12-09T07:00:00Z'))?.toISOString()).toBe('2026-12-09T08:00:00.000Z');
    expect(nextGrantChange(grants, new Date('2026-12-09T08:00:00Z'))?.toISOString()).toBe('2026-12-09T10:00:00.000Z');
    expect(nextGrantChange(grants, new Date('2026-12-09T10:30:00Z'))?.toISOString()).toBe('2026-12-09T11:00:00.000Z');
    expect(nextGrantChange(grants, new Date('2026-12-09T12:00:00Z'))?.toISOString()).toBe('2026-12-10T10:00:00.000Z');
    expect(nextGrantChange(grants, new Date('2026-12-10T10:00:00Z'))).toBeNull();
    expect(nextGrantChange([], new Date())).toBeNull();
  });
});

describe('fridayChoiceApplies', () => {
  test.each<[string, 'SE' | 'FI', 'support' | 'consultant', boolean, string]>([
    ['2026-03-27T10:00:00+01:00', 'SE', 'support', true, 'a Swedish support login on a Friday'],
    ['2026-03-26T23:30:00Z', 'SE', 'support', true, 'Thursday in UTC, Friday 00:30 in Stockholm'],
    ['2026-03-27T23:30:00Z', 'SE', 'support', false, 'Friday in UTC, Saturday 00:30 in Stockholm'],
    ['2026-03-26T22:59:59Z', 'SE', 'support', false, 'Thursday 23:59:59 in Stockholm'],
    ['2026-03-26T10:00:00+01:00', 'SE', 'support', false, 'a Thursday'],
    ['2026-03-27T10:00:00+02:00', 'FI', 'support', false, 'Finland chooses its hours, Friday or not'],
    ['2026-03-27T10:00:00+01:00', 'SE', 'consultant', false, 'a consultant grant is 24 h, Friday or not'],
  ])('%s %s %s → %s (%s)', (at, office, kind, expected) => {
    expect(fridayChoiceApplies(office, kind, new Date(at))).toBe(expected);
  });
});
