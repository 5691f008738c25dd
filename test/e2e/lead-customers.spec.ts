/**
 * The lead's customer register and import, in Swedish and Finnish, each screen checked with axe
 * and photographed (test-results/screenshots/): a lead imports a customer file (dry run first,
 * then for real), names the imported contact a SuperUser in the register, and a call from that
 * person then shows them as entitled on a specialist's desk; the SuperUser is invited to the
 * customer centre from their row and the invitation reaches the mail relay.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { ROUTES } from '../../shared/index';
import { request } from '../support/http';
import { enrolTwoFactor, nextCode } from '../support/two-factor';
import { e2eServer, relayed, ServerApi } from './env';
import { expect, otherDesk, test } from './fixtures';
import { expectAccessible } from './a11y';
import { DeskPage } from './pages/DeskPage';
import { LoginPage } from './pages/LoginPage';

test.describe.configure({ timeout: 240_000 });

const DIR = 'test-results/screenshots';

/** A lead of the test's own, with two-factor on, logged in on `page` with a code. */
async function leadLogsIn(page: Page, lang: 'sv' | 'fi'): Promise<void> {
  const s = e2eServer();
  const email = `lead-customers-${randomUUID().slice(0, 8)}@softone.${lang === 'fi' ? 'fi' : 'se'}`;
  const password = `Kundregister-${randomUUID().slice(0, 6)}-Asiakas`;
  const created = await request(s.url, 'POST', ROUTES.specialists, {
    token: s.admin.token,
    json: { email, name: lang === 'fi' ? 'Kaisa Kirjuri' : 'Karin Kundansvarig', role: 'lead', teams: [1, 2], office: lang === 'fi' ? 'FI' : 'SE', language: lang, password },
  });
  if (created.status !== 201) throw new Error(`create ${email}: ${created.status} ${created.text}`);
  const first = await request<{ token: string }>(s.url, 'POST', ROUTES.login, { json: { email, password } });
  const { secret } = await enrolTwoFactor(s.url, first.body.token, password);
  const login = new LoginPage(page);
  await login.goto(s.url);
  await login.language(lang);
  await login.submit(email, password);
  await page.getByTestId('login-code').locator('input[name=code]').fill(await nextCode(secret));
  await page.keyboard.press('Enter');
  await new DeskPage(page).ready();
}

async function openSection(page: Page, id: 'customers' | 'import'): Promise<void> {
  if ((await page.getByTestId('lead-desk').count()) === 0) {
    await page.getByTestId('queue-count').click();
    await page.keyboard.press('g');
  }
  await expect(page.getByTestId('lead-desk')).toBeVisible();
  await page.getByTestId(`lead-tab-${id}`).click();
  await expect(page.getByTestId(id === 'customers' ? 'customers-section' : 'import-section')).toBeVisible();
}

const CASES = [
  {
    lang: 'sv' as const,
    country: 'SE',
    org: () => `559${randomInt(100000, 999999)}-${randomInt(1000, 9999)}`,
    company: 'Importerade Byggare AB',
    person: 'Ida Importsson',
    phone: () => `070${randomInt(1000000, 9999999)}`,
    words: { create: 'skapas', imported: 'Importen är klar', entitled: 'Berättigad', invited: 'Inbjudan skickad till' },
  },
  {
    lang: 'fi' as const,
    country: 'FI',
    org: () => `${randomInt(1000000, 2999999)}-${randomInt(0, 9)}`,
    company: 'Tuodut Rakentajat Oy',
    person: 'Iida Tuonti',
    phone: () => `040${randomInt(1000000, 9999999)}`,
    words: { create: 'luodaan', imported: 'Tuonti on valmis', entitled: 'oikeutettu', invited: 'Kutsu lähetetty osoitteeseen' },
  },
];

for (const c of CASES) {
  test(`a lead imports a customer file, names a SuperUser, and a call from that person shows them entitled (${c.lang})`, async ({ page, browser, server }) => {
    const tag = randomUUID().slice(0, 6);
    const org = c.org();
    const company = `${c.company} ${tag}`;
    const person = `${c.person} ${tag}`;
    const phone = c.phone();
    const csv = [
      'org_number,name,country,industry,licensed_modules,payment_status,superuser_quota,contact_name,contact_email,contact_phone,superuser,trained_modules',
      `${org},${company},${c.country},construction,finance;payroll,ok,2,${person},ida.${tag}@import.example,${phone},nej,finance`,
      `${org},,,,,,,Rad Utan Nummer ${tag},,12,nej,`,
    ].join('\n');

    await leadLogsIn(page, c.lang);
    await openSection(page, 'import');
    await page.getByTestId('import-file').setInputFiles({ name: 'export.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-dry-run').click();
    const report = page.getByTestId('import-report');
    await expect(report).toHaveAttribute('data-dry-run', 'true');
    await expect(report.getByTestId('import-customer')).toContainText(`${company} (${org}): ${c.words.create}`);
    await expect(report.getByTestId('import-contact')).toContainText(person);
    // The bad row: its line and field.
    await expect(report.getByTestId('import-rejected').locator('tbody tr')).toHaveCount(1);
    await expect(report.getByTestId('import-rejected').locator('tbody td').first()).toHaveText('3');
    await expectAccessible(page, `${c.lang}-lead-import`);
    await page.screenshot({ path: `${DIR}/${c.lang}-lead-import.png`, fullPage: true });
    await page.getByTestId('import-apply').click();
    await expect(report).toHaveAttribute('data-dry-run', 'false');
    await expect(report.locator('h3')).toHaveText(c.words.imported);

    // The register (from this desk's cache, which the change feed has brought): name a SuperUser.
    await openSection(page, 'customers');
    await page.keyboard.press('Alt+f');
    await expect(page.getByTestId('customer-search')).toBeFocused();
    await page.keyboard.type(org);
    await page.getByTestId('customer-hit').filter({ hasText: company }).click();
    const row = page.getByTestId('contact-row').filter({ hasText: person });
    await expect(row).toBeVisible();
    await expect(page.getByTestId('superuser-quota')).toHaveAttribute('data-full', 'false');
    await row.getByTestId('superuser-toggle').click();
    await expect(row.getByTestId('superuser-toggle')).toBeChecked();
    // The SuperUser is invited to the customer centre from the row; the mail reaches the relay.
    const address = `ida.${tag}@import.example`;
    await row.getByTestId('contact-invite').focus();
    await page.keyboard.press('Enter');
    await expect(row.getByTestId('contact-invited')).toHaveText(`${c.words.invited} ${address}`);
    await expect
      .poll(() => relayed().find((m) => m.to.includes(address))?.text ?? '', { timeout: 30_000 })
      .toMatch(/#\/invitation\/[A-Za-z0-9_-]{43}/);
    await expectAccessible(page, `${c.lang}-lead-customers`);
    await page.screenshot({ path: `${DIR}/${c.lang}-lead-customers.png`, fullPage: true });

    // A specialist of team 1 gets the person's call: a named SuperUser now, entitled.
    const specialist = await otherDesk(browser, server.team1[0]!, c.lang);
    try {
      const api = await ServerApi.login(server.leadEmail);
      await api.cti({ event: 'newCall', from: phone.replace(/^0/, c.country === 'SE' ? '+46' : '+358'), to: '+46812345001', direction: 'in', callId: randomUUID(), queue: 'hantverk' });
      await expect(specialist.desk.callBanner).toBeVisible();
      await expect(specialist.page.getByTestId('call-contact')).toHaveText(person);
      await expect(specialist.page.getByTestId('entitlement')).toHaveAttribute('data-entitled', 'true');
      await specialist.page.keyboard.press('x');
    } finally {
      await specialist.close();
    }
  });
}
