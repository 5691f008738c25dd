/**
 * The delta texts the cache stores (cache/rows.ts, format 3): every value comes back, in every
 * corner of the compact encoding, what repeats is written once, and the texts of the second
 * format that caches on disk still hold are read as before.
 */
import { describe, expect, it } from 'vitest';
import type { Contact, Customer } from '../../shared/index';
import { decodeDelta, emptyDelta, encodeDelta, type Delta } from '../../renderer/src/cache/rows';
import { row } from './rows';

const customer = (i: number): Customer => ({
  id: `cust-${i}`,
  name: `Bygg ${i} AB`,
  orgNumber: `55660${i}-1234`,
  country: i % 2 ? 'FI' : 'SE',
  language: i % 2 ? 'fi' : 'sv',
  industry: 'construction',
  licensedModules: ['finance', 'orders'],
  paymentStatus: 'ok',
  superUserQuota: 2,
});

const contact = (i: number): Contact => ({
  id: `contact-${i}`,
  customerId: `cust-${i % 3}`,
  name: `Person ${i}`,
  email: i % 2 ? null : `p${i}@example.se`,
  phone: `+4670000${String(i).padStart(4, '0')}`,
  superUser: i % 2 === 0,
  superUserSince: null,
  trainedModules: ['finance'],
  anonymisedAt: null,
});

describe('delta texts (format 3)', () => {
  it('give back every field of every row, whatever the order, gaps and missing values', () => {
    const t = Date.UTC(2026, 2, 2, 8, 0);
    const rows = [
      row({ number: 900, registeredAt: t, updatedAt: t + 5, slice: 12, deadlineAt: t - 5 }),
      // Numbers and registrations going down, a time before registration, the slice gone and back.
      row({ number: 17, registeredAt: t - 86_400_000, updatedAt: t, handlingStartedAt: t - 86_400_001, resolvedAt: t, slice: null, serviceLevel: 1, assigneeId: 'me' }),
      row({ number: 18, registeredAt: t - 86_400_000, updatedAt: t - 86_400_000, handlingStartedAt: t - 86_400_000, slice: 0, serviceLevel: 5, contactId: 'contact-1', billingInformed: true, status: 'closed', team: 2, office: 'FI' }),
      row({ number: 1_000_000, registeredAt: 0, updatedAt: 0, deadlineAt: 0, slice: 12, customerId: 'cust-2', assigneeId: 'demo-specialist-01' }),
      row({ number: 1_000_001, registeredAt: 1, updatedAt: 1, slice: 12, customerId: 'cust-2', assigneeId: 'me' }),
    ];
    const delta: Delta = { ...emptyDelta(), rows, eventCaseIds: ['x'], eventSlice: 3, chunk: 2 };
    expect(decodeDelta(encodeDelta(delta))).toEqual(delta);
  });

  it('give back reference data, also items whose fields differ from the others', () => {
    const odd = { ...contact(9), extra: 1 } as Contact;
    const { anonymisedAt: _dropped, ...short } = contact(10);
    const delta: Delta = {
      ...emptyDelta(),
      customers: [customer(1), customer(2)],
      contacts: [contact(1), odd, contact(2), short as Contact],
      specialists: [{ id: 'me', email: 'me@softone.se', name: 'Me', role: 'specialist', teams: [1], office: 'SE', language: 'sv', active: true }],
      chunk: 5,
    };
    const back = decodeDelta(encodeDelta(delta));
    expect(back.customers).toEqual(delta.customers);
    expect(back.specialists).toEqual(delta.specialists);
    // The items alike come first, in order, then the others.
    expect(back.contacts).toEqual([contact(1), contact(2), odd, short]);
    expect(decodeDelta(encodeDelta(emptyDelta()))).toEqual(emptyDelta());
  });

  it('write a customer id, a field name and a number run once, not per item', () => {
    const rows = Array.from({ length: 50 }, (_, i) => row({ number: 5000 + i, customerId: 'cust-0123456789-shared', contactId: `contact-${i}` }));
    const text = encodeDelta({ ...emptyDelta(), rows, customers: Array.from({ length: 20 }, (_, i) => customer(i)), eventSlice: 1, chunk: 1 });
    expect(text.split('cust-0123456789-shared').length - 1).toBe(1);
    expect(text.split('orgNumber').length - 1).toBe(1);
    expect(text).not.toContain('5049');
    // No time, slice, level or assignee spelled `null`.
    expect(text).not.toContain('null');
  });

  it('read the second format that caches on disk still hold', () => {
    const t = Date.UTC(2026, 2, 2, 8, 0);
    const a = row({ number: 41, registeredAt: t, updatedAt: t + 9, deadlineAt: t + 100, slice: 7, contactId: 'contact-1', assigneeId: 'me', serviceLevel: 2 });
    const b = row({ number: 40, registeredAt: t + 3, updatedAt: t + 3, handlingStartedAt: t + 4, resolvedAt: t + 5, status: 'closed', team: 2, office: 'FI', billingInformed: true, billableMinutes: 30 });
    const s = ['go', 'finance', 'support', 'new', 'me', 'phone', 'SE', 'closed', 'FI'];
    const stored = {
      v: 2,
      s,
      c: [
        [a.id, b.id],
        [41, 40],
        [a.customerId, b.customerId],
        ['contact-1', null],
        [0, 0],
        [1, 1],
        [2, 2],
        [2, null],
        [3, 7],
        [1, 2],
        [4, null],
        [a.title, b.title],
        [5, 5],
        [0, 30],
        [0, 1],
        [t, t + 3],
        [null, 1],
        [null, 2],
        [9, 0],
        [1, 1],
        [6, 8],
        [100, null],
        [7, null],
      ],
      customers: [customer(1)],
      contacts: [],
      specialists: [],
      grants: [],
      eventCaseIds: ['y'],
      eventSlice: 9,
      chunk: 7,
    };
    expect(decodeDelta(JSON.stringify(stored))).toEqual({ ...emptyDelta(), rows: [a, b], customers: [customer(1)], eventCaseIds: ['y'], eventSlice: 9, chunk: 7 });
  });
});
