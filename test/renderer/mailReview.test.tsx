// @vitest-environment jsdom
/**
 * The office's unmatched mail (ui/MailReview.tsx, session/mail.ts) in Finnish: the live message
 * moves the count and fetches the list again, the sender's domain's contacts come first, linking
 * opens the case the mail is now on, dismissing needs a confirmation, errors are in words, and
 * offline the view says why there is no list.
 */
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Contact, Customer, MailReviewItem } from '../../shared/index';
import { SessionContext } from '../../renderer/src/ui/hooks';
import type { DeskSession } from '../../renderer/src/session/session';
import { MailDesk } from '../../renderer/src/session/mail';
import { ApiError, type ApiClient } from '../../renderer/src/api/client';
import { DeskStore } from '../../renderer/src/store/store';
import { Signal } from '../../renderer/src/lib/signal';
import { emptyDelta } from '../../renderer/src/model/rows';
import { initI18n } from '../../renderer/src/i18n/index';
import { TranslationProvider } from '../../renderer/src/i18n/typing';
import { MailReview } from '../../renderer/src/ui/MailReview';
import { row } from './rows';

const customers = [
  { id: 'cu-a', name: 'Aalto Rakennus Oy', country: 'FI' },
  { id: 'cu-b', name: 'Bergström Bygg AB', country: 'SE' },
] as Customer[];
const person = (id: string, customerId: string, name: string, email: string): Contact => ({ id, customerId, name, email, phone: null, superUser: false, superUserSince: null, trainedModules: [], anonymisedAt: null });
const contacts = [person('k-b', 'cu-b', 'Anders Berg', 'anders@bergstrom.se'), person('k-a1', 'cu-a', 'Aino Aalto', 'aino@aalto.fi'), person('k-a2', 'cu-a', 'Matti Aalto', 'matti@aalto.fi')];

const item = (over: Partial<MailReviewItem> = {}): MailReviewItem => ({
  id: 'r-1',
  office: 'FI',
  mailbox: 'tuki@softone.fi',
  from: 'uusi.henkilo@aalto.fi',
  fromName: 'Uusi Henkilö',
  subject: 'Palkka-ajo ei käynnisty',
  excerpt: 'Hei, palkka-ajo pysähtyy.',
  receivedAt: '2026-12-07T08:00:00.000Z',
  reason: 'unknown_sender',
  caseNumber: null,
  attachmentCount: 0,
  ...over,
});

beforeAll(async () => {
  await initI18n('fi');
});
afterEach(cleanup);

function fakeMail(list: MailReviewItem[]) {
  const mail = new MailDesk({} as ApiClient, 'FI');
  const calls = { review: 0 };
  mail.review = vi.fn(async () => {
    calls.review++;
    mail.reviewCount.set(list.length);
    return [...list];
  });
  mail.link = vi.fn(async () => ({ caseId: 'case-linked', caseNumber: 300123 }));
  mail.dismiss = vi.fn(async () => undefined);
  return { mail, calls };
}

function show(list: MailReviewItem[], opts: { online?: boolean } = {}) {
  const store = new DeskStore({ id: 'me', role: 'specialist' });
  store.directory.apply({ customers, contacts, specialists: [], grants: [] } as unknown as Parameters<typeof store.directory.apply>[0]);
  store.ingest({ ...emptyDelta(), rows: [row({ id: 'case-linked', number: 300123 })] });
  const { mail, calls } = fakeMail(list);
  const status = new Signal({ connection: opts.online === false ? 'offline' : 'online' });
  const opened: string[] = [];
  const session = { store, me: { id: 'me', office: 'FI' }, status, mail, details: { fetchByNumber: async () => null } } as unknown as DeskSession;
  render(createElement(TranslationProvider, null, createElement(SessionContext.Provider, { value: session }, createElement(MailReview, { onOpen: (r) => opened.push(r.id) }))));
  return { mail, calls, status, opened };
}

describe('the live count', () => {
  it('follows only my office\'s messages, and moves the version a shown list fetches by', () => {
    const mail = new MailDesk({} as ApiClient, 'FI');
    mail.changed({ office: 'SE', count: 4 });
    expect(mail.reviewCount.get()).toBe(0);
    expect(mail.reviewVersion.get()).toBe(0);
    mail.changed({ office: 'FI', count: 2 });
    expect(mail.reviewCount.get()).toBe(2);
    expect(mail.reviewVersion.get()).toBe(1);
  });
});

describe('the unmatched mail view', () => {
  it('lists each mail with its sender, subject, excerpt and reason in words, and fetches again on a live message', async () => {
    const { mail, calls } = show([item(), item({ id: 'r-2', reason: 'foreign_thread', caseNumber: 200456, from: 'x@y.fi', fromName: null })]);
    const items = await screen.findAllByTestId('mail-review-item');
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain('Uusi Henkilö <uusi.henkilo@aalto.fi>');
    expect(items[0]!.textContent).toContain('Palkka-ajo ei käynnisty');
    expect(items[0]!.textContent).toContain('Hei, palkka-ajo pysähtyy.');
    expect(items[0]!.querySelector('[data-testid="mail-review-reason"]')?.textContent).toBe('Lähettäjä ei ole kenenkään asiakkaan yhteyshenkilö');
    expect(items[1]!.querySelector('[data-testid="mail-review-reason"]')?.textContent).toBe('Viittaa toisen asiakkaan tukipyyntöön 200456');
    expect(calls.review).toBe(1);
    act(() => mail.changed({ office: 'FI', count: 3 }));
    await waitFor(() => expect(calls.review).toBe(2));
  });

  it('offers the sender\'s domain\'s contacts first, links, and opens the case the mail is now on', async () => {
    const { mail, opened } = show([item()]);
    fireEvent.click(await screen.findByTestId('review-link'));
    // Nothing typed: the contacts of the customer whose people write from aalto.fi.
    const offered = screen.getAllByTestId('review-contact').map((b) => b.textContent ?? '');
    expect(offered).toHaveLength(2);
    expect(offered.every((t) => t.includes('Aalto Rakennus Oy'))).toBe(true);
    fireEvent.change(screen.getByTestId('review-contact-search'), { target: { value: 'a' } });
    const all = screen.getAllByTestId('review-contact').map((b) => b.textContent ?? '');
    expect(all).toHaveLength(3);
    expect(all[2]).toContain('Anders Berg');
    fireEvent.click(screen.getAllByTestId('review-contact')[0]!);
    await waitFor(() => expect(opened).toEqual(['case-linked']));
    expect(mail.link).toHaveBeenCalledWith('r-1', 'k-a1');
    expect(screen.getByRole('status').textContent).toBe('Liitetty tukipyyntöön 300123.');
  });

  it('dismisses only after a confirmation, and says in words why it could not', async () => {
    const { mail } = show([item()]);
    fireEvent.click(await screen.findByTestId('review-dismiss'));
    expect(mail.dismiss).not.toHaveBeenCalled();
    expect(screen.getByText(/Hylätäänkö sähköposti lähettäjältä Uusi Henkilö/)).toBeTruthy();
    mail.dismiss = vi.fn(async () => {
      throw new ApiError(403, 'forbidden', 'no');
    });
    fireEvent.click(screen.getByTestId('review-dismiss-confirm'));
    await waitFor(() => expect(screen.getByRole('alert').textContent).not.toBe(''));
    expect(screen.getAllByTestId('mail-review-item')).toHaveLength(1);
    mail.dismiss = vi.fn(async () => undefined);
    fireEvent.click(screen.getByTestId('review-dismiss-confirm'));
    await waitFor(() => expect(screen.queryAllByTestId('mail-review-item')).toHaveLength(0));
    expect(mail.dismiss).toHaveBeenCalledWith('r-1');
  });

  it('offline, fetches nothing and says the list needs a connection; back online, it comes', async () => {
    const { calls, status } = show([item()], { online: false });
    expect(screen.getByTestId('mail-review-offline').textContent).toContain('Luettelo vaatii yhteyden palvelimeen');
    expect(calls.review).toBe(0);
    act(() => status.set({ connection: 'online' }));
    expect(await screen.findAllByTestId('mail-review-item')).toHaveLength(1);
  });
});
