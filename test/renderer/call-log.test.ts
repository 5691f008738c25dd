import { describe, expect, it } from 'vitest';
import { MutationSchema } from '../../shared/api';
import type { Contact, Customer } from '../../shared/contract';
import { callerFromCache, callLog, type CallerSources } from '../../renderer/src/model/caller';
import { callParty } from '../../renderer/src/ui/describe';

describe('logging a call from the banner', () => {
  it('logs a call the server knows on the opened case, with a fresh event id each time', () => {
    const first = callLog({ callId: 'call-1' }, 'case-1');
    const second = callLog({ callId: 'call-1' }, 'case-1');
    expect(MutationSchema.parse(first)).toEqual({ name: 'logCall', args: { caseId: 'case-1', callId: 'call-1', eventId: expect.any(String) } });
    const eventIds = [first, second].map((m) => (m?.name === 'logCall' ? m.args.eventId : null));
    expect(new Set(eventIds).size).toBe(2);
  });

  it('logs nothing for a softphone link, which has no call record on the server', () => {
    expect(callLog({ callId: null }, 'case-1')).toBeNull();
  });
});

describe('the caller of a logged call, as the timeline names them', () => {
  const noContacts = () => undefined;

  it("gives the name and the number in the viewer's national or international form", () => {
    const data = { name: 'Lars Danielsson', number: '+46701234567', contactId: 'c1' };
    expect(callParty(data, 'SE', noContacts)).toBe('Lars Danielsson (070-123 45 67)');
    expect(callParty(data, 'FI', noContacts)).toBe('Lars Danielsson (+46 70 123 45 67)');
  });

  it('gives the number alone for an unknown caller, and nothing when neither is known', () => {
    expect(callParty({ name: null, number: '+358401234567', contactId: null }, 'FI', noContacts)).toBe('040 1234567');
    expect(callParty({ name: null, number: null, contactId: null }, 'SE', noContacts)).toBeNull();
  });

  it("falls back to the cached contact's name once the event's own is gone (anonymised)", () => {
    const names = new Map([['c1', 'Anonymiserad kontakt']]);
    expect(callParty({ name: null, number: null, contactId: 'c1' }, 'SE', (id) => names.get(id))).toBe('Anonymiserad kontakt');
    expect(callParty({ name: null, number: null, contactId: 'c2' }, 'SE', (id) => names.get(id))).toBeNull();
  });
});

describe('who is calling, from the cache alone', () => {
  const customer: Customer = {
    id: 'cu1',
    name: 'Rakennus Virtanen Oy',
    orgNumber: '1234567-8',
    country: 'FI',
    language: 'fi',
    industry: 'construction',
    licensedModules: ['finance'],
    paymentStatus: 'ok',
    superUserQuota: 2,
  };
  const contact: Contact = {
    id: 'c1',
    customerId: 'cu1',
    name: 'Laura Virtanen',
    email: null,
    phone: '+358401234567',
    superUser: true,
    superUserSince: '2025-01-01T00:00:00.000Z',
    trainedModules: ['finance'],
    anonymisedAt: null,
  };
  const store = {
    contactByPhone: new Map([[contact.phone!, contact]]),
    customers: new Map([[customer.id, customer]]),
    contactsByCustomer: new Map([[customer.id, [contact]]]),
    rows: () => [],
  } satisfies CallerSources;

  it("reads a national number in both offices' countries, as the server does", () => {
    // "040 123 4567" is Malmö in Sweden first; only the Finnish reading is a known contact.
    const caller = callerFromCache(store, '040 123 4567');
    expect(caller).toMatchObject({ phone: '+358401234567', contact: { id: 'c1' }, customer: { id: 'cu1' } });
  });

  it('keeps the first reading of an unknown number', () => {
    expect(callerFromCache(store, '070-123 45 67')).toMatchObject({ phone: '+46701234567', contact: null, customer: null });
  });
});
