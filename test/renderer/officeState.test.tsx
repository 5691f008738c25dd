// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionContext } from '../../renderer/src/ui/hooks';
import type { DeskSession } from '../../renderer/src/session/session';
import { initI18n, setLanguage } from '../../renderer/src/i18n/index';
import { TranslationProvider } from '../../renderer/src/i18n/typing';
import { OfficeState } from '../../renderer/src/ui/OfficeState';

beforeAll(async () => {
  await initI18n('sv');
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'Date'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function mount(office: 'SE' | 'FI') {
  const session = { me: { id: 'me', office } } as unknown as DeskSession;
  render(createElement(TranslationProvider, null, createElement(SessionContext.Provider, { value: session }, createElement(OfficeState))));
  return () => screen.getByTestId('office-state');
}
const until = (iso: string) => act(() => void vi.advanceTimersByTime(Date.parse(iso) - Date.now()));

describe('the office state in the top bar', () => {
  it('changes at lunch, after lunch, at closing and over the weekend, each time at that instant with one timer', async () => {
    vi.setSystemTime(Date.parse('2026-12-11T10:59:00Z')); // Friday 11:59 in Stockholm
    const shown = mount('SE');
    expect(shown().textContent).toBe('Öppet till 16:00');
    // One timer, set to the next change: no polling.
    expect(vi.getTimerCount()).toBe(1);
    await until('2026-12-11T11:00:00.001Z');
    expect(shown().textContent).toBe('Lunch till 13:00');
    await until('2026-12-11T12:00:00.001Z');
    expect(shown().dataset.state).toBe('open');
    await until('2026-12-11T15:00:00.001Z');
    expect(shown().textContent).toBe('Stängt till måndag 08:00');
    expect(vi.getTimerCount()).toBe(1);
  });

  it('says an eve closes early, and in Finnish', async () => {
    await setLanguage('fi');
    try {
      vi.setSystemTime(Date.parse('2026-12-23T10:30:00Z')); // Wednesday 12:30 in Helsinki, before Jouluaatto
      const shown = mount('FI');
      expect(shown().textContent).toBe('Sulkeutuu tänään klo 14.00');
      await until('2026-12-23T12:00:00.001Z');
      expect(shown().textContent).toBe('Suljettu, avataan maanantaina klo 8.00');
    } finally {
      await setLanguage('sv');
    }
  });

  it('says the right day after midnight while closed over a night', async () => {
    vi.setSystemTime(Date.parse('2026-12-14T16:30:00Z')); // Monday 17:30 in Stockholm
    const shown = mount('SE');
    expect(shown().textContent).toBe('Stängt till i morgon 08:00');
    await until('2026-12-14T23:00:00.001Z'); // Tuesday 00:00 in Stockholm: the opening is today now
    expect(shown().textContent).toBe('Stängt till 08:00');
    expect(vi.getTimerCount()).toBe(1);
    await until('2026-12-15T07:00:00.001Z');
    expect(shown().textContent).toBe('Öppet till 16:00');
  });
});
