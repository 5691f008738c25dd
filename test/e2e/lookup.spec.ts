import { loginAs, expect, test } from './fixtures';
import { CasePage } from './pages/CasePage';

test('finds a case by number from anywhere, tolerant of how it is typed, and says when it does not exist', async ({ page, server }) => {
  const desk = await loginAs(page, server.team1[0]!);
  const n = server.fixtures.newSupportTeam1[0]!;
  const detail = new CasePage(page);

  // Just typing digits, the case shows from the cache at once; Enter opens it.
  await desk.typeNumber(String(n));
  await expect(page.getByTestId('lookup-hit')).toContainText(String(n));
  await page.keyboard.press('Enter');
  await detail.expectNumber(n);
  await detail.back();

  // Spaces, dashes and a prefix, as read out on the phone.
  const spaced = String(n).replace(/(\d{3})(?=\d)/g, '$1 ');
  await desk.lookup(`Ärende ${spaced}`);
  await detail.expectNumber(n);
  await detail.back();
  await desk.lookup(`SO-${String(n).slice(0, 3)}-${String(n).slice(3)}`);
  await detail.expectNumber(n);
  await detail.back();

  await desk.lookup('999 999 999');
  await expect(page.getByTestId('lookup-not-found')).toHaveText('Ärende 999999999 finns inte.');
  await page.keyboard.press('Escape');
});
