import { randomUUID } from 'node:crypto';
import { ServerApi } from './env';
import { callsHeardBy, loginAs, otherDesk, expect, test } from './fixtures';
import { CasePage } from './pages/CasePage';
import { NewCasePage } from './pages/NewCasePage';

test('a call to the phone switch pops the banner in the right team only, one key starts a case from it or opens one and logs the call', async ({ page, browser, server }) => {
  const heardByTeam1 = callsHeardBy(page);
  const team1 = await loginAs(page, server.team1[0]!);
  let heardByTeam2: string[] = [];
  const team2 = await otherDesk(browser, server.team2[0]!, 'sv', (p) => (heardByTeam2 = callsHeardBy(p)));
  try {
    const api = await ServerApi.login(server.leadEmail);
    const caller = server.fixtures.callerTeam1;

    // The caller chose option 1, their own team.
    const first = randomUUID();
    await api.cti({ event: 'newCall', from: caller.phone, to: '+46812345001', direction: 'in', callId: first, queue: 'hantverk' });
    await expect(team1.callBanner).toBeVisible();
    await expect(page.getByTestId('call-contact')).toHaveText(caller.contactName);
    await expect(page.getByTestId('call-customer')).toContainText(caller.customerName);
    await expect(page.getByTestId('call-mismatch')).toHaveCount(0);
    await expect(page.getByTestId('entitlement')).toBeVisible();
    // Team 2's desk shows nothing now, and at the end, once it has heard the call meant for it,
    // it is seen never to have heard this one.
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
    const wrongOption = randomUUID();
    await api.cti({ event: 'newCall', from: caller.phone, to: '+46812345002', direction: 'in', callId: wrongOption, queue: 'handel' });
    await expect(team2.desk.callBanner).toBeVisible();
    await expect(team2.page.getByTestId('call-mismatch')).toContainText('koppla till Team 1');
    await expect.poll(() => heardByTeam2).toEqual([wrongOption]);
    await expect(team1.callBanner).toHaveCount(0);
    await team2.page.keyboard.press('x');
    await expect(team2.desk.callBanner).toHaveCount(0);
    // A later call to Team 1, from a number nobody has, tells when Team 1's desk would have had
    // the wrong-option call: it never did.
    const later = randomUUID();
    await api.cti({ event: 'newCall', from: '+46700000009', to: '+46812345001', direction: 'in', callId: later, queue: 'hantverk' });
    await expect(team1.callBanner).toBeVisible();
    await expect.poll(() => heardByTeam1).toEqual([first, again, later]);
    await page.keyboard.press('x');
    await expect(team1.callBanner).toHaveCount(0);
  } finally {
    await team2.close();
  }
});
