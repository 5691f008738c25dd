import { describe, expect, test } from 'vitest';
import { admittedSuperUsers, effectiveQuota, entitlement, likelyModule, type Contact, type Customer } from '../../shared/index';

const customer = (over: Partial<Customer> = {}): Customer => ({
  id: 'cus_1',
  name: 'Rörexperten i Gävle AB',
  orgNumber: '556677-8899',
  country: 'SE',
  language: 'sv',
  industry: 'electrical_plumbing',
  licensedModules: ['finance', 'payroll', 'time'],
  paymentStatus: 'ok',
  superUserQuota: 2,
  ...over,
});

let n = 0;
const contact = (over: Partial<Contact> = {}): Contact => ({
  id: `con_${++n}`,
  customerId: 'cus_1',
  name: 'Anna Berg',
  email: 'anna@example.se',
  phone: '+46701234567',
  superUser: true,
  superUserSince: '2024-01-01T00:00:00.000Z',
  trainedModules: ['finance', 'payroll'],
  anonymisedAt: null,
  ...over,
});

describe('entitlement to support', () => {
  test('a trained SuperUser within the quota of a paying customer is entitled', () => {
    const anna = contact();
    expect(entitlement(customer(), anna, 'finance', [anna])).toEqual({ entitled: true, reasons: [] });
  });

  test('a contact who is not a SuperUser is not entitled', () => {
    const bo = contact({ superUser: false, superUserSince: null });
    expect(entitlement(customer(), bo, 'finance', [bo]).reasons).toEqual([{ code: 'not_superuser' }]);
  });

  test('an unknown caller is not entitled', () => {
    expect(entitlement(customer(), null, null, []).reasons).toEqual([{ code: 'unknown_contact' }]);
  });

  test('a SuperUser not trained on the module is not entitled', () => {
    const anna = contact();
    expect(entitlement(customer(), anna, 'time', [anna]).reasons).toEqual([{ code: 'not_trained', module: 'time' }]);
  });

  test('a module the customer does not license is flagged', () => {
    const anna = contact({ trainedModules: ['finance', 'payroll', 'inventory'] });
    expect(entitlement(customer(), anna, 'inventory', [anna]).reasons).toEqual([
      { code: 'module_not_licensed', module: 'inventory' },
    ]);
  });

  test('overdue payments remove the entitlement of every contact', () => {
    const anna = contact();
    const result = entitlement(customer({ paymentStatus: 'overdue' }), anna, 'finance', [anna]);
    expect(result).toEqual({ entitled: false, reasons: [{ code: 'overdue_payment' }] });
  });

  test('every reason is listed at once', () => {
    const bo = contact({ superUser: false, superUserSince: null });
    const result = entitlement(customer({ paymentStatus: 'overdue' }), bo, 'inventory', [bo]);
    expect(result.reasons.map((r) => r.code)).toEqual(['not_superuser', 'module_not_licensed', 'overdue_payment']);
  });

  test('SuperUsers named after the quota is full are over quota, the earliest are admitted', () => {
    const first = contact({ superUserSince: '2023-01-01T00:00:00.000Z' });
    const second = contact({ superUserSince: '2023-06-01T00:00:00.000Z' });
    const third = contact({ superUserSince: '2025-01-01T00:00:00.000Z' });
    const all = [third, first, second];
    expect(entitlement(customer(), third, 'finance', all).reasons).toEqual([{ code: 'over_quota', quota: 2, rank: 3 }]);
    expect(entitlement(customer(), second, 'finance', all).entitled).toBe(true);
    expect(entitlement(customer({ superUserQuota: 3 }), third, 'finance', all).entitled).toBe(true);
    expect(admittedSuperUsers(customer(), all).map((c) => c.id)).toEqual([first.id, second.id]);
  });

  test('the quota is 2 by default and never more than 4', () => {
    expect(effectiveQuota({ superUserQuota: 2 })).toBe(2);
    expect(effectiveQuota({ superUserQuota: 4 })).toBe(4);
    expect(effectiveQuota({ superUserQuota: 9 })).toBe(4);
    expect(effectiveQuota({ superUserQuota: 0 })).toBe(2);
    const five = Array.from({ length: 5 }, (_, i) => contact({ superUserSince: `202${i}-01-01T00:00:00.000Z` }));
    const fifth = five[4]!;
    expect(entitlement(customer({ superUserQuota: 9 }), fifth, null, five).reasons).toEqual([
      { code: 'over_quota', quota: 4, rank: 5 },
    ]);
  });

  test('an anonymised contact is nobody’s SuperUser', () => {
    const gone = contact({ anonymisedAt: '2026-01-01T00:00:00.000Z' });
    expect(entitlement(customer(), gone, 'finance', [gone]).reasons).toEqual([{ code: 'unknown_contact' }]);
  });
});

describe('likelyModule', () => {
  test("is the SuperUser's one trained module the customer licenses, else nothing", () => {
    const c = customer({ licensedModules: ['finance', 'payroll'] });
    expect(likelyModule(c, contact({ superUser: true, trainedModules: ['payroll', 'time'] }))).toBe('payroll');
    expect(likelyModule(c, contact({ superUser: true, trainedModules: ['finance', 'payroll'] }))).toBeNull();
    expect(likelyModule(c, contact({ superUser: true, trainedModules: [] }))).toBeNull();
    // Not a SuperUser, or not known: the customer's one licensed module, if it has one.
    expect(likelyModule(c, contact({ superUser: false, trainedModules: [] }))).toBeNull();
    expect(likelyModule(customer({ licensedModules: ['time'] }), null)).toBe('time');
  });
});
