import { loginAs, expect, test } from './fixtures';
import { ServerApi } from './env';
import { CasePage } from './pages/CasePage';

test('the team switch works like the phone switch and shows open counts per team', async ({ page, server }) => {
  const desk = await loginAs(page, server.team1[0]!);
  const counts = async () => ({ one: await desk.teamCount('1'), two: await desk.teamCount('2'), both: await desk.teamCount('both'), shown: await desk.queueCount() });
  // The other team's cases may still be arriving when the desk is ready, and counts read
  // meanwhile agree with each other all the same: they are read until they are the server's.
  const cases = (await (await ServerApi.login(server.leadEmail)).snapshot()).cases;
  const open = (team: number) => cases.filter((c) => c.team === team && c.status !== 'closed').length;
  await expect
    .poll(async () => {
      const c = await counts();
      return c.one === open(1) && c.two === open(2) && c.both === c.one + c.two && c.shown === c.one;
    })
    .toBe(true);
  const { one, two, both, shown } = await counts();
  expect(one).toBeGreaterThan(0);
  expect(two).toBeGreaterThan(0);
  expect(both).toBe(one + two);
  // My team is chosen at first.
  expect(shown).toBe(one);
  await desk.team('2');
  await expect.poll(() => desk.queueCount()).toBe(two);
  await desk.team('both');
  await expect.poll(() => desk.queueCount()).toBe(both);
  // The same from the keyboard; the choice survives a reload.
  await page.keyboard.press('Alt+1');
  await expect.poll(() => desk.queueCount()).toBe(one);
  await desk.team('2');
  await page.reload();
  await desk.ready();
  await expect.poll(() => desk.queueCount()).toBe(two);
  await desk.team('1');
});

test('orders by urgency, sorts on demand, filters, and has the ready views', async ({ page, server }) => {
  const desk = await loginAs(page, server.team1[0]!);
  await desk.team('both');
  // Urgency: every case with an SLA deadline comes before every case without, breached first.
  const tones = await desk.rows.evaluateAll((rows) =>
    rows
      .map((r) => ({ top: r.getBoundingClientRect().top, tone: r.querySelector('.sla[data-tone]')?.getAttribute('data-tone') ?? null }))
      .sort((a, b) => a.top - b.top)
      .map((r) => r.tone),
  );
  expect(tones[0]).toBe('breached');
  const firstWithout = tones.indexOf(null);
  if (firstWithout >= 0) expect(tones.slice(firstWithout).every((t) => t === null)).toBe(true);
  const firstNotBreached = tones.findIndex((t) => t !== 'breached');
  if (firstNotBreached >= 0) expect(tones.slice(firstNotBreached).includes('breached')).toBe(false);
  // At the far end of the queue: cases without an SLA clock, oldest first.
  await page.getByTestId('queue-count').click();
  await page.keyboard.press('End');
  const last = page.locator('[data-testid="queue-row"][aria-selected="true"]');
  await expect(last).toBeVisible();
  await expect(last.locator('.sla')).toHaveCount(0);
  await page.keyboard.press('Home');

  await page.getByTestId('sort-number').click();
  const numbers = await desk.visibleNumbers();
  expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  await page.getByTestId('sort-number').click();
  const descending = await desk.visibleNumbers();
  expect(descending).toEqual([...descending].sort((a, b) => b - a));

  await desk.filter('category', 'bug');
  await expect(desk.rows.locator('.cat').first()).toHaveText('Programfel');
  expect(new Set(await desk.rows.locator('.cat').allInnerTexts())).toEqual(new Set(['Programfel']));
  await desk.filter('level', '1');
  expect(new Set(await desk.rows.locator('.level').allInnerTexts())).toEqual(new Set(['1']));
  await page.getByTestId('filters-reset').click();

  await desk.view('bugs12');
  expect(new Set(await desk.rows.locator('.level').allInnerTexts())).toEqual(new Set(['1', '2']));
  await desk.view('breached');
  expect(new Set(await desk.rows.locator('.sla').evaluateAll((els) => els.map((e) => e.getAttribute('data-tone'))))).toEqual(new Set(['breached']));
  await desk.view('unassigned');
  expect(new Set(await desk.rows.locator('span.muted.ellipsis').allInnerTexts())).toEqual(new Set(['—']));
  await desk.view('all');
});

test('works from the keyboard: j/k to move, Enter to open, Esc back, ? for help', async ({ page, server }) => {
  const desk = await loginAs(page, server.team1[0]!);
  await page.getByTestId('queue-count').click();
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  await page.keyboard.press('j');
  const selected = Number(await page.locator('[data-testid="queue-row"][aria-selected="true"]').getAttribute('data-number'));
  expect(selected).toBe((await desk.visibleNumbers())[1]);
  await page.keyboard.press('Enter');
  const detail = new CasePage(page);
  await detail.expectNumber(selected);
  await detail.back();
  await expect(page.locator('[data-testid="queue-row"][aria-selected="true"]')).toHaveAttribute('data-number', String(selected));
  await page.keyboard.press('?');
  await expect(page.getByTestId('shortcuts')).toContainText('Sök ärendenummer');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('shortcuts')).toHaveCount(0);
});
