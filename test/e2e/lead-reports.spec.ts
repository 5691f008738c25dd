/**
 * The lead's reports on screen, in Swedish and Finnish: a lead (with two-step verification) opens
 * the lead's desk (key g), the reports section, and each report: the chart (a canvas named by
 * its summary) and the table of the same numbers show; the CSV downloads with its header row.
 * Accessibility checked (axe) and screenshots in test-results/screenshots/.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ROUTES } from '../../shared/api';
import { REPORT_CSV_COLUMNS, REPORT_NAMES } from '../../shared/reports';
import { request } from '../support/http';
import { enrolTwoFactor, nextCode } from '../support/two-factor';
import { expectAccessible } from './a11y';
import { e2eServer } from './env';
import { expect, test } from './fixtures';
import { DeskPage } from './pages/DeskPage';
import { LoginPage } from './pages/LoginPage';

test.describe.configure({ timeout: 180_000 });

const DIR = 'test-results/screenshots';

const WORDS = {
  sv: { tab: 'Rapporter', heading: 'Rapporter', sla: 'SLA hållen', backlog: 'Öppna ärenden efter ålder', csv: 'Exportera CSV', chart: 'Stapeldiagram' },
  fi: { tab: 'Raportit', heading: 'Raportit', sla: 'SLA:n toteutuminen', backlog: 'Avoimet tukipyynnöt iän mukaan', csv: 'Vie CSV', chart: 'Pylväskaavio' },
} as const;

for (const lang of ['sv', 'fi'] as const) {
  test(`a lead opens each report as a chart and a table and downloads it as CSV (${lang})`, async ({ page }) => {
    const s = e2eServer();
    const words = WORDS[lang];
    const email = `reports-${randomUUID().slice(0, 8)}@softone.${lang === 'fi' ? 'fi' : 'se'}`;
    const password = `Rapport-${randomUUID().slice(0, 6)}-Fjäll`;
    const created = await request(s.url, 'POST', ROUTES.specialists, {
      token: s.admin.token,
      json: { email, name: lang === 'fi' ? 'Raportti Vetäjä' : 'Rapport Ledare', role: 'lead', teams: [1, 2], office: lang === 'fi' ? 'FI' : 'SE', language: lang, password },
    });
    expect(created.status, created.text).toBe(201);
    const first = await request<{ token: string }>(s.url, 'POST', ROUTES.login, { json: { email, password } });
    const { secret } = await enrolTwoFactor(s.url, first.body.token, password);

    const login = new LoginPage(page);
    await login.goto(s.url);
    await login.language(lang);
    await login.submit(email, password);
    await page.getByTestId('login-code').locator('input[name=code]').fill(await nextCode(secret));
    await page.keyboard.press('Enter');
    const desk = new DeskPage(page);
    await desk.ready();

    // The lead's desk by its key, then the reports' tab.
    await page.locator('body').press('g');
    await expect(page.getByTestId('lead-desk')).toBeVisible();
    await page.getByRole('tab', { name: words.tab }).click();
    const section = page.getByTestId('reports');
    await expect(section.getByRole('heading', { level: 2, name: words.heading })).toBeVisible();

    for (const name of REPORT_NAMES) {
      await section.getByTestId('report-name').selectOption(name);
      const table = section.getByTestId('report-table');
      await expect(table).toBeVisible({ timeout: 30_000 });
      await expect(table.locator('thead th').first()).toBeVisible();
      const chart = section.getByTestId('report-chart').locator('canvas');
      await expect(chart).toBeVisible();
      await expect(chart).toHaveAttribute('role', 'img');
      await expect(chart).toHaveAttribute('aria-label', new RegExp(`^${words.chart}`));
      if (name === 'sla' || name === 'backlog') {
        await expect(section.getByRole('heading', { level: 3, name: words[name] })).toBeVisible();
        await expectAccessible(page, `${lang}-reports-${name}`);
        await page.screenshot({ path: `${DIR}/${lang}-reports-${name}.png`, fullPage: true });
        await table.scrollIntoViewIfNeeded();
        await page.screenshot({ path: `${DIR}/${lang}-reports-${name}-table.png` });
      }

      const [download] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: words.csv }).click()]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`^report-${name}-\\d{4}-\\d{2}-\\d{2}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
      const text = readFileSync((await download.path()) as string, 'utf8');
      expect(text.split('\n')[0]).toBe(REPORT_CSV_COLUMNS[name].join(','));
    }

    // By week and one office: the table follows.
    await section.getByTestId('report-name').selectOption('channels');
    await section.getByTestId('report-by').selectOption('week');
    await section.getByTestId('report-office').selectOption(lang === 'fi' ? 'FI' : 'SE');
    await expect(section.getByTestId('report-table').locator('tbody th').first()).toHaveText(lang === 'fi' ? /^vk \d+\/\d{4}$/ : /^v\. \d+ \d{4}$/);
    await page.screenshot({ path: `${DIR}/${lang}-reports-channels-week.png`, fullPage: true });
  });
}
