// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Contact, Customer, TeamId } from '../../shared/index';
import { SessionContext } from '../../renderer/src/ui/hooks';
import type { DeskSession } from '../../renderer/src/session/session';
import { DeskStore } from '../../renderer/src/store/store';
import { Signal } from '../../renderer/src/lib/signal';
import { initI18n } from '../../renderer/src/i18n/index';
import { TranslationProvider } from '../../renderer/src/i18n/typing';
import { NewCase } from '../../renderer/src/ui/NewCase';
import type { IncomingCall } from '../../renderer/src/model/caller';

const customer: Customer = {
  id: 'cu1',
  name: 'Bygg AB',
  orgNumber: '556000-0001',
  country: 'SE',
  language: 'sv',
  industry: 'construction',
  licensedModules: ['finance', 'payroll', 'time'],
  paymentStatus: 'ok',
  superUserQuota: 2,
};
const contact = (trainedModules: Contact['trainedModules']): Contact => ({
  id: 'k1',
  customerId: customer.id,
  name: 'Anna Söderström',
  email: null,
  phone: '+46701234567',
  superUser: true,
  superUserSince: '2024-01-01T00:00:00.000Z',
  trainedModules,
  anonymisedAt: null,
});

beforeAll(async () => {
  await initI18n('sv');
});
afterEach(cleanup);

function fromCall(caller: Contact) {
  const store = new DeskStore({ id: 'me', role: 'specialist' });
  store.directory.apply({ customers: [customer], contacts: [caller], specialists: [], grants: [] } as unknown as Parameters<typeof store.directory.apply>[0]);
  const session = {
    store,
    me: { id: 'me', office: 'SE', teams: [1] },
    teams: new Signal<TeamId[]>([1]),
    status: new Signal({ connection: 'online' }),
    newCases: { savedDraft: () => Promise.resolve(undefined) },
  } as unknown as DeskSession;
  const call: IncomingCall = {
    callId: 'call-1',
    key: 'call-1',
    from: caller.phone ?? '',
    option: 1,
    state: 'ringing',
    caller: { phone: caller.phone ?? '', contact: caller, customer, team: 1, entitlement: null, openCaseNumbers: [] } as unknown as IncomingCall['caller'],
  };
  render(createElement(TranslationProvider, null, createElement(SessionContext.Provider, { value: session }, createElement(NewCase, { call, onCreated: () => undefined, onCancel: () => undefined }))));
  return {
    module: () => (screen.getByTestId('new-module') as HTMLSelectElement).value,
    entitlement: () => screen.getByTestId('entitlement'),
  };
}

describe('a new case from a call', () => {
  it("pre-selects the caller's one trained, licensed module, and warns of nothing that is not so", () => {
    const form = fromCall(contact(['payroll']));
    expect(form.module()).toBe('payroll');
    expect(form.entitlement().dataset.entitled).toBe('true');
    expect(form.entitlement().textContent).not.toMatch(/utbildad/i);
  });

  it('pre-selects nothing when the caller is trained in several modules, and shows no module warning before one is chosen', () => {
    const form = fromCall(contact(['finance', 'time']));
    expect(form.module()).toBe('');
    expect(form.entitlement().dataset.entitled).toBe('true');
    expect((screen.getByTestId('new-submit') as HTMLButtonElement).disabled).toBe(true);
  });
});
