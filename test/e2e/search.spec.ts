import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { ROUTES } from '../../shared/index';
import AxeBuilder from '@axe-core/playwright';
import { ServerApi, e2eServer } from './env';
import { loginAs, expect, test } from './fixtures';
import { CasePage } from './pages/CasePage';
import type { DeskPage } from './pages/DeskPage';
import { api, login } from '../support/http';

/**
 * Per language: a note written elsewhere, words to find it by (another form of the same words,
 * without the diacritics, half typed), an action's name and what it shows.
 */
const LANGS = {
  sv: {
    note: (tag: string) => `Kunden säger att kvittoskrivarna i Östersund skriver ut tomma fakturor (${tag}).`,
    query: 'kvittoskrivare ostersund',
    offlineQuery: 'faktura kvittoskriv',
    inNote: 'i en anteckning',
    action: 'nytt ärende',
    actionName: 'Nytt ärende',
    team: 'team 2',
    teamName: 'Team 2',
  },
  fi: {
    note: (tag: string) => `Asiakkaan kuittitulostimet eivät tulosta laskuja Järvenpäässä (${tag}).`,
    query: 'kuittitulostin jarvenpaa',
    offlineQuery: 'lasku kuittitulo',
    inNote: 'muistiinpanossa',
    action: 'uusi asia',
    actionName: 'Uusi asia',
    team: 'tiimi 2',
    teamName: 'Tiimi 2',
  },
} as const;

/** An open Team 1 case no other test edits (not one of the fixtures), a different one per language. */
async function quietCase(lang: 'sv' | 'fi'): Promise<{ id: string; number: number }> {
  const server = e2eServer();
  const taken = new Set([...server.fixtures.newSupportTeam1, server.fixtures.orderAwaitingBilling, server.fixtures.bugTeam1]);
  const all = await (await ServerApi.login(server.leadEmail)).snapshot();
  const open = all.cases.filter((c) => c.team === 1 && c.status !== 'closed' && !taken.has(c.number)).sort((a, b) => a.number - b.number);
  const picked = open[lang === 'sv' ? 0 : 1];
  if (!picked) throw new Error('no quiet open Team 1 case');
  return { id: picked.id, number: picked.number };
}

/** A note added by another desk, through the server. */
async function addNoteElsewhere(caseId: string, text: string): Promise<void> {
  const server = e2eServer();
  const token = await login(server.url, server.team1[1]!, server.password);
  const reply = await api(server, token).post<{ results: Array<{ status: string }> }>(ROUTES.push, {
    mutations: [{ clientId: randomUUID(), mutationId: 1, name: 'addNote', args: { caseId, eventId: randomUUID(), text } }],
  });
  expect(reply.status).toBe(200);
  expect(reply.body.results.map((r) => r.status)).toEqual(['applied']);
}

async function search(page: Page, desk: DeskPage, text: string): Promise<void> {
  await page.keyboard.press('Control+k');
  await desk.lookupInput.fill(text);
}

/**
 * expectAccessible (a11y.ts) limited to the search box and its results: the whole page fails
 * today on the queue's rows (aria-required-children, fixed apart from this work); once that is
 * fixed, this is `expectAccessible(page, name)`.
 */
async function expectBoxAccessible(page: Page, screen: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page })
    .include('[role=search]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'])
    .analyze();
  const found = violations.flatMap((v) => v.nodes.map((node) => `${v.id} (${v.impact ?? 'n/a'}): ${node.target.join(' ')} — ${node.failureSummary ?? v.help}`));
  expect(found, `accessibility violations on ${screen}`).toEqual([]);
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: `test-results/screenshots/${name}.png` });
}

for (const lang of ['sv', 'fi'] as const) {
  const words = LANGS[lang];
  test(`${lang}: the words of a note find its case, online and offline after a reload; an action runs from the same box`, async ({ page, context, server }) => {
    test.setTimeout(120_000);
    const desk = await loginAs(page, server.team1[0]!, lang);
    const target = await quietCase(lang);
    const tag = randomUUID().slice(0, 8);
    await addNoteElsewhere(target.id, words.note(tag));

    // The note reaches this desk by the sync and its words find the case, in another form,
    // folded and half typed, marked where they matched.
    const hit = page.getByTestId('lookup-case').filter({ hasText: String(target.number) });
    await expect(async () => {
      await search(page, desk, words.query);
      await expect(hit).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(hit).toContainText(words.inNote);
    await expect(hit.locator('mark').first()).toBeVisible();
    await expect(desk.lookupInput).toHaveAttribute('aria-expanded', 'true');
    await expectBoxAccessible(page, `${lang} lookup with results`);
    await shot(page, `${lang}-lookup-results`);

    // Arrows choose (the chosen one is announced to screen readers), Enter opens it.
    const options = page.getByRole('option');
    const index = await options.evaluateAll((els, n) => els.findIndex((el) => el.textContent?.includes(String(n))), target.number);
    expect(index).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < index; i++) await desk.lookupInput.press('ArrowDown');
    await expect(options.nth(index)).toHaveAttribute('aria-selected', 'true');
    await desk.lookupInput.press('Enter');
    const detail = new CasePage(page);
    await detail.expectNumber(target.number);
    await detail.back();

    // An action from the box: its name, typed, offers it; Enter runs it.
    await search(page, desk, words.team);
    // "team 2" also reads as case number 2 (none here): the action is offered first and chosen.
    await expect(page.getByTestId('lookup-action').first()).toContainText(words.teamName);
    await expect(page.getByTestId('lookup-action').first()).toHaveAttribute('aria-selected', 'true');
    await desk.lookupInput.press('Enter');
    await expect(page.getByTestId('team-switch').locator('button[data-team="2"]')).toHaveAttribute('aria-pressed', 'true');
    await search(page, desk, words.action);
    await expect(page.getByTestId('lookup-action')).toContainText(words.actionName);
    await desk.lookupInput.press('Enter');
    await expect(page.getByTestId('new-case-form')).toBeVisible();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('new-case-form')).toHaveCount(0);

    // Offline, after a reload: the index is built again from the cache alone.
    await expect.poll(() => page.evaluate(async () => (await (await caches.open('desk-shell')).keys()).length)).toBeGreaterThan(2);
    await context.setOffline(true);
    await desk.expectOffline();
    await page.reload();
    await desk.ready();
    await desk.expectOffline();
    await expect(async () => {
      await search(page, desk, words.offlineQuery);
      await expect(hit).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(hit.locator('mark').first()).toBeVisible();
    await context.setOffline(false);
  });
}
