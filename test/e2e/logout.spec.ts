/**
 * Logging out removes this computer's copy of the cache once nothing is left in its outbox, and
 * says so; edits still held are kept (with the cache) for the next login, which sends them.
 */
import type { Page } from '@playwright/test';
import { ServerApi } from './env';
import { loginAs, expect, test } from './fixtures';
import { CasePage } from './pages/CasePage';
import { expectAccessible } from './a11y';
import { DeskPage } from './pages/DeskPage';

// The accessibility checks (axe-core) take seconds each on a busy machine.
test.describe.configure({ timeout: 150_000 });

const DIR = 'test-results/screenshots';

/** The names of this browser profile's desk caches (IndexedDB databases). */
async function deskCaches(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('desk:')));
}

/** The edits waiting in a desk cache's outbox, read straight from IndexedDB. */
async function outboxSize(page: Page, name: string): Promise<number> {
  return page.evaluate(
    (dbName) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open(dbName);
        open.onerror = () => reject(open.error ?? new Error('open failed'));
        open.onsuccess = () => {
          const db = open.result;
          const count = db.transaction('outbox').objectStore('outbox').count();
          count.onsuccess = () => {
            db.close();
            resolve(count.result);
          };
          count.onerror = () => reject(count.error ?? new Error('count failed'));
        };
      }),
    name,
  );
}

for (const lang of ['fi', 'sv'] as const) {
  test(`logout with nothing waiting removes this computer's copy of the cache and says so (${lang})`, async ({ page, server }) => {
    const desk = await loginAs(page, server.team1[1]!, lang);
    await desk.expectOnline();
    expect(await deskCaches(page)).toHaveLength(1);

    await page.getByTestId('logout').click();
    const notice = page.getByTestId('logged-out');
    await expect(notice).toHaveText(
      lang === 'fi' ? 'Olet kirjautunut ulos. Tämän koneen kopio tiedoista poistettiin.' : 'Du har loggat ut. Den här datorns kopia av uppgifterna togs bort.',
    );
    await expect.poll(() => deskCaches(page)).toEqual([]);
    await page.screenshot({ path: `${DIR}/${lang}-logged-out.png` });
  });
}

test('logout with an edit waiting asks first, keeps the edit and the cache, and the next login sends it', async ({ page, context, server }) => {
  const n = server.fixtures.newSupportTeam1[11]!;
  const email = server.team1[1]!;
  const desk = await loginAs(page, email, 'fi');
  await desk.expectOnline();
  const [cache] = await deskCaches(page);

  // An edit made offline waits in the outbox.
  await context.setOffline(true);
  await desk.expectOffline();
  const detail = new CasePage(page);
  await desk.lookup(String(n));
  await detail.expectNumber(n);
  await detail.transition('line1');
  await expect(detail.pending()).toBeVisible();

  // Logging out asks; staying (the default, Esc too) keeps the desk as it was.
  await page.getByTestId('logout').click();
  const dialog = page.getByTestId('logout-dialog');
  await expect(dialog).toContainText('Tällä koneella on 1 muutos, jota ei ole vielä tallennettu palvelimelle');
  await expect(page.getByTestId('logout-stay')).toBeFocused();
  await page.screenshot({ path: `${DIR}/fi-logout-held.png` });
  await expectAccessible(page, 'fi-logout-held');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(detail.pending()).toBeVisible();

  // The same in Swedish, and logging out anyway.
  await page.locator('.topbar').getByRole('button', { name: 'SV', exact: true }).click();
  await page.getByTestId('logout').click();
  await expect(dialog).toContainText('Den här datorn har 1 ändring som inte har sparats på servern än');
  await page.screenshot({ path: `${DIR}/sv-logout-held.png` });
  await expectAccessible(page, 'sv-logout-held');
  await page.getByTestId('logout-anyway').click();
  await expect(page.getByTestId('logged-out')).toContainText('1 osparad ändring finns kvar på den här datorn: den skickas nästa gång du loggar in med samma konto.');
  await page.screenshot({ path: `${DIR}/sv-logged-out-kept.png` });
  await expectAccessible(page, 'sv-logged-out-kept');
  // The cache and its edit are still here.
  expect(await deskCaches(page)).toEqual([cache]);
  expect(await outboxSize(page, cache!)).toBe(1);

  // The next login of the same specialist sends it; then logging out removes the copy.
  await context.setOffline(false);
  const again = await loginAs(page, email, 'fi');
  await again.expectOnline();
  const api = await ServerApi.login(email);
  await expect.poll(async () => (await api.caseByNumber(n)).status, { timeout: 15_000 }).toBe('line1');
  await expect.poll(() => outboxSize(page, cache!)).toBe(0);
  await page.getByTestId('logout').click();
  await expect(page.getByTestId('logged-out')).toHaveText('Olet kirjautunut ulos. Tämän koneen kopio tiedoista poistettiin.');
  await expect.poll(() => deskCaches(page)).toEqual([]);
});

/** A second tab of the same desk, opened from the first (it inherits the session, as "open in new tab" does). */
async function secondTab(page: Page, url: string): Promise<{ tab: Page; desk: DeskPage }> {
  const [tab] = await Promise.all([page.context().waitForEvent('page'), page.evaluate((u) => window.open(u), url)]);
  const desk = new DeskPage(tab);
  await desk.ready();
  return { tab, desk };
}

test('logging out in one tab stops the other tabs of the desk first: they go to the login screen, and the copy is removed', async ({ page, server }) => {
  const desk = await loginAs(page, server.team1[2]!, 'fi');
  await desk.expectOnline();
  const { tab } = await secondTab(page, server.url);
  expect(await deskCaches(page)).toHaveLength(1);

  await page.getByTestId('logout').click();
  const removed = 'Olet kirjautunut ulos. Tämän koneen kopio tiedoista poistettiin.';
  await expect(page.getByTestId('logged-out')).toHaveText(removed);
  // The other tab did not keep working on a cache about to go: it stopped and says the same.
  await expect(tab.getByTestId('logged-out')).toHaveText(removed);
  await expect(tab.getByTestId('logout')).toHaveCount(0);
  await expect.poll(() => deskCaches(page)).toEqual([]);
});

test("an edit waiting in another tab is counted when logging out: kept with the cache, and both tabs say so", async ({ page, context, server }) => {
  const n = server.fixtures.newSupportTeam1[9]!;
  const desk = await loginAs(page, server.team1[2]!, 'fi');
  await desk.expectOnline();
  const [cache] = await deskCaches(page);
  const { tab, desk: other } = await secondTab(page, server.url);

  // The edit is made offline in the other tab.
  await context.setOffline(true);
  await other.expectOffline();
  const detail = new CasePage(tab);
  await other.lookup(String(n));
  await detail.expectNumber(n);
  await detail.transition('line1');
  await expect(detail.pending()).toBeVisible();

  await page.getByTestId('logout').click();
  await expect(page.getByTestId('logout-dialog')).toContainText('Tällä koneella on 1 muutos, jota ei ole vielä tallennettu palvelimelle');
  await page.getByTestId('logout-anyway').click();
  const kept = /1 tallentamaton muutos säilytettiin tällä koneella/;
  await expect(page.getByTestId('logged-out')).toContainText(kept);
  await expect(tab.getByTestId('logged-out')).toContainText(kept);
  expect(await deskCaches(page)).toEqual([cache]);
  expect(await outboxSize(page, cache!)).toBe(1);
});
