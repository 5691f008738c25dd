/**
 * Helpers of the customer centre's e2e specs: screen sizes, screenshots, a SuperUser of the seed
 * the centre accepts, the lead's invitation and its relayed link, a customer's browser, and a
 * SuperUser signed in from the invitation (the password set on the phone-sized screen).
 */
import type { Browser, Page } from '@playwright/test';
import { entitlement, ROUTES, type Contact, type Customer, type ModuleId } from '../../shared/index';
import { request } from '../support/http';
import { e2eServer, relayed, ServerApi } from './env';
import { expect } from './fixtures';

export const PHONE = { width: 390, height: 844 };
export const DESK = { width: 1280, height: 900 };
export const CENTRE_PASSWORD = 'blåbärssoppa vid femte milen 2026';

export const SET_PASSWORD_WORDS = {
  sv: { setPassword: 'Nytt lösenord', confirm: 'Upprepa lösenordet', save: 'Spara lösenord och logga in', heading: 'Ärenden' },
  fi: { setPassword: 'Uusi salasana', confirm: 'Toista salasana', save: 'Tallenna salasana ja kirjaudu', heading: 'Asiat' },
} as const;

export async function shoot(page: Page, lang: string, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screenshots/${lang}-${name}.png`, fullPage: true });
}

export interface PickedSuperUser {
  contact: Contact & { email: string };
  customer: Customer;
  module: ModuleId;
}

/** A SuperUser the centre will accept: of a customer in this language, paying, trained on a licensed module, within the quota. */
export async function pickSuperUser(lang: 'sv' | 'fi', avoidCustomers: readonly string[]): Promise<PickedSuperUser> {
  const server = e2eServer();
  const snapshot = await (await ServerApi.login(server.leadEmail)).snapshot();
  const customers = new Map(snapshot.customers.map((c) => [c.id, c]));
  for (const contact of snapshot.contacts) {
    const customer = customers.get(contact.customerId);
    if (!customer || contact.email === null || contact.anonymisedAt !== null || customer.language !== lang || customer.paymentStatus !== 'ok') continue;
    if (avoidCustomers.includes(customer.name)) continue;
    const colleagues = snapshot.contacts.filter((c) => c.customerId === customer.id);
    const module = customer.licensedModules.find((m) => contact.trainedModules.includes(m));
    if (module && entitlement(customer, contact, module, colleagues).entitled) return { contact: { ...contact, email: contact.email }, customer, module };
  }
  throw new Error(`no SuperUser of a ${lang} customer the centre would accept`);
}

/** The newest invitation link the relay received for an address. */
export async function invitationLink(email: string): Promise<string> {
  let link = '';
  await expect
    .poll(
      () => {
        const mail = relayed()
          .filter((m) => m.to.includes(email) && /#\/invitation\//.test(m.text))
          .at(-1);
        link = /(http\S+#\/invitation\/[A-Za-z0-9_-]{43})/.exec(mail?.text ?? '')?.[1] ?? '';
        return link;
      },
      { timeout: 20_000 },
    )
    .not.toBe('');
  return link;
}

/** The lead invites the contact to the centre; the link from the relayed mail. */
export async function invite(contactId: string, email: string): Promise<string> {
  const server = e2eServer();
  const before = relayed().filter((m) => m.to.includes(email) && /#\/invitation\//.test(m.text)).length;
  const invited = await request(server.url, 'POST', ROUTES.centreInvitations, { token: server.admin.token, json: { contactId } });
  expect(invited.status, invited.text).toBe(200);
  await expect.poll(() => relayed().filter((m) => m.to.includes(email) && /#\/invitation\//.test(m.text)).length, { timeout: 20_000 }).toBeGreaterThan(before);
  return invitationLink(email);
}

/** A customer's own browser, phone-sized, in the language and time zone of the customer's country. */
export async function customerPage(browser: Browser, lang: 'sv' | 'fi'): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: PHONE, locale: lang === 'fi' ? 'fi-FI' : 'sv-SE', timezoneId: lang === 'fi' ? 'Europe/Helsinki' : 'Europe/Stockholm' });
  return { page: await context.newPage(), close: () => context.close() };
}

/** Sets the password from an invitation link: the SuperUser lands on the list of cases. */
export async function setPasswordFromLink(page: Page, link: string, lang: 'sv' | 'fi'): Promise<void> {
  const w = SET_PASSWORD_WORDS[lang];
  await page.goto(link);
  await page.getByLabel(w.setPassword).fill(CENTRE_PASSWORD);
  await page.getByLabel(w.confirm).fill(CENTRE_PASSWORD);
  await page.getByRole('button', { name: w.save }).click();
  await expect(page.getByRole('heading', { level: 1, name: w.heading })).toBeVisible();
}

/** A SuperUser of the seed, invited and signed in to the centre in a browser of their own. */
export async function signedInSuperUser(browser: Browser, lang: 'sv' | 'fi', avoidCustomers: readonly string[]): Promise<PickedSuperUser & { page: Page; close: () => Promise<void> }> {
  const picked = await pickSuperUser(lang, avoidCustomers);
  const link = await invite(picked.contact.id, picked.contact.email);
  const { page, close } = await customerPage(browser, lang);
  await setPasswordFromLink(page, link, lang);
  return { ...picked, page, close };
}
