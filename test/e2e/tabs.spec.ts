import type { Page } from '@playwright/test';
import { ServerApi } from './env';
import { loginAs, expect, test } from './fixtures';
import { CasePage } from './pages/CasePage';
import { DeskPage } from './pages/DeskPage';

type LockState = { held: string[]; pending: string[] };
const syncLocks = (page: Page) =>
  page.evaluate(async (): Promise<LockState> => {
    const q = await navigator.locks.query();
    const names = (l: LockInfo[] | undefined) => (l ?? []).map((x) => x.name ?? '').filter((n) => n.startsWith('desk-sync:'));
    return { held: names(q.held), pending: names(q.pending) };
  });

test('one sync loop per desk: a second tab follows, its edits go through the leader, and it takes over when the leader closes', async ({ page, context, server }) => {
  const first = await loginAs(page, server.team1[0]!);
  // A tab opened from the desk (it inherits the session, as a browser's "open in new tab" does).
  const [second] = await Promise.all([context.waitForEvent('page'), page.evaluate((url) => window.open(url), server.url)]);
  const follower = new DeskPage(second);
  await follower.ready();
  await expect.poll(() => syncLocks(second)).toEqual({ held: [expect.stringMatching(/^desk-sync:/)], pending: [expect.stringMatching(/^desk-sync:/)] });

  // An edit in the follower is pushed by the leader, and the follower hears that it landed.
  const n = server.fixtures.newSupportTeam1[5]!;
  const inSecond = new CasePage(second);
  await follower.lookup(String(n));
  await inSecond.transition('line1');
  await inSecond.expectSynced();
  const api = await ServerApi.login(server.team1[0]!);
  expect((await api.caseByNumber(n)).status).toBe('line1');
  // The leader's tab shows it too.
  await first.lookup(String(n));
  await expect(new CasePage(page).status).toHaveText('1:a linje');

  // The leader closes: the follower takes over the sync loop.
  await page.close();
  await expect.poll(() => syncLocks(second)).toEqual({ held: [expect.stringMatching(/^desk-sync:/)], pending: [] });
  await inSecond.transition('line2');
  await inSecond.expectSynced();
  // The new leader may still be opening its socket and outbox when the edit is made: the edit
  // waits in the outbox until then, so give it the time a real desk would.
  await expect.poll(async () => (await api.caseByNumber(n)).status, { timeout: 15_000 }).toBe('line2');
});
