import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { ROUTES } from '../../shared/index';
import { request } from '../support/http';
import { e2eServer } from './env';
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

/** Who holds, and who waits for, a lock of this browser profile, as a page of it sees them. */
async function lockState(page: Page, name: string): Promise<{ held: number; pending: number }> {
  return page.evaluate(async (lock) => {
    const q = await navigator.locks.query();
    const count = (l: LockInfo[] | undefined) => (l ?? []).filter((x) => x.name === lock).length;
    return { held: count(q.held), pending: count(q.pending) };
  }, name);
}

test('a desk that finishes opening after the server asked for a new password does not replace that screen', async ({ page, context, server }) => {
  const s = e2eServer();
  const email = `specialist-${randomUUID().slice(0, 8)}@softone.fi`;
  const password = `Tunturi-${randomUUID().slice(0, 6)}-Fjäll`;
  const created = await request<{ specialist: { id: string } }>(s.url, 'POST', ROUTES.specialists, {
    token: s.admin.token,
    json: { email, name: 'Testi Asiantuntija', role: 'specialist', teams: [1], office: 'FI', language: 'fi', password },
  });
  expect(created.status).toBe(201);
  const id = created.body.specialist.id;
  // Once on the desk: this computer has the specialist's cache.
  const login = new LoginPage(page);
  await login.goto(server.url);
  await login.submit(email, password);
  await new DeskPage(page).ready();
  // A lead resets the password: the session ends, and the one-time code asks for a new password first.
  const reset = await request<{ code: string }>(s.url, 'POST', ROUTES.passwordReset(id), { token: s.admin.token });
  await login.goto(server.url);
  await login.submit(email, reset.body.code);
  const forced = page.getByTestId('forced-password');
  await expect(forced).toBeVisible();

  // Another tab of this browser holds the cache: the desk that a reload resumes from it waits.
  const lock = `desk-cache:desk:${server.url.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '')}:${id}`;
  const holder = await context.newPage();
  await holder.goto(`${server.url}${ROUTES.health}`);
  await holder.evaluate(
    (name) =>
      new Promise<void>((held) => {
        void navigator.locks.request(name, () => {
          held();
          return new Promise<void>((release) => {
            (window as unknown as { releaseCache: () => void }).releaseCache = release;
          });
        });
      }),
    lock,
  );
  await page.reload();
  await expect.poll(() => lockState(holder, lock)).toEqual({ held: 1, pending: 1 });
  // Meanwhile the server says the password must be changed first.
  await expect(forced).toBeVisible();

  // The desk finishes opening: stale, it lets go of the cache again and the screen stays.
  await holder.evaluate(() => (window as unknown as { releaseCache: () => void }).releaseCache());
  await expect.poll(() => lockState(holder, lock)).toEqual({ held: 0, pending: 0 });
  await expect(forced).toBeVisible();
  await expect(page.getByTestId('logout')).toHaveCount(0);
});
