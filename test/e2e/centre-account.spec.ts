/**
 * The customer centre's account page and live refresh, in Swedish and in Finnish, on a phone
 * screen and a desk: a SuperUser (invited through the lead's API, password set from the relayed
 * link) has the open case on screen when a specialist replies, and the reply appears without
 * navigation; the account page shows the details, the sessions (this device marked, another
 * browser named in words) and ends the other one; a wrong current password is refused at its
 * field, the right one changes the password. Every state checked with axe and photographed.
 */
import type { Page } from '@playwright/test';
import { entitlement, ROUTES, teamOfIndustry, type Contact, type Customer, type ModuleId } from '../../shared/index';
import { CentreSessionSchema } from '../../shared/centre';
import { api, login, request } from '../support/http';
import { Desk } from '../support/cases';
import { expectAccessible } from './a11y';
import { e2eServer, relayed, ServerApi } from './env';
import { expect, test } from './fixtures';

const PHONE = { width: 390, height: 844 };
const DESK = { width: 1280, height: 900 };
const PASSWORD = 'hjortron under midnattssolen 48';
const NEW_PASSWORD = 'sininen pöllö lentää yli järven 12';
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';

const WORDS = {
  sv: { setPassword: 'Nytt lösenord', confirm: 'Upprepa lösenordet', save: 'Spara lösenord och logga in', cases: 'Ärenden', account: 'Mitt konto', thisDevice: 'Den här enheten', other: 'Firefox på Windows', end: 'Avsluta inloggningen Firefox på Windows', ended: 'Inloggningen är avslutad.', current: 'Nuvarande lösenord', new: 'Nytt lösenord', repeat: 'Upprepa det nya lösenordet', change: 'Byt lösenord', wrong: 'Det nuvarande lösenordet är fel.', done: 'Lösenordet är bytt.' },
  fi: { setPassword: 'Uusi salasana', confirm: 'Toista salasana', save: 'Tallenna salasana ja kirjaudu', cases: 'Asiat', account: 'Oma tili', thisDevice: 'Tämä laite', other: 'Firefox, Windows', end: 'Päätä kirjautuminen Firefox, Windows', ended: 'Kirjautuminen on päätetty.', current: 'Nykyinen salasana', new: 'Uusi salasana', repeat: 'Toista uusi salasana', change: 'Vaihda salasana', wrong: 'Nykyinen salasana on väärä.', done: 'Salasana on vaihdettu.' },
} as const;

async function shoot(page: Page, lang: string, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screenshots/${lang}-${name}.png`, fullPage: true });
}

/** The LAST SuperUser the centre would accept in this language (centre.spec takes the first): a paying customer, trained on a licensed module. */
async function pickSuperUser(lang: 'sv' | 'fi'): Promise<{ contact: Contact & { email: string }; customer: Customer; module: ModuleId }> {
  const server = e2eServer();
  const snapshot = await (await ServerApi.login(server.leadEmail)).snapshot();
  const customers = new Map(snapshot.customers.map((c) => [c.id, c]));
  let found: { contact: Contact & { email: string }; customer: Customer; module: ModuleId } | null = null;
  for (const contact of snapshot.contacts) {
    const customer = customers.get(contact.customerId);
    if (!customer || contact.email === null || contact.anonymisedAt !== null || customer.language !== lang || customer.paymentStatus !== 'ok') continue;
    const colleagues = snapshot.contacts.filter((c) => c.customerId === customer.id);
    const module = customer.licensedModules.find((m) => contact.trainedModules.includes(m));
    if (module && entitlement(customer, contact, module, colleagues).entitled) found = { contact: { ...contact, email: contact.email }, customer, module };
  }
  if (!found) throw new Error(`no SuperUser of a ${lang} customer the centre would accept`);
  return found;
}

async function invitationLink(email: string): Promise<string> {
  let link = '';
  await expect
    .poll(
      () => {
        const mail = relayed().find((m) => m.to.includes(email) && /#\/invitation\//.test(m.text));
        link = /(http\S+#\/invitation\/[A-Za-z0-9_-]{43})/.exec(mail?.text ?? '')?.[1] ?? '';
        return link;
      },
      { timeout: 20_000 },
    )
    .not.toBe('');
  return link;
}

for (const lang of ['sv', 'fi'] as const) {
  test(`a SuperUser sees a specialist's reply arrive on the open case, and manages the account: sessions and password (${lang})`, async ({ browser, server }) => {
    test.setTimeout(180_000);
    const w = WORDS[lang];
    const { contact, customer, module } = await pickSuperUser(lang);
    const invited = await request(server.url, 'POST', ROUTES.centreInvitations, { token: server.admin.token, json: { contactId: contact.id } });
    expect(invited.status, invited.text).toBe(200);
    const link = await invitationLink(contact.email);

    const context = await browser.newContext({ viewport: PHONE, locale: lang === 'fi' ? 'fi-FI' : 'sv-SE', timezoneId: lang === 'fi' ? 'Europe/Helsinki' : 'Europe/Stockholm' });
    const page = await context.newPage();
    try {
      await page.goto(link);
      await page.getByLabel(w.setPassword).fill(PASSWORD);
      await page.getByLabel(w.confirm).fill(PASSWORD);
      await page.getByRole('button', { name: w.save }).click();
      await expect(page.getByRole('heading', { level: 1, name: w.cases })).toBeVisible();

      // Another session, from "another browser": it registers a case the page then opens.
      const other = await request(server.url, 'POST', ROUTES.centreLogin, { json: { email: contact.email, password: PASSWORD }, headers: { 'user-agent': FIREFOX } });
      expect(other.status, other.text).toBe(200);
      const otherToken = CentreSessionSchema.parse(other.body).token;
      const title = `${lang === 'fi' ? 'Palkkalaskelma puuttuu' : 'Lönebeskedet saknas'} ${Date.now().toString(36)}`;
      const registered = await request<{ case: { id: string } }>(server.url, 'POST', ROUTES.centreCases, {
        token: otherToken,
        json: { module, category: 'support', serviceLevel: null, title, description: lang === 'fi' ? 'Kesäkuun laskelma ei näy.' : 'Junis lönebesked syns inte.' },
      });
      expect(registered.status, registered.text).toBe(201);
      const caseId = registered.body.case.id;

      // The case list shows the new case without navigation (the live notice refreshed it).
      await expect(page.getByRole('link', { name: new RegExp(title) })).toBeVisible();
      await page.getByRole('link', { name: new RegExp(title) }).click();
      await expect(page.getByRole('heading', { level: 1, name: new RegExp(title) })).toBeVisible();

      // A specialist replies on the desk: the open case shows it without navigation or reload.
      const reply = lang === 'fi' ? `Hei! Laskelma löytyy nyt arkistosta ${Date.now().toString(36)}.` : `Hej! Beskedet finns nu i arkivet ${Date.now().toString(36)}.`;
      const specialistEmail = (teamOfIndustry(customer.industry) === 1 ? server.team1 : server.team2).at(-1) ?? '';
      const specialist = new Desk(api(server, await login(server.url, specialistEmail, server.password)));
      const navigations: string[] = [];
      page.on('framenavigated', (frame) => navigations.push(frame.url()));
      const pushed = await specialist.push(specialist.mutation('sendReply', { caseId, eventId: crypto.randomUUID(), text: reply }));
      expect(pushed.results.map((r) => r.status)).toEqual(['applied']);
      await expect(page.getByText(reply)).toBeVisible();
      expect(navigations).toEqual([]);

      // The account page, from the header's menu.
      await page.getByRole('link', { name: w.account }).click();
      await expect(page.getByRole('heading', { level: 1, name: w.account })).toBeVisible();
      await expect(page.getByText(contact.email, { exact: true })).toBeVisible();
      await expect(page.getByText(w.thisDevice)).toBeVisible();
      await expect(page.getByText(w.other)).toBeVisible();
      await expectAccessible(page, 'centre-account');
      await shoot(page, lang, 'centre-account-phone');
      await page.setViewportSize(DESK);
      await expectAccessible(page, 'centre-account-desk');
      await shoot(page, lang, 'centre-account-desk');
      await page.setViewportSize(PHONE);

      // End the other browser's session: its token stops working, this page goes on.
      await page.getByRole('button', { name: new RegExp(`^${w.end}`) }).click();
      await expect(page.getByRole('status').filter({ hasText: w.ended })).toBeVisible();
      await expect(page.getByText(w.other)).toHaveCount(0);
      expect((await request(server.url, 'GET', ROUTES.centreMe, { token: otherToken })).status).toBe(401);

      // A wrong current password is refused at its field; the right one changes it.
      await page.getByLabel(w.current).fill('inte det här lösenordet');
      await page.getByLabel(w.new, { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel(w.repeat).fill(NEW_PASSWORD);
      await page.getByRole('button', { name: w.change }).click();
      await expect(page.getByLabel(w.current)).toHaveAttribute('aria-invalid', 'true');
      await expect(page.getByText(w.wrong)).toBeVisible();
      await expectAccessible(page, 'centre-account-error');
      await shoot(page, lang, 'centre-account-error-phone');
      await page.getByLabel(w.current).fill(PASSWORD);
      await page.getByRole('button', { name: w.change }).click();
      await expect(page.getByRole('status').filter({ hasText: w.done })).toBeVisible();
      expect((await request(server.url, 'POST', ROUTES.centreLogin, { json: { email: contact.email, password: NEW_PASSWORD } })).status).toBe(200);
      await shoot(page, lang, 'centre-account-changed-phone');
    } finally {
      await context.close();
    }
  });
}
