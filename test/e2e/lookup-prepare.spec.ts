import { loginAs, otherDesk, expect, test } from './fixtures';
import { CasePage } from './pages/CasePage';

// The case a typed number names is rendered out of sight before Enter (see CaseDetail); until
// Enter it is no case detail: hidden, inert, without the test id the rest of the desk looks for.

test('prepares the case a typed number names out of sight, and Enter shows that same element', async ({ page, server }) => {
  const desk = await loginAs(page, server.team1[0]!);
  const [a, b] = [server.fixtures.newSupportTeam1[6]!, server.fixtures.newSupportTeam1[7]!];
  const detail = new CasePage(page);
  const prepared = page.locator('article.case.prepared');

  await desk.typeNumber(String(a));
  await expect(page.getByTestId('lookup-hit')).toContainText(String(a));
  await expect(prepared.getByTestId('case-number')).toHaveText(String(a));
  await expect(prepared).toBeHidden();
  await expect(prepared).toHaveAttribute('inert', '');
  await expect(prepared).not.toHaveAttribute('data-number');
  await expect(detail.root).toHaveCount(0);
  await expect(desk.queue).toBeVisible();
  // Hidden means out of the way: the queue under it still takes clicks (a trial click checks
  // that the row, not the case over it, would receive the click).
  await desk.rows.first().click({ trial: true });

  // Another number replaces it; a number that names no cached case leaves nothing prepared.
  await desk.lookupInput.fill(String(b));
  await expect(prepared.getByTestId('case-number')).toHaveText(String(b));
  await desk.lookupInput.fill('999999999');
  await expect(prepared).toHaveCount(0);
  await desk.lookupInput.fill(String(a));
  await expect(prepared.getByTestId('case-number')).toHaveText(String(a));

  // Enter shows the element already rendered, not a new one, and the rest of the case follows.
  await prepared.evaluate((el) => el.setAttribute('data-e2e-mark', 'prepared'));
  await desk.lookupInput.press('Enter');
  await detail.expectNumber(a);
  await expect(detail.root).toBeVisible();
  await expect(detail.root).toHaveAttribute('data-e2e-mark', 'prepared');
  await expect(detail.root).not.toHaveAttribute('inert');
  await expect(page.locator('article.case.prepared')).toHaveCount(0);
  await expect(page.getByTestId('timeline')).toBeVisible();
  await expect(desk.lookupInput).not.toBeFocused();
  await expect(desk.lookupInput).toHaveValue('');

  // The case's own shortcuts work once it is shown; Esc goes back to the queue as before.
  await page.keyboard.press('m');
  await expect(page.getByTestId('note-input')).toBeFocused();
  await page.getByTestId('note-input').blur();
  await page.keyboard.press('Escape');
  await expect(detail.root).toHaveCount(0);
  await expect(desk.queue).toBeVisible();

  // Esc in the lookup drops the prepared case with the number.
  await desk.typeNumber(String(b));
  await expect(prepared.getByTestId('case-number')).toHaveText(String(b));
  await page.keyboard.press('Escape');
  await expect(prepared).toHaveCount(0);
  await expect(desk.lookupInput).toHaveValue('');
});

test('a prepared case follows a change made elsewhere before Enter shows it', async ({ page, browser, server }) => {
  const desk = await loginAs(page, server.team1[0]!);
  const n = server.fixtures.newSupportTeam1[8]!;
  const theirs = await otherDesk(browser, server.team1[1]!);
  try {
    await desk.typeNumber(String(n));
    const prepared = page.locator('article.case.prepared');
    await expect(prepared.getByTestId('case-number')).toHaveText(String(n));

    const title = `Ändrad medan numret lästes upp ${Date.now().toString(36)}`;
    await theirs.desk.lookup(String(n));
    await new CasePage(theirs.page).editTitle(title);
    await expect(prepared.locator('h1')).toHaveText(title, { timeout: 15_000 });

    await desk.lookupInput.press('Enter');
    const detail = new CasePage(page);
    await detail.expectNumber(n);
    await expect(detail.root.locator('h1')).toHaveText(title);
  } finally {
    await theirs.close();
  }
});
