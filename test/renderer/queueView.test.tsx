// @vitest-environment jsdom
import { act, cleanup, render } from '@testing-library/react';
import { createElement } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TeamId } from '../../shared/index';
import { SessionContext } from '../../renderer/src/ui/hooks';
import type { DeskSession } from '../../renderer/src/session/session';
import { Signal } from '../../renderer/src/lib/signal';
import { DeskStore } from '../../renderer/src/store/store';
import type { DisplayRow } from '../../renderer/src/model/rows';
import { DEFAULT_FILTERS, QueueIndex } from '../../renderer/src/model/queue';
import { initI18n } from '../../renderer/src/i18n/index';
import { TranslationProvider } from '../../renderer/src/i18n/typing';
import { Queue, type QueueState } from '../../renderer/src/ui/Queue';
import { row } from './rows';

/** The specialist signed in: the outbox's edits are theirs. */
const ME = { id: 'me', role: 'specialist' as const };

// jsdom lays nothing out: the list gets the size of ten rows, and the scrollTo by which the
// virtualiser moves it (jsdom has none) is recorded.
const scrolls: unknown[] = [];
const VIEWPORT = 340;
const own = Object.fromEntries(['scrollTo', 'clientHeight', 'clientWidth', 'scrollHeight'].map((k) => [k, Object.getOwnPropertyDescriptor(HTMLElement.prototype, k)]));
const listed = (size: (el: HTMLElement) => number) =>
  function (this: HTMLElement): number {
    return this.dataset.testid === 'queue' ? size(this) : 0;
  };

beforeAll(async () => {
  await initI18n('sv');
  Object.defineProperties(HTMLElement.prototype, {
    scrollTo: {
      configurable: true,
      value(options?: ScrollToOptions) {
        scrolls.push(options);
      },
    },
    clientHeight: { configurable: true, get: listed(() => VIEWPORT) },
    clientWidth: { configurable: true, get: listed(() => 1000) },
    // The virtualiser's spacer is the list's content.
    scrollHeight: { configurable: true, get: listed((el) => parseFloat((el.firstElementChild as HTMLElement | null)?.style.height ?? '') || 0) },
  });
});

afterAll(() => {
  for (const [k, descriptor] of Object.entries(own)) {
    if (descriptor) Object.defineProperty(HTMLElement.prototype, k, descriptor);
    else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[k];
  }
});

afterEach(() => {
  cleanup();
  scrolls.length = 0;
});

/** The queue over `rows` in a session of real parts: what the queue reads of a session. */
function mount(rows: DisplayRow[], initial: QueueState) {
  const session = { store: new DeskStore(ME), teams: new Signal<TeamId[]>([1, 2]), me: { id: 'me', office: 'SE' } } as unknown as DeskSession;
  const index = new QueueIndex(rows);
  let state = initial;
  const onState = (update: (s: QueueState) => QueueState) => {
    state = update(state);
  };
  const view = (s: QueueState) =>
    createElement(
      TranslationProvider,
      null,
      createElement(SessionContext.Provider, { value: session }, createElement(Queue, { index, state: s, shown: { current: true }, onState, onOpen: () => undefined })),
    );
  const result = render(view(initial));
  return {
    show: (s: QueueState) => result.rerender(view(s)),
    state: () => state,
    container: result.container,
  };
}

const key = (k: string) => act(() => void window.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true })));

describe('the queue list and its selection', () => {
  const rows = Array.from({ length: 300 }, (_, i) => row({ number: i + 1 }));
  const byNumber: QueueState = { view: 'all', filters: DEFAULT_FILTERS, sort: { key: 'number', dir: 'asc' }, selectedId: rows[250]!.id };

  it('stays where it is when the list or the selection changes without a key', () => {
    const q = mount(rows, byNumber);
    // The virtualiser's own write of its start offset.
    scrolls.length = 0;
    // A switch: the selected case is elsewhere in the new order.
    q.show({ ...byNumber, sort: { key: 'number', dir: 'desc' } });
    q.show({ ...byNumber, sort: { key: 'number', dir: 'desc' }, filters: { ...DEFAULT_FILTERS, category: 'support' } });
    // Back from a case opened elsewhere (a lookup): it became the selection.
    q.show({ ...byNumber, selectedId: rows[120]!.id });
    expect(scrolls).toEqual([]);
  });

  it('follows the selection a key moves, from the selected case in the order shown', async () => {
    const q = mount(rows, byNumber);
    await key('j');
    expect(q.state().selectedId).toBe(rows[251]!.id);
    expect(scrolls.length).toBeGreaterThan(0);
    q.show({ ...byNumber, sort: { key: 'number', dir: 'desc' } });
    await key('k');
    // Case 251 is at index 49 in descending order; up is case 252.
    expect(q.state().selectedId).toBe(rows[251]!.id);
  });

  it('marks the selected row', () => {
    const q = mount(rows, { ...byNumber, selectedId: rows[3]!.id });
    const selected = [...q.container.querySelectorAll('[data-testid=queue-row][aria-selected=true]')].map((r) => r.getAttribute('data-number'));
    expect(selected).toEqual(['4']);
  });
});

describe('the SLA column', () => {
  afterEach(() => vi.useRealTimers());

  it('reads in the order it is sorted: each deadline as an instant in my time, soonest first', () => {
    // Monday 09:00 in Stockholm, 10:00 in Helsinki. The Finnish case is due at 12:30 Helsinki
    // time (1 h 30 min of its office's hours left, lunch 11–12), the Swedish one at 11:15
    // Stockholm time (2 h 15 min left): the Swedish one is due first.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-12-07T08:00:00Z'));
    const fi = row({ office: 'FI', deadlineAt: Date.parse('2026-12-07T10:30:00Z') });
    const se = row({ office: 'SE', deadlineAt: Date.parse('2026-12-07T10:15:00Z') });
    const q = mount([fi, se], { view: 'all', filters: DEFAULT_FILTERS, sort: { key: 'urgency', dir: 'asc' }, selectedId: null });
    const shown = [...q.container.querySelectorAll('[data-testid=queue-row] .sla')].map((e) => e.textContent);
    expect(shown).toEqual(['11:15', '11:30']);
    // The business time left in the case's office is still one hover away.
    expect(q.container.querySelector('[data-testid=queue-row] .sla')?.getAttribute('title')).toContain('2 tim 15 min kvar');
  });
});
