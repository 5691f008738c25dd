import { ServerApi } from './env';
import { loginAs, expect, test } from './fixtures';
import { CasePage } from './pages/CasePage';

test('moves a case along its flow, assigns it, adds a note — and the server has it', async ({ page, server }) => {
  const desk = await loginAs(page, server.team1[0]!);
  const n = server.fixtures.newSupportTeam1[1]!;
  const detail = new CasePage(page);
  await desk.lookup(String(n));
  await detail.expectNumber(n);
  await expect(detail.status).toHaveText('Nytt');
  await expect(page.getByTestId('flow-steps').locator('[aria-current="step"]')).toHaveText('Nytt');

  await detail.transition('line1');
  await expect(detail.status).toHaveText('1:a linje');
  await page.getByTestId('assign-me').click();
  await detail.addNote('Kunden ringde om lönekörningen.');
  await expect(page.getByTestId('timeline')).toContainText('Kunden ringde om lönekörningen.');
  await detail.expectSynced();

  const api = await ServerApi.login(server.team1[0]!);
  const c = await api.caseByNumber(n);
  expect(c.status).toBe('line1');
  expect(c.handlingStartedAt).not.toBeNull();
  const events = await api.events(n);
  expect(events.filter((e) => e.kind === 'status')).toHaveLength(1);
  expect(events.some((e) => e.kind === 'note' && e.text === 'Kunden ringde om lönekörningen.')).toBe(true);
  expect(await page.getByTestId('case-assignee').innerText()).not.toBe('Ingen');

  // Esc leaves the note field: the next "/" goes to the lookup, and the draft stays as it was.
  const note = page.getByTestId('note-input');
  await note.fill('utkast');
  await note.press('Escape');
  await expect(note).not.toBeFocused();
  await page.keyboard.press('/');
  await expect(desk.lookupInput).toBeFocused();
  await expect(note).toHaveValue('utkast');
});

test('says why an order cannot leave the cost proposal, until the customer is informed of billing', async ({ page, server }) => {
  const desk = await loginAs(page, server.team1[0]!);
  const n = server.fixtures.orderAwaitingBilling;
  const detail = new CasePage(page);
  await desk.lookup(String(n));
  await detail.expectNumber(n);
  await expect(detail.status).toHaveText('Kostnadsförslag');
  await expect(page.getByTestId('transition-refused')).toContainText('Kunden har inte informerats om debitering.');
  await expect(page.getByTestId('transition-planned')).toHaveCount(0);
  await page.getByTestId('mark-billing').click();
  await expect(page.getByTestId('billing-informed')).toBeVisible();
  await expect(page.getByTestId('transition-planned')).toBeVisible();
  await expect(page.getByTestId('transition-refused')).toHaveCount(0);
  await detail.expectSynced();
  expect((await (await ServerApi.login(server.team1[0]!)).caseByNumber(n)).billingInformed).toBe(true);
});
