import { randomUUID } from 'node:crypto';
import { ServerApi } from './env';
import { loginAs, otherDesk, expect, test } from './fixtures';
import { NewCasePage } from './pages/NewCasePage';

test('a call to the phone switch pops the banner in the right team only, and one key starts a case from it', async ({ page, browser, server }) => {
  const team1 = await loginAs(page, server.team1[0]!);
  const team2 = await otherDesk(browser, server.team2[0]!);
  try {
    const api = await ServerApi.login(server.leadEmail);
    const caller = server.fixtures.callerTeam1;

    // The caller chose option 1, their own team.
    await api.cti({ event: 'newCall', from: caller.phone, to: '+46812345001', direction: 'in', callId: randomUUID(), queue: 'hantverk' });
    await expect(team1.callBanner).toBeVisible();
    await expect(page.getByTestId('call-contact')).toHaveText(caller.contactName);
    await expect(page.getByTestId('call-customer')).toContainText(caller.customerName);
    await expect(page.getByTestId('call-mismatch')).toHaveCount(0);
    await expect(page.getByTestId('entitlement')).toBeVisible();
    // Give the other desk every chance to show it wrongly.
    await team2.page.waitForTimeout(500);
    await expect(team2.desk.callBanner).toHaveCount(0);

    await page.keyboard.press('c');
    const form = new NewCasePage(page);
    await expect(form.form).toBeVisible();
    await expect(page.getByTestId('chosen-customer')).toContainText(caller.customerName);
    await page.keyboard.press('Escape');

    // Wrong option: the call reaches Team 2, who are told to transfer it to Team 1.
    await api.cti({ event: 'newCall', from: caller.phone, to: '+46812345002', direction: 'in', callId: randomUUID(), queue: 'handel' });
    await expect(team2.desk.callBanner).toBeVisible();
    await expect(team2.page.getByTestId('call-mismatch')).toContainText('koppla till Team 1');
    await page.waitForTimeout(500);
    await expect(team1.callBanner).toHaveCount(0);
    await team2.page.keyboard.press('x');
    await expect(team2.desk.callBanner).toHaveCount(0);
  } finally {
    await team2.close();
  }
});
