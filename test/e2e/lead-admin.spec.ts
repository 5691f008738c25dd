/**
 * The lead's accounts, GDPR and audit screens, in Swedish and Finnish, each checked with axe and
 * photographed (test-results/screenshots/): a lead creates an account (refusals at their fields)
 * and resets it with a one-time code that then logs in; finds a person and exports them as a ZIP;
 * and anonymises a contact, after which neither the lead's desk nor a colleague's shows the
 * person's name in the case, the lookup or the customer history.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { BootstrapPageSchema, ROUTES, type Case, type Contact } from '../../shared/index';
import { api, request } from '../support/http';
import { enrolTwoFactor, nextCode } from '../support/two-factor';
import { e2eServer } from './env';
import { E2E_MAIL_FILE, type MailFixtures } from './mailSeed';
import { expect, otherDesk, test } from './fixtures';
import { expectAccessible } from './a11y';
import { CasePage } from './pages/CasePage';
import { DeskPage } from './pages/DeskPage';
import { LoginPage } from './pages/LoginPage';

test.describe.configure({ timeout: 240_000 });

const DIR = 'test-results/screenshots';

/** A lead of the test's own, with two-factor on, logged in on `page` with a code. */
async function leadLogsIn(page: Page, lang: 'sv' | 'fi'): Promise<{ id: string; email: string; name: string }> {
  const s = e2eServer();
  const email = `lead-admin-${randomUUID().slice(0, 8)}@softone.${lang === 'fi' ? 'fi' : 'se'}`;
  const password = `Revontuli-${randomUUID().slice(0, 6)}-Norrsken`;
  const name = lang === 'fi' ? `Ville Vetäjä ${randomUUID().slice(0, 4)}` : `Lena Ledare ${randomUUID().slice(0, 4)}`;
  const created = await request<{ specialist: { id: string } }>(s.url, 'POST', ROUTES.specialists, {
    token: s.admin.token,
    json: { email, name, role: 'lead', teams: [1, 2], office: lang === 'fi' ? 'FI' : 'SE', language: lang, password },
  });
  if (created.status !== 201) throw new Error(`create ${email}: ${created.status} ${created.text}`);
  const first = await request<{ token: string }>(s.url, 'POST', ROUTES.login, { json: { email, password } });
  const { secret } = await enrolTwoFactor(s.url, first.body.token, password);
  const login = new LoginPage(page);
  await login.goto(s.url);
  await login.language(lang);
  await login.submit(email, password);
  // A code is valid for its 30-second step and the one either side; on a busy machine the step
  // can pass while the password is being checked, so a refused code is followed by a fresh one, once.
  const step = page.getByTestId('login-code');
  for (let attempt = 0; ; attempt++) {
    await step.locator('input[name=code]').fill(await nextCode(secret));
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('queue').or(step.getByRole('alert'))).toBeVisible({ timeout: 30_000 });
    if (attempt > 0 || (await step.count()) === 0) break;
  }
  await new DeskPage(page).ready();
  return { id: created.body.specialist.id, email, name };
}

async function openSection(page: Page, id: 'accounts' | 'gdpr' | 'audit'): Promise<void> {
  if ((await page.getByTestId('lead-desk').count()) === 0) {
    await page.getByTestId('queue-count').click();
    await page.keyboard.press('g');
  }
  await expect(page.getByTestId('lead-desk')).toBeVisible();
  await page.getByTestId(`lead-tab-${id}`).click();
  await expect(page.getByTestId(`admin-${id}`)).toBeVisible();
}

test('a lead creates an account (refusals at their fields) and resets it with a one-time code, in Swedish', async ({ page }) => {
  const s = e2eServer();
  await leadLogsIn(page, 'sv');
  await openSection(page, 'accounts');
  await expect(page.getByTestId('account-row').first()).toBeVisible();
  await expectAccessible(page, 'sv-lead-accounts');
  await page.screenshot({ path: `${DIR}/sv-lead-accounts.png`, fullPage: true });

  await page.getByTestId('account-new').click();
  const form = page.getByTestId('account-form');
  const email = `ny-${randomUUID().slice(0, 8)}@softone.se`;
  // An address that has an account already: said at the e-mail field.
  await form.locator('input[name=email]').fill(s.admin.email);
  await form.locator('input[name=name]').fill('Nora Nyanställd');
  await form.locator('select[name=role]').selectOption('specialist');
  await form.locator('input[name=extension]').fill('4711');
  await form.locator('input[name=new-password]').fill('password1234');
  await form.locator('input[name=repeat-password]').fill('password1234');
  await form.getByTestId('account-save').click();
  await expect(form.locator('label', { has: page.locator('input[name=email]') }).getByRole('alert')).toHaveText('Finns redan.');
  // A common password: said at the password.
  await form.locator('input[name=email]').fill(email);
  await form.getByTestId('account-save').click();
  await expect(form.getByTestId('password-error')).toContainText('Lösenordet är för vanligt');
  await expectAccessible(page, 'sv-lead-account-form');
  await page.screenshot({ path: `${DIR}/sv-lead-account-form.png`, fullPage: true });
  const password = `Midsommar-${randomUUID().slice(0, 6)}-Stång`;
  await form.locator('input[name=new-password]').fill(password);
  await form.locator('input[name=repeat-password]').fill(password);
  await form.getByTestId('account-save').click();
  await expect(page.getByTestId('accounts-notice')).toContainText('Kontot för Nora Nyanställd är skapat');
  const row = page.locator(`[data-testid=account-row][data-email="${email}"]`);
  await expect(row).toContainText('4711');

  await row.getByTestId('account-reset').click();
  await page.getByTestId('reset-issue').click();
  const issued = page.getByTestId('reset-issued');
  await expect(issued).toContainText('Engångskod för Nora Nyanställd');
  await expect(issued).toContainText(email);
  const code = await page.getByTestId('reset-issued-code').innerText();
  await expectAccessible(page, 'sv-lead-account-reset');
  await page.screenshot({ path: `${DIR}/sv-lead-account-reset.png`, fullPage: true });
  // The first password no longer logs in; the code does, to a session that must choose a password.
  expect((await request(s.url, 'POST', ROUTES.login, { json: { email, password } })).status).toBe(401);
  const withCode = await request<{ account: { mustChangePassword?: boolean } }>(s.url, 'POST', ROUTES.login, { json: { email, password: code } });
  expect(withCode.status).toBe(200);

  await openSection(page, 'audit');
  const rows = page.getByTestId('audit-row');
  await expect(rows.filter({ hasText: 'Engångskod för lösenord skapad' }).first()).toContainText('Nora Nyanställd');
  await expect(page.locator('[data-testid=audit-row][data-action=account_create]').first()).toContainText('Nora Nyanställd');
  await page.getByTestId('audit-action').selectOption('account_create');
  await expect(rows.first()).toHaveAttribute('data-action', 'account_create');
  await expectAccessible(page, 'sv-lead-audit');
  await page.screenshot({ path: `${DIR}/sv-lead-audit.png`, fullPage: true });
});

/** A contact of Team 1 with two or more cases none of the other specs works on, given a name of the test's own. */
async function personOfOwn(): Promise<{ contact: Contact; cases: Case[]; name: string }> {
  const s = e2eServer();
  const lead = api(s, s.admin.token);
  const page = BootstrapPageSchema.parse((await lead.get(`${ROUTES.bootstrap}?teams=1&limit=10000`)).body);
  // The mail specs' cases and their contacts stay as seeded (they run later and read the sender).
  const mail = JSON.parse(readFileSync(E2E_MAIL_FILE, 'utf8')) as MailFixtures;
  const fixtureNumbers = new Set<number>([...s.fixtures.newSupportTeam1, s.fixtures.orderAwaitingBilling, s.fixtures.bugTeam1, mail.thread, mail.replySv, mail.replyFi]);
  const avoidCustomers = new Set([s.fixtures.customerTeam1]);
  for (const c of page.cases) if (fixtureNumbers.has(c.number)) avoidCustomers.add(c.customerId);
  const byContact = new Map<string, Case[]>();
  for (const c of page.cases) if (c.contactId !== null && c.team === 1 && !avoidCustomers.has(c.customerId)) byContact.set(c.contactId, [...(byContact.get(c.contactId) ?? []), c]);
  const contact = page.contacts.find(
    (c) => c.anonymisedAt === null && !c.superUser && c.phone !== null && c.phone !== s.fixtures.callerTeam1.phone && (byContact.get(c.id)?.length ?? 0) >= 2 && c.name !== s.fixtures.callerTeam1.contactName,
  );
  if (!contact) throw new Error('no contact to anonymise');
  const cases = (byContact.get(contact.id) ?? []).slice(0, 2);
  const name = `Elvira Provsson${randomUUID().replace(/\d|-/g, '').slice(0, 5)}`;
  expect((await lead.patch(ROUTES.gdprContact(contact.id), { name })).status).toBe(200);
  // Their name in both cases' titles: the customer history of one shows the other's.
  const clientId = randomUUID();
  const mutations = cases.map((c, i) => ({ clientId, mutationId: i + 1, name: 'editFields', args: { caseId: c.id, fields: { title: `Skrivaren krånglar för ${name}` } } }));
  const pushed = await lead.post(ROUTES.push, { mutations });
  expect(pushed.body.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied']);
  return { contact: { ...contact, name }, cases, name };
}

/** A contact with an address and a case of team 1, left as seeded (only read). */
async function someoneWithCases(): Promise<{ contact: Contact; cases: Case[] }> {
  const s = e2eServer();
  const page = BootstrapPageSchema.parse((await api(s, s.admin.token).get(`${ROUTES.bootstrap}?teams=1&limit=10000`)).body);
  const byContact = new Map<string, Case[]>();
  for (const c of page.cases) if (c.contactId !== null) byContact.set(c.contactId, [...(byContact.get(c.contactId) ?? []), c]);
  const contact = page.contacts.find((c) => c.anonymisedAt === null && c.email !== null && (byContact.get(c.id)?.length ?? 0) >= 1);
  if (!contact) throw new Error('no contact with an address and a case');
  return { contact, cases: byContact.get(contact.id) ?? [] };
}

async function showsPerson(page: Page, n: number, name: string, shown: boolean): Promise<void> {
  const desk = new DeskPage(page);
  const detail = new CasePage(page);
  await desk.typeNumber(String(n));
  await expect(page.getByTestId('lookup-hit')).toContainText(String(n));
  await page.keyboard.press('Enter');
  await detail.expectNumber(n);
  const card = page.getByTestId('contact-card');
  const history = page.getByTestId('case-history');
  if (shown) {
    await expect(card).toContainText(name);
    await expect(history).toContainText(name);
  } else {
    await expect(card).not.toContainText(name);
    await expect(card).toContainText(/Anonymiserad|Anonymisoitu/);
    await expect(history).not.toContainText(name);
    await expect(page.locator('body')).not.toContainText(name);
  }
  await detail.back();
  await page.keyboard.press('Control+k');
  await desk.lookupInput.fill(name);
  const found = page.getByTestId('lookup-contact').filter({ hasText: name });
  if (shown) await expect(found).toHaveCount(1);
  else {
    await expect(page.getByTestId('lookup-panel')).toBeVisible();
    await expect(found).toHaveCount(0);
    // Nothing listed names them (the panel repeats the query only to say nothing was found).
    await expect(page.getByTestId('lookup-panel').locator('[data-testid^="lookup-"]').filter({ hasText: name })).toHaveCount(0);
  }
  await page.keyboard.press('Escape');
}

test('a lead finds a person, exports them as a ZIP and anonymises them: every desk stops showing them, in Finnish', async ({ page, browser }) => {
  const s = e2eServer();
  const person = await personOfOwn();
  const n = person.cases[0]?.number as number;
  await leadLogsIn(page, 'fi');
  const colleague = await otherDesk(browser, s.team1[s.team1.length - 1] as string, 'sv');
  try {
    await showsPerson(page, n, person.name, true);
    await showsPerson(colleague.page, n, person.name, true);

    await openSection(page, 'gdpr');
    await expectAccessible(page, 'fi-lead-gdpr-search');
    await page.getByTestId('gdpr-q').fill(person.name);
    await page.getByTestId('gdpr-search').click();
    await page.getByTestId('gdpr-contact').filter({ hasText: person.name }).click();
    const shown = page.getByTestId('gdpr-person');
    await expect(shown).toContainText(person.name);
    await expect(page.getByTestId('gdpr-counts')).toContainText(/Tallennettu: \d+ asiaa/);

    const download = page.waitForEvent('download');
    await page.getByTestId('gdpr-export').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`contact-${person.contact.id}.zip`);
    const zip = unzipSync(new Uint8Array(readFileSync(await file.path())));
    const json = JSON.parse(strFromU8(zip[`contact-${person.contact.id}.json`] as Uint8Array)) as { contact: Contact; cases: Case[] };
    expect(json.contact.name).toBe(person.name);
    expect(json.cases.map((c) => c.id)).toEqual(expect.arrayContaining(person.cases.map((c) => c.id)));

    await page.getByTestId('gdpr-access-log').click();
    await expect(page.getByTestId('gdpr-log')).toContainText('GDPR-vienti');
    await expectAccessible(page, 'fi-lead-gdpr-person');
    await page.screenshot({ path: `${DIR}/fi-lead-gdpr-person.png`, fullPage: true });

    await page.getByTestId('gdpr-anonymise').click();
    const dialog = page.getByTestId('anonymise-dialog');
    await expect(dialog).toContainText(`Anonymisoidaanko ${person.name}?`);
    await expect(page.getByTestId('anonymise-goes')).toContainText('nimi');
    await expect(page.getByTestId('anonymise-confirm')).toBeDisabled();
    await expectAccessible(page, 'fi-lead-gdpr-anonymise');
    await page.screenshot({ path: `${DIR}/fi-lead-gdpr-anonymise.png` });
    await page.getByTestId('anonymise-name').fill(person.name);
    await page.getByTestId('anonymise-confirm').click();
    await expect(dialog).toHaveCount(0);
    await expect(shown).not.toContainText(person.name);
    await page.getByTestId('lead-desk').getByRole('button', { name: 'Takaisin jonoon' }).click();

    await showsPerson(page, n, person.name, false);
    await showsPerson(colleague.page, n, person.name, false);
  } finally {
    await colleague.close();
  }
});

test('the accounts, GDPR and audit screens in Finnish and Swedish', async ({ page, browser }) => {
  await leadLogsIn(page, 'fi');
  for (const id of ['accounts', 'gdpr', 'audit'] as const) {
    await openSection(page, id);
    if (id === 'audit') await expect(page.getByTestId('audit-row').first()).toBeVisible();
    if (id === 'accounts') await expect(page.getByTestId('account-row').first()).toBeVisible();
    await expectAccessible(page, `fi-lead-${id}`);
    await page.screenshot({ path: `${DIR}/fi-lead-${id}.png`, fullPage: true });
  }
  const context = await browser.newContext();
  try {
    const sv = await context.newPage();
    await leadLogsIn(sv, 'sv');
    await openSection(sv, 'gdpr');
    await expectAccessible(sv, 'sv-lead-gdpr');
    await sv.screenshot({ path: `${DIR}/sv-lead-gdpr.png`, fullPage: true });
    // A person's case opens from their GDPR view on the desk, as a lookup would.
    const person = await someoneWithCases();
    const first = person.cases[0] as Case;
    await sv.getByTestId('gdpr-q').fill(person.contact.email ?? '');
    await sv.getByTestId('gdpr-search').click();
    await sv.getByTestId('gdpr-contact').filter({ hasText: person.contact.name }).first().click();
    await sv.getByTestId('gdpr-person').locator('summary').filter({ hasText: /ärende/ }).first().click();
    await sv.getByTestId('gdpr-case').filter({ hasText: `#${first.number}` }).click();
    await new CasePage(sv).expectNumber(first.number);
  } finally {
    await context.close();
  }
});
