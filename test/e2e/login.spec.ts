import { expect, test } from './fixtures';
import { DeskPage } from './pages/DeskPage';
import { LoginPage } from './pages/LoginPage';

test('logs in, says why not in my language, and remembers the e-mail and the language', async ({ page, server }) => {
  const login = new LoginPage(page);
  await login.goto(server.url);
  await expect(page.locator('input[name=server]')).toHaveValue(server.url);
  await login.submit(server.team1[0]!, 'not-the-password');
  await expect(login.error()).toHaveText('Fel e-post eller lösenord.');

  await login.language('fi');
  await expect(page.getByRole('button', { name: 'Kirjaudu', exact: true })).toBeVisible();
  await login.submit(server.team1[0]!, server.password);
  const desk = new DeskPage(page);
  await desk.ready();
  await expect(page.getByTestId('view-mine')).toHaveText('Omat asiat');
  await desk.expectOnline();

  await page.getByTestId('logout').click();
  await expect(page.locator('input[name=email]')).toHaveValue(server.team1[0]!);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Kirjaudu', exact: true })).toBeVisible();
  await expect(page.locator('input[name=email]')).toHaveValue(server.team1[0]!);
});
