// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Article, Contact, Template } from '../../shared/index';
import { SessionContext } from '../../renderer/src/ui/hooks';
import type { DeskSession } from '../../renderer/src/session/session';
import { DeskStore } from '../../renderer/src/store/store';
import { emptyDelta } from '../../renderer/src/model/rows';
import { Signal } from '../../renderer/src/lib/signal';
import { initI18n } from '../../renderer/src/i18n/index';
import { TranslationProvider } from '../../renderer/src/i18n/typing';
import { AnswerPicker } from '../../renderer/src/ui/answers/AnswerPicker';
import { row } from './rows';

const AT = '2026-03-02T08:00:00.000Z';
const template = (id: string, title: string, body: string, over: Partial<Template> = {}): Template => ({
  id,
  language: 'sv',
  scope: { kind: 'team', team: 1 },
  title,
  body,
  updatedAt: AT,
  updatedBy: 'lead',
  deletedAt: null,
  ...over,
});
const article = (id: string, title: string, body: string, over: Partial<Article> = {}): Article => ({
  id,
  language: 'sv',
  module: 'payroll',
  title,
  body,
  public: true,
  updatedAt: AT,
  updatedBy: 'lead',
  deletedAt: null,
  ...over,
});
const contact: Contact = {
  id: 'k1',
  customerId: 'cust-1',
  name: 'Anna-Lena Berg',
  email: 'anna@bygg.se',
  phone: null,
  superUser: true,
  superUserSince: null,
  trainedModules: [],
  anonymisedAt: null,
};

beforeAll(async () => {
  await initI18n('sv');
});
afterEach(() => cleanup());

function mount(kind: 'templates' | 'articles', contactId: string | null = 'k1') {
  const store = new DeskStore({ id: 'me', role: 'specialist' });
  const theCase = row({ id: 'case-x', number: 12345, title: 'Lönekörningen stannar', contactId, customerId: 'cust-1' });
  store.ingest({
    ...emptyDelta(),
    rows: [theCase],
    contacts: [contact],
    templates: [
      template('t1', 'Tack för ditt ärende', 'Hej {contact.firstName}, tack! Ärende {case.number}. /{specialist.name}'),
      template('t2', 'Fel bekräftat', 'Åtgärdas senast {sla.resolveBy}.'),
      template('t3', 'Kiitos yhteydenotostasi', 'Hei {contact.firstName}', { language: 'fi', scope: { kind: 'team', team: 2 } }),
      template('gone', 'Borttagen mall', 'x', { deletedAt: AT }),
    ],
    articles: [
      article('a1', 'Lönekörningen går inte att attestera', 'Alla **tidrapporter** måste vara attesterade.'),
      article('a2', 'Fakturan skickas inte som e-faktura', 'Kontrollera e-fakturaadressen.', { module: 'billing' }),
    ],
  });
  const session = {
    store,
    me: { id: 'me', name: 'Erik Johansson', office: 'SE', role: 'specialist' },
    teams: new Signal([1, 2]),
    serverUrl: 'https://desk.example.com',
  } as unknown as DeskSession;
  const onInsert = vi.fn<(text: string) => void>();
  const onClose = vi.fn<() => void>();
  render(
    createElement(
      TranslationProvider,
      null,
      createElement(SessionContext.Provider, { value: session }, createElement(AnswerPicker, { kind, caseId: 'case-x', onInsert, onClose })),
    ),
  );
  const input = screen.getByTestId('answer-search');
  const options = () => screen.queryAllByTestId('answer-option').map((o) => o.textContent ?? '');
  const selected = () => screen.getAllByTestId('answer-option').find((o) => o.getAttribute('aria-selected') === 'true')?.textContent ?? '';
  const type = (text: string) => act(() => void fireEvent.change(input, { target: { value: text } }));
  const key = (k: string, extra: object = {}) => act(() => void fireEvent.keyDown(input, { key: k, ...extra }));
  return { onInsert, onClose, input, options, selected, type, key };
}

describe('the answer picker', () => {
  it('lists live templates, the desk\'s language first, and filters as the specialist types (folded, stemmed)', () => {
    const p = mount('templates');
    expect(p.options()).toHaveLength(3);
    expect(p.options()[2]).toContain('Kiitos');
    p.type('tack arend');
    expect(p.options()).toHaveLength(1);
    expect(p.options()[0]).toContain('Tack för ditt ärende');
    p.type('kiitos');
    expect(p.options()[0]).toContain('Kiitos');
    p.type('nothing-like-this');
    expect(p.options()).toHaveLength(0);
    expect(screen.getByRole('status').textContent).toContain('nothing-like-this');
  });

  it('moves with the arrows (wrapping), inserts the filled template on Enter and closes', () => {
    const p = mount('templates');
    const first = p.selected();
    p.key('ArrowDown');
    expect(p.selected()).not.toBe(first);
    p.key('ArrowUp');
    p.key('ArrowUp');
    expect(p.selected()).toContain('Kiitos');
    p.key('ArrowDown');
    expect(p.selected()).toBe(first);
    p.type('tack');
    p.key('Enter');
    expect(p.onInsert).toHaveBeenCalledWith('Hej Anna-Lena, tack! Ärende 12345. /Erik Johansson');
    expect(p.onClose).toHaveBeenCalled();
  });

  it('warns before inserting a field the case has no value for', () => {
    const p = mount('templates', null);
    p.type('tack');
    expect(screen.getByTestId('answer-missing').textContent).toContain('Kontaktens förnamn');
    p.type('fel bekraftat');
    // A support case has no SLA: the deadline is empty and said so.
    expect(screen.getByTestId('answer-missing').textContent).toContain('Åtgärdas senast');
  });

  it('inserts an article\'s link on Enter and its text (as plain text) on Shift+Enter', () => {
    const p = mount('articles');
    p.type('lonekorningen');
    p.key('Enter');
    expect(p.onInsert).toHaveBeenLastCalledWith('https://desk.example.com/kb/a1');
    cleanup();
    const r = mount('articles');
    r.type('attestera');
    r.key('Enter', { shiftKey: true });
    // The markdown marks are not sent to a customer: plain text.
    expect(r.onInsert).toHaveBeenLastCalledWith('Alla tidrapporter måste vara attesterade.');
  });

  it('closes on Esc without letting the desk act on it', () => {
    const p = mount('articles');
    const event = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    act(() => void p.input.dispatchEvent(event));
    expect(p.onClose).toHaveBeenCalled();
    expect(event.defaultPrevented).toBe(true);
    expect(p.onInsert).not.toHaveBeenCalled();
  });
});
