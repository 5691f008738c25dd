// @vitest-environment jsdom
/**
 * The case's mail thread and the composer (ui/case/Timeline.tsx, MailEvent.tsx, Composer.tsx)
 * in Swedish: mail told apart from notes in words, a reply's state, the formatted view fetched,
 * sanitised and offline-aware; the composer's two modes, its keys, its draft, and what it sends.
 */
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaseEvent, Contact, Customer, MutationBody } from '../../shared/index';
import { SessionContext } from '../../renderer/src/ui/hooks';
import type { DeskSession } from '../../renderer/src/session/session';
import { DeskStore } from '../../renderer/src/store/store';
import { Signal } from '../../renderer/src/lib/signal';
import { emptyDelta } from '../../renderer/src/model/rows';
import type { OutboxEntry } from '../../renderer/src/model/edits';
import { initI18n } from '../../renderer/src/i18n/index';
import { TranslationProvider } from '../../renderer/src/i18n/typing';
import { Timeline } from '../../renderer/src/ui/case/Timeline';
import { row } from './rows';

const customer = { id: 'cu1', name: 'Bygg AB', country: 'SE' } as Customer;
const anna: Contact = { id: 'k1', customerId: 'cu1', name: 'Anna Svensson', email: 'anna@bygg.se', phone: null, superUser: false, superUserSince: null, trainedModules: [], anonymisedAt: null };
const noMail: Contact = { ...anna, id: 'k2', name: 'Per Ek', email: null };
const gone: Contact = { ...anna, id: 'k3', name: '[anonymiserad]', email: null, anonymisedAt: '2026-11-01T00:00:00.000Z' };

const at = (m: number) => new Date(Date.UTC(2026, 11, 7, 9, m)).toISOString();
const mailIn: CaseEvent = {
  id: 'e-in',
  caseId: 'case-x',
  at: at(0),
  receivedAt: at(0),
  actorId: null,
  kind: 'mail',
  text: 'Hej! Fakturan blir fel.',
  data: { direction: 'in', status: 'received', mailId: 'm1', from: 'anna@bygg.se', fromName: 'Anna Svensson', to: 'support@softone.se', subject: 'Fakturan', html: true },
};
const autoReply: CaseEvent = { ...mailIn, id: 'e-auto', at: at(1), text: 'Vi har tagit emot ditt ärende.', data: { direction: 'out', status: 'sent', mailId: 'm2', from: 'support@softone.se', to: 'anna@bygg.se', subject: 'Fakturan [Ärende #100001]', auto: true } };
const note: CaseEvent = { id: 'e-note', caseId: 'case-x', at: at(2), receivedAt: at(2), actorId: 'me', kind: 'note', text: 'Kollat i reskontran.', data: {} };
const failed: CaseEvent = { ...autoReply, id: 'e-failed', at: at(3), actorId: 'me', text: 'Nu är den rättad.', data: { direction: 'out', status: 'failed', mailId: 'm3', from: 'support@softone.se', to: 'anna@bygg.se', subject: 'Fakturan [Ärende #100001]', error: '550 mailbox unavailable' } };

interface Setup {
  enqueued: MutationBody[];
  status: Signal<{ connection: string }>;
  html: ReturnType<typeof vi.fn>;
}

function show(opts: { contactId?: string | null; events?: CaseEvent[]; entries?: OutboxEntry[]; online?: boolean; caseId?: string } = {}): Setup & { rerender: (caseId: string) => void } {
  const store = new DeskStore({ id: 'me', role: 'specialist' });
  store.directory.apply({ customers: [customer], contacts: [anna, noMail, gone], specialists: [{ id: 'me', name: 'Maja Lind' }], grants: [] } as unknown as Parameters<typeof store.directory.apply>[0]);
  const contactId = opts.contactId === undefined ? anna.id : opts.contactId;
  store.ingest({ ...emptyDelta(), rows: [row({ id: 'case-x', contactId }), row({ id: 'case-y', contactId })] });
  const enqueued: MutationBody[] = [];
  const status = new Signal({ connection: opts.online === false ? 'offline' : 'online' });
  const html = vi.fn(async () => '<p>Hej <b>formaterat</b></p><script>alert(1)</script><img src="https://track.example/p.gif">');
  const session = {
    store,
    me: { id: 'me', name: 'Maja Lind', office: 'SE', teams: [1] },
    status,
    details: { cachedTimeline: async () => opts.events ?? [], fetchTimeline: async () => undefined },
    mail: { html },
    // No files on these events (files are tested in uploads.test.ts and attachments.spec.ts).
    attachments: { watch: () => () => undefined, slicesOfCase: () => [] },
    enqueue: async (body: MutationBody) => {
      enqueued.push(body);
      return {};
    },
  } as unknown as DeskSession;
  const el = (caseId: string) =>
    createElement(TranslationProvider, null, createElement(SessionContext.Provider, { value: session }, createElement(Timeline, { key: caseId, caseId, onServer: true, entries: opts.entries ?? [] })));
  const r = render(el(opts.caseId ?? 'case-x'));
  return { enqueued, status, html, rerender: (caseId: string) => r.rerender(el(caseId)) };
}

beforeAll(async () => {
  await initI18n('sv');
});
beforeEach(() => sessionStorage.clear());
afterEach(cleanup);

describe('the mail thread', () => {
  it('shows mail from the customer, the automatic reply, a failed reply and a note, each in its own words', async () => {
    show({ events: [mailIn, autoReply, note, failed] });
    const mails = await screen.findAllByTestId('mail-event');
    expect(mails).toHaveLength(3);
    const [incoming, auto, bounced] = mails as [HTMLElement, HTMLElement, HTMLElement];
    expect(incoming.textContent).toContain('E-post från kunden');
    expect(incoming.textContent).toContain('Anna Svensson <anna@bygg.se>');
    expect(incoming.textContent).toContain('Fakturan');
    expect(incoming.textContent).toContain('Hej! Fakturan blir fel.');
    expect(incoming.dataset.direction).toBe('in');
    expect(auto.textContent).toContain('Automatiskt svar');
    expect(auto.querySelector('[data-testid="mail-status"]')?.textContent).toBe('Skickat');
    expect(bounced.querySelector('[data-testid="mail-status"]')?.textContent).toBe('Kunde inte skickas');
    expect(bounced.querySelector('[data-testid="mail-error"]')?.textContent).toContain('550 mailbox unavailable');
    const noteItem = screen.getByTestId('note-event');
    expect(noteItem.textContent).toContain('Intern anteckning');
    expect(noteItem.textContent).not.toContain('E-post');
    // Told apart by an icon too, not colour alone.
    expect(incoming.querySelector('svg')).not.toBeNull();
    expect(noteItem.querySelector('svg')).not.toBeNull();
  });

  it('shows a reply still in the outbox as a mail waiting to be sent', async () => {
    const entry = {
      mutationId: 3,
      caseId: 'case-x',
      state: 'pending',
      createdAt: at(5),
      envelope: { clientId: 'c', mutationId: 3, baseVersion: 1, occurredAt: at(5), name: 'sendReply', args: { caseId: 'case-x', eventId: 'r1', text: 'Svar skrivet offline', quote: false, attachmentIds: [] } },
    } as unknown as OutboxEntry;
    show({ entries: [entry] });
    const pending = await screen.findByTestId('timeline-pending');
    expect(pending.textContent).toContain('Svar till kunden');
    expect(pending.textContent).toContain('Väntar på att skickas');
    expect(pending.textContent).toContain('Svar skrivet offline');
  });

  it('fetches the formatted mail on request and shows it sanitised, remote images held back until asked', async () => {
    const { html } = show({ events: [mailIn] });
    fireEvent.click(await screen.findByTestId('mail-formatted-toggle'));
    const shown = await screen.findByTestId('mail-html');
    expect(html).toHaveBeenCalledWith('e-in');
    expect(shown.textContent).toContain('Hej formaterat');
    expect(shown.innerHTML).not.toMatch(/script|track\.example/);
    expect(screen.getByText('1 bild från internet visas inte')).toBeTruthy();
    fireEvent.click(screen.getByTestId('mail-show-images'));
    await waitFor(() => expect(screen.getByTestId('mail-html').innerHTML).toContain('https://track.example/p.gif'));
    fireEvent.click(screen.getByTestId('mail-formatted-toggle'));
    expect(screen.queryByTestId('mail-html')).toBeNull();
    expect(screen.getByText('Hej! Fakturan blir fel.')).toBeTruthy();
  });

  it('offline, keeps the text and says why the formatted view cannot come', async () => {
    const { html } = show({ events: [mailIn], online: false });
    const toggle = (await screen.findByTestId('mail-formatted-toggle')) as HTMLButtonElement;
    expect(toggle.disabled).toBe(true);
    expect(screen.getByTestId('mail-formatted-offline').textContent).toBe('Formaterad visning kräver anslutning – texten visas');
    expect(toggle.getAttribute('aria-describedby')).toBe(screen.getByTestId('mail-formatted-offline').id);
    expect(html).not.toHaveBeenCalled();
    expect(screen.getByText('Hej! Fakturan blir fel.')).toBeTruthy();
  });
});

const key = (init: KeyboardEventInit & { code?: string }, target: EventTarget = window) => act(() => void target.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init })));

describe('the composer', () => {
  it('starts as an internal note; Alt+S and r switch to a reply to the contact\'s address, each with its own words', async () => {
    show({ events: [mailIn] });
    const composer = await screen.findByTestId('composer');
    expect(composer.dataset.mode).toBe('note');
    expect(screen.getByTestId('composer-hint').textContent).toBe('Syns bara för SoftOne – skickas aldrig till kunden');
    expect(screen.getByTestId('note-submit').textContent).toBe('Spara anteckning');
    key({ key: 's', code: 'KeyS', altKey: true });
    expect(composer.dataset.mode).toBe('reply');
    expect(document.activeElement).toBe(screen.getByTestId('reply-input'));
    expect(screen.getByTestId('composer-hint').textContent).toBe('Skickas som e-post till anna@bygg.se');
    expect(screen.getByTestId('reply-submit').textContent).toBe('Skicka till kunden');
    // Alt+S works from inside the box too, and m / r from outside it.
    key({ key: 's', code: 'KeyS', altKey: true }, screen.getByTestId('reply-input'));
    expect(composer.dataset.mode).toBe('note');
    (document.activeElement as HTMLElement).blur();
    key({ key: 'r' });
    expect(composer.dataset.mode).toBe('reply');
    expect(document.activeElement).toBe(screen.getByTestId('reply-input'));
    (document.activeElement as HTMLElement).blur();
    key({ key: 'm' });
    expect(composer.dataset.mode).toBe('note');
    expect(document.activeElement).toBe(screen.getByTestId('note-input'));
  });

  it('sends a reply with Ctrl+Enter as sendReply (quoting when asked), and a note as addNote, never the other way round', async () => {
    const { enqueued } = show({ events: [mailIn] });
    fireEvent.change(await screen.findByTestId('note-input'), { target: { value: 'Bara för oss' } });
    fireEvent.click(screen.getByTestId('composer-mode-reply'));
    fireEvent.change(screen.getByTestId('reply-input'), { target: { value: 'Hej Anna, nu är fakturan rättad.' } });
    fireEvent.click(screen.getByTestId('reply-quote'));
    fireEvent.keyDown(screen.getByTestId('reply-input'), { key: 'Enter', ctrlKey: true });
    await waitFor(() => expect(enqueued).toHaveLength(1));
    expect(enqueued[0]).toMatchObject({ name: 'sendReply', args: { caseId: 'case-x', text: 'Hej Anna, nu är fakturan rättad.', quote: true, attachmentIds: [] } });
    await waitFor(() => expect((screen.getByTestId('reply-input') as HTMLTextAreaElement).value).toBe(''));
    // The note written before is still there, and goes as a note.
    fireEvent.click(screen.getByTestId('composer-mode-note'));
    expect((screen.getByTestId('note-input') as HTMLTextAreaElement).value).toBe('Bara för oss');
    fireEvent.click(screen.getByTestId('note-submit'));
    await waitFor(() => expect(enqueued).toHaveLength(2));
    expect(enqueued[1]).toMatchObject({ name: 'addNote', args: { caseId: 'case-x', text: 'Bara för oss' } });
  });

  it('offers no quote when the customer has not written, and says a reply offline waits on this computer', async () => {
    const { status } = show({ events: [] });
    fireEvent.click(await screen.findByTestId('composer-mode-reply'));
    expect(screen.queryByTestId('reply-quote')).toBeNull();
    expect(screen.queryByText(/Frånkopplad: svaret sparas/)).toBeNull();
    act(() => status.set({ connection: 'offline' }));
    expect(screen.getByText(/Frånkopplad: svaret sparas på den här datorn/)).toBeTruthy();
  });

  it.each([
    ['no contact', null, 'Svar går inte att skicka: ärendet har ingen kontaktperson.'],
    ['no address', 'k2', 'Svar går inte att skicka: Per Ek har ingen e-postadress.'],
    ['an anonymised contact', 'k3', 'Svar går inte att skicka: kontaktpersonen är anonymiserad.'],
  ])('disables the reply with a reason for %s', async (_what, contactId, reason) => {
    const { enqueued } = show({ contactId });
    fireEvent.click(await screen.findByTestId('composer-mode-reply'));
    fireEvent.change(screen.getByTestId('reply-input'), { target: { value: 'Hej' } });
    expect(screen.getByTestId('composer-hint').textContent).toBe(reason);
    expect((screen.getByTestId('reply-submit') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.keyDown(screen.getByTestId('reply-input'), { key: 'Enter', ctrlKey: true });
    await new Promise((r) => setTimeout(r, 0));
    expect(enqueued).toHaveLength(0);
  });

  it('keeps each case\'s draft (text and mode) across opening another case and a reload', async () => {
    const view = show({ events: [] });
    fireEvent.click(await screen.findByTestId('composer-mode-reply'));
    fireEvent.change(screen.getByTestId('reply-input'), { target: { value: 'Halvfärdigt svar' } });
    // Another case: its own, empty composer.
    view.rerender('case-y');
    expect((await screen.findByTestId('composer')).dataset.mode).toBe('note');
    expect((screen.getByTestId('note-input') as HTMLTextAreaElement).value).toBe('');
    view.rerender('case-x');
    expect((await screen.findByTestId('composer')).dataset.mode).toBe('reply');
    expect((screen.getByTestId('reply-input') as HTMLTextAreaElement).value).toBe('Halvfärdigt svar');
    // A reload: a new render from what the tab's storage kept.
    cleanup();
    show({ events: [] });
    expect((await screen.findByTestId('composer')).dataset.mode).toBe('reply');
    expect((screen.getByTestId('reply-input') as HTMLTextAreaElement).value).toBe('Halvfärdigt svar');
  });
});
