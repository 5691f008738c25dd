// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccessGrant, Customer } from '../../shared/index';
import { SessionContext } from '../../renderer/src/ui/hooks';
import type { DeskSession } from '../../renderer/src/session/session';
import { DeskStore } from '../../renderer/src/store/store';
import { initI18n } from '../../renderer/src/i18n/index';
import { TranslationProvider } from '../../renderer/src/i18n/typing';
import { GrantPanel } from '../../renderer/src/ui/case/GrantPanel';

const customer: Customer = {
  id: 'c1',
  name: 'Bygg AB',
  orgNumber: '556000-0001',
  country: 'SE',
  language: 'sv',
  industry: 'construction',
  licensedModules: ['finance'],
  paymentStatus: 'ok',
  superUserQuota: 2,
};

const START = Date.parse('2026-12-09T09:00:07.000Z');

beforeAll(async () => {
  await initI18n('sv');
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(START);
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function mount() {
  const store = new DeskStore({ id: 'me', role: 'specialist' });
  const session = { store, me: { id: 'me', office: 'SE' } } as unknown as DeskSession;
  render(createElement(TranslationProvider, null, createElement(SessionContext.Provider, { value: session }, createElement(GrantPanel, { customer }))));
  const grant = (g: AccessGrant) =>
    act(() => {
      store.directory.grantsByCustomer.set(customer.id, [g]);
      store.changes.changed();
      vi.advanceTimersByTime(300);
    });
  return { grant };
}

const at = (ms: number) => act(() => void vi.advanceTimersByTime(ms - Date.now()));

describe('the support-login panel', () => {
  it('shows a grant the moment it is recorded, and no longer the moment it ends, not on the next minute', async () => {
    const { grant } = mount();
    expect(screen.queryByTestId('grant-active')).toBeNull();
    // Twenty seconds later the customer grants access; the panel shows it at once.
    await at(START + 20_000);
    const grantedAt = Date.now();
    const expiresAt = grantedAt + 24 * 3_600_000;
    await grant({ id: 'g1', customerId: customer.id, kind: 'consultant', grantedByContactId: 'k1', recordedBy: 'me', grantedAt: new Date(grantedAt).toISOString(), expiresAt: new Date(expiresAt).toISOString(), revokedAt: null });
    expect(screen.getByTestId('grant-active')).toBeTruthy();
    // A millisecond before its end it is active; at its end (mid-minute) it is gone.
    await at(expiresAt - 1);
    expect(screen.getByTestId('grant-active')).toBeTruthy();
    await at(expiresAt + 2);
    expect(screen.queryByTestId('grant-active')).toBeNull();
  });

  it('shows a grant that begins later from its start', async () => {
    const { grant } = mount();
    const grantedAt = START + 90_500;
    await grant({ id: 'g2', customerId: customer.id, kind: 'consultant', grantedByContactId: 'k1', recordedBy: 'me', grantedAt: new Date(grantedAt).toISOString(), expiresAt: new Date(grantedAt + 3_600_000).toISOString(), revokedAt: null });
    expect(screen.queryByTestId('grant-active')).toBeNull();
    await at(grantedAt + 2);
    expect(screen.getByTestId('grant-active')).toBeTruthy();
  });
});
