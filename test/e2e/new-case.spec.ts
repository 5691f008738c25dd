import { ServerApi } from './env';
import { loginAs, expect, test } from './fixtures';
import { CasePage } from './pages/CasePage';
import { NewCasePage } from './pages/NewCasePage';

test('registers a new case with a number from the leased block', async ({ page, server }) => {
  await loginAs(page, server.team1[0]!);
  const form = new NewCasePage(page);
  await form.open();
  await form.chooseCustomer(server.fixtures.customerTeam1);
  await expect(page.getByTestId('entitlement')).toBeVisible();
  await form.fill({ title: 'Attestflödet fastnar', description: 'Kunden kan inte attestera leverantörsfakturor.', category: 'support', module: 'attest' });
  await form.submit();

  const detail = new CasePage(page);
  await expect(detail.root).toBeVisible();
  const n = Number(await detail.root.getAttribute('data-number'));
  expect(n).toBeGreaterThan(0);
  await expect(page.getByRole('heading', { name: 'Attestflödet fastnar' })).toBeVisible();
  await detail.expectSynced();
  const c = await (await ServerApi.login(server.team1[0]!)).caseByNumber(n);
  expect(c).toMatchObject({ title: 'Attestflödet fastnar', module: 'attest', category: 'support', status: 'new', channel: 'phone' });
});
