/**
 * Accounts on screen: changing the password, a lead turning on two-step verification and then
 * logging in with a code, and a lead's one-time reset used by a colleague; in Finnish and
 * Swedish, by keyboard where a specialist would use it, with screenshots in
 * test-results/screenshots/ and an accessibility check of each new screen.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { ROUTES } from '../../shared/index';
import { request } from '../support/http';
import { enrolTwoFactor, nextCode } from '../support/two-factor';
import { e2eServer } from './env';
import { expect, test } from './fixtures';
import { expectAccessible } from './a11y';
import { AccountPage } from './pages/AccountPage';
import { DeskPage } from './pages/DeskPage';
import { LoginPage } from './pages/LoginPage';

// The accessibility checks (axe-core) take seconds each on a busy machine.
test.describe.configure({ timeout: 150_000 });

const DIR = 'test-results/screenshots';

/** A fresh account of the tests' own (made by the enrolled admin lead through the API). */
async function newAccount(role: 'specialist' | 'lead', lang: 'sv' | 'fi'): Promise<{ id: string; email: string; password: string; name: string }> {
  const s = e2eServer();
  const email = `${role}-${randomUUID().slice(0, 8)}@softone.${lang === 'fi' ? 'fi' : 'se'}`;
  const password = `Tunturi-${randomUUID().slice(0, 6)}-Fjäll`;
  const name = lang === 'fi' ? `Testi ${role === 'lead' ? 'Vetäjä' : 'Asiantuntija'}` : `Test ${role === 'lead' ? 'Ledare' : 'Specialist'}`;
  const created = await request<{ specialist: { id: string } }>(s.url, 'POST', ROUTES.specialists, {
    token: s.admin.token,
    json: { email, name, role, teams: role === 'lead' ? [1, 2] : [1], office: lang === 'fi' ? 'FI' : 'SE', language: lang, password },
  });
  if (created.status !== 201) throw new Error(`create ${email}: ${created.status} ${created.text}`);
  return { id: created.body.specialist.id, email, password, name };
}

async function logIn(page: Page, email: string, password: string, lang: 'sv' | 'fi'): Promise<LoginPage> {
  const login = new LoginPage(page);
  await login.goto(e2eServer().url);
  await login.language(lang);
  await login.submit(email, password);
  return login;
}

test('changes the password: a weak one is refused in Swedish, the new one logs in, the old one no longer', async ({ page }) => {
  const me = await newAccount('specialist', 'sv');
  await logIn(page, me.email, me.password, 'sv');
  const desk = new DeskPage(page);
  await desk.ready();
  const account = new AccountPage(page);
  await account.open();
  await expect(account.sessions.getByText('Den här')).toBeVisible();
  // The length rule shows as the specialist types.
  await account.password.locator('input[name=new-password]').fill('kort');
  await expect(account.password.getByText('Lösenordet behöver minst 12 tecken till (8 kvar).')).toBeVisible();
  // A common password gets past the length but not the server, which says why in Swedish.
  await account.changePassword(me.password, 'password1234');
  await expect(account.password.getByRole('alert')).toHaveText(
    'Lösenordet är för vanligt eller lätt att gissa. Välj ett längre eller mindre förutsägbart. (nytt lösenord)',
  );
  await account.changePassword('inte-mitt-lösenord', 'Blåbärssoppa-i-Vasaloppet');
  await expect(account.password.getByRole('alert')).toHaveText('Fel lösenord. (nuvarande lösenord)');
  await account.changePassword(me.password, 'Blåbärssoppa-i-Vasaloppet');
  await expect(account.password.getByRole('status')).toHaveText('Lösenordet är bytt. Dina övriga inloggningar har loggats ut.');
  await expectAccessible(page, 'sv-account-password');
  await page.screenshot({ path: `${DIR}/sv-account.png`, fullPage: true });

  await page.keyboard.press('Escape');
  await expect(desk.queue).toBeVisible();
  await page.getByTestId('logout').click();
  const login = await logIn(page, me.email, me.password, 'sv');
  await expect(login.error()).toHaveText('Fel e-post eller lösenord.');
  await login.submit(me.email, 'Blåbärssoppa-i-Vasaloppet');
  await desk.ready();
});

test('a lead turns on two-step verification (QR, recovery codes) and then logs in with a code, in Finnish', async ({ page }) => {
  const lead = await newAccount('lead', 'fi');
  await logIn(page, lead.email, lead.password, 'fi');
  const desk = new DeskPage(page);
  await desk.ready();
  // Lead functions wait for two-factor: the top bar leads there.
  const button = page.getByTestId('account-button');
  await expect(button).toHaveAttribute('title', 'Kaksivaiheinen tunnistautuminen vaaditaan');
  await button.click();
  const account = new AccountPage(page);
  await expect(account.root).toBeVisible();
  await expect(account.reset.getByText('Ota ensin kaksivaiheinen tunnistautuminen käyttöön yllä.')).toBeVisible();
  await account.twoFactor.getByRole('button', { name: 'Ota kaksivaiheinen tunnistautuminen käyttöön' }).click();
  await expect(account.twoFactor.getByRole('img', { name: 'QR-koodi todennussovellukselle' })).toBeVisible();
  // Shown in groups of four for typing by hand.
  const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s+/g, '');
  await expectAccessible(page, 'fi-account-enrol');
  await page.screenshot({ path: `${DIR}/fi-account-enrol.png`, fullPage: true });
  // The code field has the focus; Tab leads to the current password. The code is typed last
  // (it changes every 30 seconds), then Enter.
  await page.keyboard.press('Tab');
  await expect(account.twoFactor.getByLabel('Nykyinen salasana')).toBeFocused();
  await page.keyboard.type(lead.password);
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.type(await nextCode(secret));
  await page.keyboard.press('Enter');
  const codes = page.getByTestId('recovery-codes').locator('li');
  await expect(codes).toHaveCount(10);
  await page.screenshot({ path: `${DIR}/fi-account-recovery-codes.png`, fullPage: true });
  await account.twoFactor.getByRole('button', { name: 'Valmis' }).click();
  await expect(account.twoFactor.getByText('Käytössä. Varakoodeja jäljellä: 10.')).toBeVisible();

  await account.root.getByRole('button', { name: 'Takaisin jonoon' }).click();
  await expect(button).not.toHaveAttribute('title');
  await page.getByTestId('logout').click();
  await logIn(page, lead.email, lead.password, 'fi');
  const step = page.getByTestId('login-code');
  await expect(step).toBeVisible();
  await expectAccessible(page, 'fi-login-code');
  await page.screenshot({ path: `${DIR}/fi-login-code.png` });
  // A wrong code is refused in Finnish; the right one opens the desk.
  await page.keyboard.type('000000');
  await page.keyboard.press('Enter');
  await expect(step.getByRole('alert')).toHaveText('Koodi on väärä, vanhentunut tai jo käytetty. (koodi)');
  await step.locator('input[name=code]').fill(await nextCode(secret));
  await page.keyboard.press('Enter');
  await desk.ready();
});

test('a lead resets a colleague’s password with a one-time code; the colleague must choose a new one first', async ({ page, browser }) => {
  const colleague = await newAccount('specialist', 'sv');
  const lead = await newAccount('lead', 'sv');
  // The lead enrols through the API here (the screen is covered above) and logs in with a code.
  const first = await request<{ token: string }>(e2eServer().url, 'POST', ROUTES.login, { json: { email: lead.email, password: lead.password } });
  const { secret } = await enrolTwoFactor(e2eServer().url, first.body.token, lead.password);
  await logIn(page, lead.email, lead.password, 'sv');
  await expect(page.getByTestId('login-code')).toBeVisible();
  await expectAccessible(page, 'sv-login-code');
  await page.getByTestId('login-code').locator('input[name=code]').fill(await nextCode(secret));
  await page.keyboard.press('Enter');
  const desk = new DeskPage(page);
  await desk.ready();
  const account = new AccountPage(page);
  await account.open();
  await account.reset.locator('select[name=reset-who]').selectOption({ label: `${colleague.name} (${colleague.email})` });
  await account.reset.getByRole('button', { name: 'Skapa engångskod' }).click();
  const issued = page.getByTestId('reset-code');
  await expect(issued).toContainText(`Engångskod för ${colleague.name}`);
  const code = await issued.locator('code').innerText();
  await expectAccessible(page, 'sv-account-lead-reset');
  await page.screenshot({ path: `${DIR}/sv-account-lead-reset.png`, fullPage: true });

  // The colleague, on another computer: the old password no longer works, the code does, once.
  const context = await browser.newContext();
  try {
    const other = await context.newPage();
    const login = await logIn(other, colleague.email, colleague.password, 'sv');
    await expect(login.error()).toHaveText('Fel e-post eller lösenord.');
    await login.submit(colleague.email, code);
    const forced = other.getByTestId('forced-password');
    await expect(forced).toBeVisible();
    await expectAccessible(other, 'sv-forced-password-reset');
    await other.screenshot({ path: `${DIR}/sv-forced-password.png` });
    await other.locator('input[name=new-password]').fill('salasana1234');
    await other.locator('input[name=repeat-password]').fill('salasana1234');
    await other.keyboard.press('Enter');
    await expect(forced.getByRole('alert')).toContainText('Lösenordet är för vanligt');
    await other.locator('input[name=new-password]').fill('Kanelbulle-med-Kardemumma');
    await other.locator('input[name=repeat-password]').fill('Kanelbulle-med-Kardemumma');
    await other.keyboard.press('Enter');
    await new DeskPage(other).ready();
  } finally {
    await context.close();
  }
});

test('the new screens in Finnish and Swedish: the forced change and the account page', async ({ page, browser }) => {
  for (const lang of ['fi', 'sv'] as const) {
    const me = await newAccount('specialist', lang);
    const reset = await request<{ code: string }>(e2eServer().url, 'POST', ROUTES.passwordReset(me.id), { token: e2eServer().admin.token });
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      await logIn(tab, me.email, reset.body.code, lang);
      await expect(tab.getByTestId('forced-password')).toBeVisible();
      await expectAccessible(tab, `${lang}-forced-password`);
      await tab.screenshot({ path: `${DIR}/${lang}-forced-password.png` });
    } finally {
      await context.close();
    }
  }
  const me = await newAccount('specialist', 'fi');
  await logIn(page, me.email, me.password, 'fi');
  await new DeskPage(page).ready();
  const account = new AccountPage(page);
  await account.open();
  await expectAccessible(page, 'fi-account');
  await page.screenshot({ path: `${DIR}/fi-account.png`, fullPage: true });
});
