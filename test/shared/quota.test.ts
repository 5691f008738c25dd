import { describe, expect, it } from 'vitest';
import type { Contact } from '../../shared/contract';
import { superUserQuotaRefusal } from '../../shared/entitlement';
import { withSuperUser } from '../../shared/customersAdmin';

const contact = (id: string, superUser: boolean, anonymisedAt: string | null = null): Contact => ({
  id,
  customerId: 'c',
  name: id,
  email: null,
  phone: null,
  superUser,
  superUserSince: superUser ? '2026-01-01T00:00:00.000Z' : null,
  trainedModules: [],
  anonymisedAt,
});

describe('the SuperUser quota of an edit', () => {
  const two = [contact('a', true), contact('b', true), contact('c', false)];

  it('refuses naming one more than the quota, naming the quota and the field', () => {
    const after = two.map((c) => (c.id === 'c' ? { ...c, superUser: true } : c));
    expect(superUserQuotaRefusal(2, 2, two, after)).toMatchObject({ code: 'superuser_quota', field: 'superUser', quota: 2, count: 3 });
    expect(superUserQuotaRefusal(3, 3, two, after)).toBeNull();
  });

  it('refuses lowering the quota below the SuperUsers named, not raising it or keeping it', () => {
    const three = two.map((c) => ({ ...c, superUser: true }));
    expect(superUserQuotaRefusal(3, 2, three, three)).toMatchObject({ field: 'superUserQuota', quota: 2, count: 3 });
    expect(superUserQuotaRefusal(3, 4, three, three)).toBeNull();
    expect(superUserQuotaRefusal(3, 3, three, three)).toBeNull();
  });

  it('lets data already over the quota be edited otherwise (the entitlement warns about it), and counts no anonymised contact', () => {
    const over = [contact('a', true), contact('b', true), contact('c', true)];
    expect(superUserQuotaRefusal(2, 2, over, over.map((c) => (c.id === 'a' ? { ...c, name: 'Ny' } : c)))).toBeNull();
    const withGone = [contact('a', true), contact('b', true, '2026-02-01T00:00:00.000Z'), contact('c', false)];
    expect(superUserQuotaRefusal(2, 2, withGone, withGone.map((c) => (c.id === 'c' ? { ...c, superUser: true } : c)))).toBeNull();
  });

  it('records when a contact becomes a SuperUser and clears it when it stops', () => {
    const at = '2026-03-01T10:00:00.000Z';
    expect(withSuperUser(contact('x', false), true, at)).toMatchObject({ superUser: true, superUserSince: at });
    expect(withSuperUser(contact('x', true), false, at)).toMatchObject({ superUser: false, superUserSince: null });
    const same = contact('x', true);
    expect(withSuperUser(same, true, at)).toBe(same);
  });
});
