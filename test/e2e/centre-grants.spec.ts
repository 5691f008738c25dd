/**
 * The centre's support login end to end, in Swedish and in Finnish: a SuperUser (invited by a
 * lead, password set from the mail's link) grants SoftOne's support a login in the centre; the
 * end shown before granting and after it is the shared rule's (grantExpiry); a specialist's desk,
 * open all along on a case of that company, shows the active grant at once; the SuperUser ends it
 * after a confirmation and the desk shows it ended. On a (browser-clock) Swedish Friday the form
 * offers 24 or 72 hours. Every state checked with axe and photographed at phone and desk width.
 */
import type { Browser, Page } from '@playwright/test';
import { grantExpiry, isGrantActive, ROUTES, teamOfIndustry, type Case, type Contact, type Customer } from '../../shared/index';
import { request } from '../support/http';
import { expectAccessible } from './a11y';
import { e2eServer, relayed, ServerApi } from './env';
import { expect, otherDesk, test } from './fixtures';
import { CasePage } from './pages/CasePage';

const PHONE = { width: 390, height: 844 };
const DESK = { width: 1280, height: 900 };
const PASSWORD = 'hjortronsylt på tredje milen 2026';

const WORDS = {
  sv: { nav: 'Supportinloggning', setPassword: 'Nytt lösenord', confirm: 'Upprepa lösenordet', save: 'Spara lösenord och logga in', give: 'Ge supportinloggning', end: 'Avbryt nu', yes: 'Ja, avbryt', keep: 'Nej, låt den gälla', none: 'Ingen supportinloggning gäller just nu.', ended: 'Supportinloggningen är avbruten.', rule: '8 arbetstimmar', hours: 'Antal timmar', h72: '72 timmar' },
  fi: { nav: 'Tukikirjautuminen', setPassword: 'Uusi salasana', confirm: 'Toista salasana', save: 'Tallenna salasana ja kirjaudu', give: 'Myönnä tukikirjautuminen', end: 'Päätä nyt', yes: 'Kyllä, päätä', keep: 'Ei, pidä voimassa', none: 'Tukikirjautumista ei ole nyt voimassa.', ended: 'Tukikirjautuminen on päätetty.', rule: '8 työtuntia', hours: 'Tuntimäärä', h72: '72 tuntia' },
} as const;

async function shoot(page: Page, lang: string, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screenshots/${lang}-${name}.png`, fullPage: true });
}

/**
 * A SuperUser the centre accepts, of a customer in this language with a case on the desks and no
 * grant in force; picked from the end of the list, away from the other centre specs' picks.
 */
const picked = new Set<string>();
async function pickSuperUser(lang: 'sv' | 'fi'): Promise<{ contact: Contact & { email: string }; customer: Customer; kase: Case }> {
  const server = e2eServer();
  const snapshot = await (await ServerApi.login(server.leadEmail)).snapshot();
  const customers = new Map(snapshot.customers.map((c) => [c.id, c]));
  const now = new Date();
  const avoid = new Set([server.fixtures.customerTeam1, server.fixtures.callerTeam1.customerName, ...picked]);
  for (const contact of [...snapshot.contacts].reverse()) {
    const customer = customers.get(contact.customerId);
    if (!customer || !contact.superUser || contact.email === null || contact.anonymisedAt !== null || customer.language !== lang || avoid.has(customer.name)) continue;
    if (snapshot.grants.some((g) => g.customerId === customer.id && (isGrantActive(g, now) || Date.parse(g.grantedAt) > now.getTime()))) continue;
    const kase = snapshot.cases.find((c) => c.customerId === customer.id && c.status !== 'closed');
    if (!kase) continue;
    picked.add(customer.name);
    return { contact: { ...contact, email: contact.email }, customer, kase };
  }
  throw new Error(`no SuperUser of a ${lang} customer with an open case`);
}

/** Invites the contact as the lead and returns the link of the invitation mail this sent (not an earlier one). */
async function invite(contact: Contact & { email: string }): Promise<string> {
  const server = e2eServer();
  const links = (): string[] =>
    relayed()
      .filter((m) => m.to.includes(contact.email))
      .map((m) => /(http\S+#\/invitation\/[A-Za-z0-9_-]{43})/.exec(m.text)?.[1])
      .filter((l): l is string => l !== undefined);
  const before = links().length;
  const invited = await request(server.url, 'POST', ROUTES.centreInvitations, { token: server.admin.token, json: { contactId: contact.id } });
  expect(invited.status, invited.text).toBe(200);
  await expect.poll(() => links().length, { timeout: 20_000 }).toBeGreaterThan(before);
  return links().at(-1) ?? '';
}

async function customerPage(browser: Browser, lang: 'sv' | 'fi'): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: PHONE, locale: lang === 'fi' ? 'fi-FI' : 'sv-SE', timezoneId: lang === 'fi' ? 'Europe/Helsinki' : 'Europe/Stockholm' });
  return { page: await context.newPage(), close: () => context.close() };
}

for (const lang of ['sv', 'fi'] as const) {
  test(`a SuperUser grants a support login in the centre, the desk shows it at once, and ends it early (${lang})`, async ({ browser, server }) => {
    test.setTimeout(180_000);
    const w = WORDS[lang];
    const { contact, customer, kase } = await pickSuperUser(lang);
    const team = teamOfIndustry(customer.industry);
    const specialistEmail = (team === 1 ? server.team1 : server.team2)[0] ?? '';

    const link = await invite(contact);

    const { page, close } = await customerPage(browser, lang);
    const desk = await otherDesk(browser, specialistEmail, lang);
    try {
      // The specialist has a case of the company open: its customer panel shows no grant.
      await desk.desk.team('both');
      await desk.desk.lookup(String(kase.number));
      const detail = new CasePage(desk.page);
      await expect(detail.root).toBeVisible();
      const panel = desk.page.getByTestId('grant-panel');
      await expect(panel).toBeVisible();
      await expect(panel.getByTestId('grant-active')).toHaveCount(0);

      await page.goto(link);
      await page.getByLabel(w.setPassword).fill(PASSWORD);
      await page.getByLabel(w.confirm).fill(PASSWORD);
      await page.getByRole('button', { name: w.save }).click();
      await page.getByRole('link', { name: w.nav }).click();
      await expect(page.getByRole('heading', { level: 1, name: w.nav })).toBeVisible();
      await expect(page.getByTestId('centre-grant-active')).toContainText(w.none);

      // The form: Sweden's 8 working hours; Finland's hours, chosen. The end shown first is the shared rule's.
      const preview = page.getByTestId('centre-grant-preview');
      const finnish = customer.country === 'FI';
      const before = new Date();
      if (finnish) {
        await page.getByLabel(w.hours).fill('5');
        // A choice out of bounds is named on the field before anything is sent.
        await page.getByLabel(w.hours).fill('0');
        await expect(page.getByLabel(w.hours)).toHaveAttribute('aria-invalid', 'true');
        await expect(preview).not.toHaveAttribute('data-expires-at', /.+/);
        await page.getByLabel(w.hours).fill('5');
      } else if (new Intl.DateTimeFormat('en', { weekday: 'short', timeZone: 'Europe/Stockholm' }).format(before) !== 'Fri') {
        await expect(page.getByText(w.rule)).toBeVisible();
      }
      const expected = (at: Date): string => grantExpiry({ office: customer.country, kind: 'support', grantedAt: at, ...(finnish ? { durationHours: 5 } : {}) }).toISOString();
      const shown = await preview.getAttribute('data-expires-at');
      expect(shown).not.toBeNull();
      // The preview is of a moment within the last half minute (it reads the clock every 30 s).
      expect(Math.abs(Date.parse(shown ?? '') - Date.parse(expected(new Date())))).toBeLessThanOrEqual(31_000);
      await expectAccessible(page, `centre-grants-form-${lang}`);
      await shoot(page, lang, 'centre-grants-form-phone');

      await page.getByRole('button', { name: w.give }).last().click();
      const active = page.getByTestId('centre-grant-active').locator('[data-expires-at]');
      await expect(active).toBeVisible();
      const after = new Date();
      const expiresAt = (await active.getAttribute('data-expires-at')) ?? '';
      // The server's end, by the same rule, for a grant made between the click and its answer.
      const earliest = Date.parse(expected(before));
      const latest = Date.parse(expected(after));
      expect(Date.parse(expiresAt)).toBeGreaterThanOrEqual(earliest);
      expect(Date.parse(expiresAt)).toBeLessThanOrEqual(latest);
      await expect(page.getByRole('status')).toContainText(lang === 'fi' ? 'myönnetty' : 'given');
      await expectAccessible(page, `centre-grants-active-${lang}`);
      await shoot(page, lang, 'centre-grants-active-phone');
      await page.setViewportSize(DESK);
      await shoot(page, lang, 'centre-grants-active-desk');
      await page.setViewportSize(PHONE);

      // The desk, open all along, shows the company's grant at once (the server poked it).
      await expect(panel.getByTestId('grant-active')).toBeVisible();
      await expect(panel.getByTestId('grant-active')).toContainText(contact.name);

      // Ending it asks first; keeping it changes nothing.
      await page.getByRole('button', { name: w.end }).click();
      await expect(page.getByRole('button', { name: w.yes })).toBeFocused();
      await expectAccessible(page, `centre-grants-confirm-${lang}`);
      await shoot(page, lang, 'centre-grants-confirm-phone');
      await page.getByRole('button', { name: w.keep }).click();
      await expect(page.getByRole('button', { name: w.end })).toBeFocused();
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: w.yes }).press('Enter');
      await expect(page.getByRole('status')).toHaveText(w.ended);
      await expect(page.getByTestId('centre-grant-active')).toContainText(w.none);
      await expect(page.getByTestId('centre-grant-history').locator('li[data-state="revoked"]')).toHaveCount(1);
      await expectAccessible(page, `centre-grants-ended-${lang}`);
      await shoot(page, lang, 'centre-grants-ended-phone');
      await page.setViewportSize(DESK);
      await shoot(page, lang, 'centre-grants-ended-desk');

      // And the desk shows it ended.
      await expect(panel.getByTestId('grant-active')).toHaveCount(0);
    } finally {
      await desk.close();
      await close();
    }
  });
}

test('on a Swedish Friday the centre offers a support login of 24 or 72 hours, its end shown by the shared rule', async ({ browser }) => {
  test.setTimeout(120_000);
  const { contact } = await pickSuperUser('sv');
  const link = await invite(contact);
  const { page, close } = await customerPage(browser, 'sv');
  try {
    // The browser's clock on a Friday morning in Stockholm (the server keeps its own: nothing is granted here).
    const friday = new Date('2026-12-11T09:00:00.000Z');
    await page.clock.setFixedTime(friday);
    await page.goto(link);
    await page.getByLabel(WORDS.sv.setPassword).fill(PASSWORD);
    await page.getByLabel(WORDS.sv.confirm).fill(PASSWORD);
    await page.getByRole('button', { name: WORDS.sv.save }).click();
    await page.getByRole('link', { name: WORDS.sv.nav }).click();
    const preview = page.getByTestId('centre-grant-preview');
    await expect(page.getByRole('radio', { name: '24 timmar' })).toBeChecked();
    await expect(preview).toHaveAttribute('data-expires-at', grantExpiry({ office: 'SE', kind: 'support', grantedAt: friday }).toISOString());
    await page.getByRole('radio', { name: WORDS.sv.h72 }).check();
    await expect(preview).toHaveAttribute('data-expires-at', grantExpiry({ office: 'SE', kind: 'support', grantedAt: friday, fridayHours: 72 }).toISOString());
    expect(await preview.getAttribute('data-expires-at')).toBe('2026-12-14T09:00:00.000Z');
    await expectAccessible(page, 'centre-grants-friday');
    await shoot(page, 'sv', 'centre-grants-friday-phone');
  } finally {
    await close();
  }
});
