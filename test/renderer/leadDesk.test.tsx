// @vitest-environment jsdom
/**
 * The lead's desk's frame: the side bar lists the registered sections and moves with the arrow
 * keys; its lookup action is offered to leads only.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createElement, useState } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { initI18n } from '../../renderer/src/i18n/index';
import { TranslationProvider, type DeskT } from '../../renderer/src/i18n/typing';
import { LeadDesk } from '../../renderer/src/ui/lead/LeadDesk';
import { LEAD_SECTIONS, registeredSections, section, type LeadSectionId } from '../../renderer/src/ui/lead/sections';
import { matchActions } from '../../renderer/src/ui/lookupActions';

beforeAll(async () => {
  await initI18n('sv');
});
afterEach(() => cleanup());

describe('the lead desk', () => {
  it('offers its lookup action to leads only', () => {
    const t = i18next.t.bind(i18next) as unknown as DeskT;
    expect(matchActions(t, 'teamledarens', true).map((m) => m.action.id)).toEqual(['leadDesk']);
    expect(matchActions(t, 'teamledarens', false)).toEqual([]);
  });

  it('lists the registered sections and moves between them with the arrow keys', async () => {
    const saved = { ...LEAD_SECTIONS };
    const stub = (text: string) => section(() => Promise.resolve({ default: () => createElement('p', null, text) }));
    LEAD_SECTIONS.accounts = stub('accounts here');
    LEAD_SECTIONS.reports = stub('reports here');
    try {
      const ids = registeredSections();
      function Frame() {
        const [current, setCurrent] = useState<LeadSectionId>(ids[0] ?? 'accounts');
        return createElement(LeadDesk, { section: current, onSection: setCurrent, onOpenCase: () => undefined, onBack: () => undefined, twoFactorNeeded: false });
      }
      render(createElement(TranslationProvider, null, createElement(Frame)));
      const tabs = screen.getAllByRole('tab');
      expect(tabs.map((t) => t.textContent)).toEqual(ids.map((id) => i18next.t(`lead:section.${id}`)));
      const first = tabs[0];
      if (!first) throw new Error('no tab');
      expect(first.getAttribute('aria-selected')).toBe('true');
      first.focus();
      await act(async () => {
        fireEvent.keyDown(first, { key: 'End' });
      });
      const last = screen.getAllByRole('tab').at(-1);
      expect(last?.getAttribute('aria-selected')).toBe('true');
      expect(document.activeElement).toBe(last);
      expect(await screen.findByText('reports here')).toBeTruthy();
    } finally {
      for (const key of Object.keys(LEAD_SECTIONS) as LeadSectionId[]) delete LEAD_SECTIONS[key];
      Object.assign(LEAD_SECTIONS, saved);
    }
  });
});
