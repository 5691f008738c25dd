import { describe, expect, it } from 'vitest';
import { MutationSchema } from '../../shared/api';
import { callLog } from '../../renderer/src/model/caller';
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
