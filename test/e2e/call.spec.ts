import { randomUUID } from 'node:crypto';
import { ServerApi } from './env';
import { loginAs, otherDesk, expect, test } from './fixtures';
import { CasePage } from './pages/CasePage';
import { NewCasePage } from './pages/NewCasePage';

test('a call to the phone switch pops the banner in the right team only, one key starts a case from it or opens one and logs the call', async ({ page, browser, server }) => {
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

    // The caller rings again about an open case: one key opens it, and the call is in its history.
    const again = randomUUID();
    await api.cti({ event: 'newCall', from: caller.phone, to: '+46812345001', direction: 'in', callId: again, queue: 'hantverk' });
    await expect(team1.callBanner).toBeVisible();
    await page.keyboard.press('o');
    await expect(team1.callBanner).toHaveCount(0);
    const opened = new CasePage(page);
    await expect(opened.root).toBeVisible();
    const n = Number(await opened.root.getAttribute('data-number'));
    await expect(page.getByTestId('timeline')).toContainText(`Samtal från ${caller.contactName}`, { timeout: 15_000 });
    await opened.expectSynced();
    const call = await api.callBySwitchId(again);
    const me = await (await ServerApi.login(server.team1[0]!)).me();
    const logged = (await api.events(n)).filter((e) => e.kind === 'call');
    expect(logged).toEqual([expect.objectContaining({ actorId: me, data: expect.objectContaining({ callId: call?.id, name: caller.contactName }) })]);
    await opened.back();

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
