import { expectAccessible } from './a11y';
import { ServerApi } from './env';
import { loginAs, otherDesk, expect, test } from './fixtures';
import { CasePage } from './pages/CasePage';

// The accessibility checks (axe-core) take seconds each on a busy machine.
test.describe.configure({ timeout: 150_000 });

test('a conflict between two desks shows both versions and the specialist chooses', async ({ page, context, browser, server }) => {
  const n = server.fixtures.newSupportTeam1[3]!;
  const mine = await loginAs(page, server.team1[0]!);
  const theirs = await otherDesk(browser, server.team1[1]!);
  try {
    const myCase = new CasePage(page);
    const theirCase = new CasePage(theirs.page);
    await mine.lookup(String(n));
    await myCase.expectNumber(n);
    await theirs.desk.lookup(String(n));
    await theirCase.expectNumber(n);

    // I work offline for a moment; a colleague changes the title meanwhile.
    await context.setOffline(true);
    await mine.expectOffline();
    await theirCase.editTitle('Rubrik från kollegan');
    await theirCase.expectSynced();
    await myCase.editTitle('Min rubrik');
    await expect(myCase.pending()).toBeVisible();

    await context.setOffline(false);
    const conflict = page.getByTestId('conflict');
    await expect(conflict).toBeVisible({ timeout: 15_000 });
    await expect(conflict.getByTestId('conflict-mine')).toHaveText('Min rubrik');
    await expect(conflict.getByTestId('conflict-theirs')).toHaveText('Rubrik från kollegan');
    // It names the colleague whose change won.
    await expect(conflict.getByTestId('conflict-editor')).toContainText('hann före');
    await page.screenshot({ path: 'test-results/screenshots/sv-conflict.png' });
    await expectAccessible(page, 'sv-conflict');
    // Until I choose, the server's version stands.
    await expect(page.getByRole('heading', { name: 'Rubrik från kollegan' })).toBeVisible();

    await conflict.getByTestId('keep-mine').click();
    await expect(conflict).toHaveCount(0);
    await myCase.expectSynced();
    expect((await (await ServerApi.login(server.team1[0]!)).caseByNumber(n)).title).toBe('Min rubrik');
    // And the colleague's desk follows.
    await expect(theirs.page.getByRole('heading', { name: 'Min rubrik' })).toBeVisible();
  } finally {
    await theirs.close();
  }
});
