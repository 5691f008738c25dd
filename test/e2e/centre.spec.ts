/**
 * The digital customer centre end to end, in Swedish and in Finnish: a lead invites a SuperUser,
 * the invitation's link (from the mail the SMTP relay received) sets a password on a phone-sized
 * screen, the SuperUser registers a bug, the right team's desk (open before) shows it in its
 * queue, the specialist's public reply appears in the centre and the internal note does not; the
 * customer answers from the reply box. Every screen checked with axe and photographed at phone
 * (390×844) and desk width.
 */
import type { Browser, Page } from '@playwright/test';
import { CATEGORY_LABELS, entitlement, MODULE_LABELS, ROUTES, teamOfIndustry, type Contact, type Customer, type ModuleId } from '../../shared/index';
import { api, login, request } from '../support/http';
import { Desk } from '../support/cases';
import { expectAccessible } from './a11y';
import { e2eServer, relayed, ServerApi } from './env';
import { expect, otherDesk, test } from './fixtures';

const PHONE = { width: 390, height: 844 };
const DESK = { width: 1280, height: 900 };
const PASSWORD = 'blåbärssoppa vid femte milen 2026';

const WORDS = {
  sv: { heading: 'Ärenden', newCase: 'Registrera ärende', setPassword: 'Nytt lösenord', confirm: 'Upprepa lösenordet', save: 'Spara lösenord och logga in', module: 'Modul', title: 'Rubrik', description: 'Beskrivning', level2: 'Servicenivå 2', submit: 'Registrera ärendet', reply: 'Ditt svar', send: 'Skicka svar', sent: 'Ditt svar är skickat.', open: 'Visa ärendet' },
  fi: { heading: 'Asiat', newCase: 'Kirjaa asia', setPassword: 'Uusi salasana', confirm: 'Toista salasana', save: 'Tallenna salasana ja kirjaudu', module: 'Moduuli', title: 'Otsikko', description: 'Kuvaus', level2: 'Palvelutaso 2', submit: 'Kirjaa asia', reply: 'Vastauksesi', send: 'Lähetä vastaus', sent: 'Vastauksesi on lähetetty.', open: 'Näytä asia' },
} as const;

async function shoot(page: Page, lang: string, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screenshots/${lang}-${name}.png`, fullPage: true });
}

/** A SuperUser the centre will accept: of a customer in this language, paying, trained on a licensed module, within the quota. */
async function pickSuperUser(lang: 'sv' | 'fi', avoid: readonly string[]): Promise<{ contact: Contact & { email: string }; customer: Customer; module: ModuleId }> {
  const server = e2eServer();
  const snapshot = await (await ServerApi.login(server.leadEmail)).snapshot();
  const customers = new Map(snapshot.customers.map((c) => [c.id, c]));
  for (const contact of snapshot.contacts) {
    const customer = customers.get(contact.customerId);
    if (!customer || contact.email === null || contact.anonymisedAt !== null || customer.language !== lang || customer.paymentStatus !== 'ok') continue;
    if (avoid.includes(customer.name)) continue;
    const colleagues = snapshot.contacts.filter((c) => c.customerId === customer.id);
    const module = customer.licensedModules.find((m) => contact.trainedModules.includes(m));
    if (module && entitlement(customer, contact, module, colleagues).entitled) return { contact: { ...contact, email: contact.email }, customer, module };
  }
  throw new Error(`no SuperUser of a ${lang} customer the centre would accept`);
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

async function customerPage(browser: Browser, lang: 'sv' | 'fi'): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: PHONE, locale: lang === 'fi' ? 'fi-FI' : 'sv-SE', timezoneId: lang === 'fi' ? 'Europe/Helsinki' : 'Europe/Stockholm' });
  return { page: await context.newPage(), close: () => context.close() };
}

for (const lang of ['sv', 'fi'] as const) {
  test(`a SuperUser invited by a lead registers a case in the customer centre, which the team's desk shows at once (${lang})`, async ({ browser, server }) => {
    test.setTimeout(180_000);
    const w = WORDS[lang];
    const { contact, customer, module } = await pickSuperUser(lang, [server.fixtures.customerTeam1, server.fixtures.callerTeam1.customerName]);
    const team = teamOfIndustry(customer.industry);
    const specialistEmail = (team === 1 ? server.team1 : server.team2).at(-1) ?? '';

    // The lead's invitation, mailed through the outgoing queue to the relay.
    const invited = await request(server.url, 'POST', ROUTES.centreInvitations, { token: server.admin.token, json: { contactId: contact.id } });
    expect(invited.status, invited.text).toBe(200);
    const link = await invitationLink(contact.email);

    const { page, close } = await customerPage(browser, lang);
    const desk = await otherDesk(browser, specialistEmail, lang);
    try {
      await page.goto(link);
      await expect(page.getByLabel(w.setPassword)).toBeVisible();
      await expectAccessible(page, 'centre-set-password');
      await shoot(page, lang, 'centre-set-password-phone');
      await page.getByLabel(w.setPassword).fill(PASSWORD);
      await page.getByLabel(w.confirm).fill(PASSWORD);
      await page.getByRole('button', { name: w.save }).click();
      await expect(page.getByRole('heading', { level: 1, name: w.heading })).toBeVisible();
      await expectAccessible(page, 'centre-cases');
      await shoot(page, lang, 'centre-cases-phone');

      // Register a bug at service level 2.
      await page.getByRole('link', { name: w.newCase }).click();
      await expect(page.getByRole('heading', { level: 1, name: w.newCase })).toBeVisible();
      const title = `${lang === 'fi' ? 'Raportti ei tulostu' : 'Rapporten skrivs inte ut'} ${Date.now().toString(36)}`;
      await page.getByLabel(w.module).selectOption({ label: MODULE_LABELS[module][lang] });
      await page.getByRole('radio', { name: CATEGORY_LABELS.bug[lang] }).check();
      await page.getByRole('radio', { name: w.level2 }).check();
      await expectAccessible(page, 'centre-new-case');
      await shoot(page, lang, 'centre-new-case-phone');
      // An empty title is refused on the field, in the customer's language, before anything is sent.
      await page.getByRole('button', { name: w.submit }).click();
      await expect(page.getByLabel(w.title)).toHaveAttribute('aria-invalid', 'true');
      await page.getByLabel(w.title).fill(title);
      await page.getByLabel(w.description).fill(lang === 'fi' ? 'Tulostus pysähtyy virheeseen.' : 'Utskriften stannar med ett fel.');
      await page.getByRole('button', { name: w.submit }).click();
      const done = page.getByRole('status');
      await expect(done).toContainText(/\d+/);
      const number = Number(await page.locator('.big-number').innerText());
      expect(number).toBeGreaterThan(0);
      await shoot(page, lang, 'centre-registered-phone');

      // The right team's desk, open all along, shows it in its queue (newest number first).
      await desk.page.getByTestId('sort-number').click();
      await desk.page.getByTestId('sort-number').click();
      await expect(desk.page.locator(`[data-testid="queue-row"][data-number="${number}"]`)).toBeVisible();
      const stored = await (await ServerApi.login(specialistEmail)).caseByNumber(number);
      expect(stored).toMatchObject({ channel: 'portal', team, customerId: customer.id, contactId: contact.id, category: 'bug', serviceLevel: 2, title });

      // The specialist answers the customer and writes an internal note.
      const reply = lang === 'fi' ? 'Hei! Tarkista tulostimen asetukset.' : 'Hej! Kontrollera skrivarinställningarna.';
      const note = `INTERN ${Date.now().toString(36)}: kunden har gammal drivrutin`;
      const specialist = new Desk(api(server, await login(server.url, specialistEmail, server.password)));
      const pushed = await specialist.push(
        specialist.mutation('addNote', { caseId: stored.id, eventId: crypto.randomUUID(), text: note }),
        specialist.mutation('sendReply', { caseId: stored.id, eventId: crypto.randomUUID(), text: reply }),
      );
      expect(pushed.results.map((r) => r.status)).toEqual(['applied', 'applied']);

      await page.getByRole('link', { name: w.open }).click();
      await expect(page.getByText(reply)).toBeVisible();
      await expect(page.getByText(note)).toHaveCount(0);
      await expectAccessible(page, 'centre-case');
      await shoot(page, lang, 'centre-case-phone');

      // The customer answers from the reply box: the case gets it like a mail.
      const answer = lang === 'fi' ? 'Kiitos, nyt toimii!' : 'Tack, nu fungerar det!';
      await page.getByLabel(w.reply).fill(answer);
      await page.getByRole('button', { name: w.send }).click();
      await expect(page.getByText(w.sent)).toBeVisible();
      await expect(page.locator('.mail-in').getByText(answer)).toBeVisible();
      await expect.poll(async () => (await (await ServerApi.login(specialistEmail)).events(number)).some((e) => e.kind === 'mail' && e.text === answer)).toBe(true);

      // The same screens at desk width.
      await page.setViewportSize(DESK);
      await shoot(page, lang, 'centre-case-desk');
      await page.getByRole('link', { name: lang === 'fi' ? 'Omat asiat' : 'Mina ärenden' }).click();
      await expect(page.getByRole('link', { name: new RegExp(title) })).toBeVisible();
      await expectAccessible(page, 'centre-cases-desk');
      await shoot(page, lang, 'centre-cases-desk');
    } finally {
      await desk.close();
      await close();
    }
  });
}
