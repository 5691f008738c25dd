/**
 * Files on notes, in Swedish and Finnish: a screenshot pasted into the note box becomes a chip
 * with a thumbnail, goes with the note, and shows as a preview on this desk and on a colleague's;
 * pasted offline, it waits with the note and is uploaded once when the desk is back online.
 */
import type { Page } from '@playwright/test';
import { CaseEventsResponseSchema, type Case } from '../../shared/index';
import { ROUTES } from '../../shared/api';
import { api, login } from '../support/http';
import { pngBytes } from '../support/png';
import { expectAccessible } from './a11y';
import { e2eServer, ServerApi } from './env';
import { loginAs, otherDesk, expect, test } from './fixtures';
import { CasePage } from './pages/CasePage';

test.describe.configure({ timeout: 120_000 });

/** Open Team 1 cases no other spec edits (not "new": the fixtures take those), one per test. */
async function casesForUs(): Promise<Case[]> {
  const s = e2eServer();
  const all = await (await ServerApi.login(s.leadEmail)).snapshot();
  return all.cases
    .filter((c) => c.team === 1 && c.category === 'support' && c.status !== 'new' && c.status !== 'closed' && !s.fixtures.newSupportTeam1.includes(c.number))
    .sort((a, b) => b.number - a.number);
}

/** Pastes a PNG into the note box as the clipboard of a screenshot tool carries it (a file, no text). */
async function pasteScreenshot(page: Page, seed: number): Promise<void> {
  const png = pngBytes(120, 80, [40, 110, 200], seed).toString('base64');
  await page.getByTestId('note-input').evaluate((el, b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, png);
}

async function serverFiles(caseId: string) {
  const s = e2eServer();
  const reply = await api(s, await login(s.url, s.team1[0]!, s.password)).get(ROUTES.caseEvents(caseId));
  return CaseEventsResponseSchema.parse(reply.body).attachments;
}

const SCREENSHOT: Record<'sv' | 'fi', RegExp> = { sv: /^Skärmbild \d{4}-\d\d-\d\d \d\d\.\d\d\.\d\d\.png$/, fi: /^Kuvakaappaus \d{4}-\d\d-\d\d \d\d\.\d\d\.\d\d\.png$/ };

for (const [i, lang] of (['sv', 'fi'] as const).entries()) {
  test(`${lang}: a pasted screenshot goes with the note and shows as a preview here and on a colleague's desk`, async ({ page, browser, server }) => {
    const target = (await casesForUs())[i * 2]!;
    const desk = await loginAs(page, server.team1[0]!, lang);
    const detail = new CasePage(page);
    await desk.lookup(String(target.number));
    await detail.expectNumber(target.number);

    await pasteScreenshot(page, 100 + i);
    const chip = page.getByTestId('draft-file');
    await expect(chip).toHaveCount(1);
    await expect(chip.locator('.file-name')).toHaveText(SCREENSHOT[lang]);
    await expect(chip.locator('img.thumb')).toBeVisible();
    await expectAccessible(page, `${lang} note with a file`);
    await page.screenshot({ path: `test-results/screenshots/${lang}-note-draft-file.png` });

    // A chip goes with Delete, by key; pasted again, it stays for the note.
    await chip.focus();
    await page.keyboard.press('Delete');
    await expect(chip).toHaveCount(0);
    await pasteScreenshot(page, 100 + i);
    await expect(chip).toHaveCount(1);

    const text = lang === 'sv' ? 'Kundens felmeddelande, se skärmbilden.' : 'Asiakkaan virheilmoitus, katso kuvakaappaus.';
    await detail.addNote(text);
    await expect(chip).toHaveCount(0);
    const preview = page.getByTestId('timeline').getByTestId('file-preview');
    await expect(preview).toBeVisible();
    await detail.expectSynced();
    await expect.poll(async () => (await serverFiles(target.id)).map((a) => a.contentType)).toEqual(['image/png']);
    const note = (await (await ServerApi.login(server.team1[0]!)).events(target.number)).find((e) => e.kind === 'note' && e.text === text);
    expect(note?.data).toMatchObject({ attachments: 1 });
    await expectAccessible(page, `${lang} note with a preview`);
    await page.screenshot({ path: `test-results/screenshots/${lang}-note-preview.png` });

    // A colleague's desk: the record came with the note, the bytes with the session's token.
    const other = await otherDesk(browser, server.team1[1]!, lang);
    try {
      await other.desk.lookup(String(target.number));
      const theirs = other.page.getByTestId('timeline').getByTestId('file-preview');
      await expect(theirs).toBeVisible();
      await expect.poll(() => theirs.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(120);
      await expectAccessible(other.page, `${lang} colleague's preview`);
      await other.page.screenshot({ path: `test-results/screenshots/${lang}-note-preview-colleague.png` });
    } finally {
      await other.close();
    }
  });

  test(`${lang}: a screenshot pasted offline waits with the note and is uploaded once when back online`, async ({ page, context, server }) => {
    const target = (await casesForUs())[i * 2 + 1]!;
    const desk = await loginAs(page, server.team1[0]!, lang);
    const detail = new CasePage(page);
    await desk.lookup(String(target.number));
    await detail.expectNumber(target.number);
    // Uploads the server answered (tries while offline never reach it).
    const uploads: number[] = [];
    page.on('response', (r) => {
      if (r.request().method() === 'POST' && new URL(r.url()).pathname === ROUTES.attachments) uploads.push(r.status());
    });

    await context.setOffline(true);
    await desk.expectOffline();
    await pasteScreenshot(page, 200 + i);
    await detail.addNote(lang === 'sv' ? 'Skärmbild tagen offline.' : 'Kuvakaappaus otettu offline-tilassa.');
    const pending = page.getByTestId('timeline-pending');
    await expect(pending.getByTestId('file-preview')).toBeVisible();
    await expect(pending.locator('.chip.pending').last()).toBeVisible();
    await expectAccessible(page, `${lang} file waiting offline`);
    await page.screenshot({ path: `test-results/screenshots/${lang}-note-file-offline.png` });
    expect(uploads).toEqual([]);

    await context.setOffline(false);
    await desk.expectOnline();
    await detail.expectSynced();
    await expect.poll(async () => (await serverFiles(target.id)).length).toBe(1);
    expect(uploads).toEqual([200]);
    await expect(page.getByTestId('timeline').getByTestId('file-preview')).toBeVisible();
  });
}
