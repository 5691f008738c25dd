import { ServerApi } from './env';
import { loginAs, expect, test } from './fixtures';
import { CasePage } from './pages/CasePage';

test('offline: the queue and every cached case stay usable; an edit survives a reload and reaches the server once', async ({ page, context, server }) => {
  const desk = await loginAs(page, server.team1[0]!);
  const n = server.fixtures.newSupportTeam1[2]!;
  // The browser build keeps its shell for offline reloads: wait until it is stored.
  await expect.poll(() => page.evaluate(async () => (await (await caches.open('desk-shell')).keys()).length)).toBeGreaterThan(2);

  await context.setOffline(true);
  await desk.expectOffline();
  await expect(page.getByTestId('offline-banner')).toBeVisible();
  // Review the queue.
  await desk.team('both');
  await expect.poll(() => desk.queueCount()).toBe(await desk.teamCount('both'));
  await desk.view('unassigned');
  await expect(desk.rows.first()).toBeVisible();
  await desk.view('all');
  await desk.team('1');

  // Look a case up and edit it.
  const detail = new CasePage(page);
  await desk.lookup(String(n));
  await detail.expectNumber(n);
  await detail.transition('line1');
  await expect(detail.status).toHaveText('1:a linje');
  await expect(detail.pending()).toBeVisible();
  await expect(desk.pendingCount()).toHaveText('1 ändring väntar');

  // Reload while still offline: the desk, the cache and the edit are all still there.
  await page.reload();
  await desk.ready();
  await desk.expectOffline();
  await expect(desk.pendingCount()).toHaveText('1 ändring väntar');
  await desk.lookup(String(n));
  await expect(detail.status).toHaveText('1:a linje');
  await expect(detail.pending()).toBeVisible();

  // Back online: sent, applied, exactly once.
  await context.setOffline(false);
  await desk.expectOnline();
  await detail.expectSynced();
  await expect(desk.pendingCount()).toHaveCount(0);
  const api = await ServerApi.login(server.team1[0]!);
  expect((await api.caseByNumber(n)).status).toBe('line1');
  expect((await api.events(n)).filter((e) => e.kind === 'status' && e.data.to === 'line1')).toHaveLength(1);
});
