/**
 * The desk's mail UI in Swedish and Finnish: the thread in the timeline (mail told apart from
 * notes, a reply's state, the formatted view sanitised in the real browser with its CSP), the
 * composer's two modes, a reply written offline that waits in the outbox and reaches the server
 * exactly once, and the office's unmatched mail. Axe and a screenshot of each screen.
 *
 * The thread's mail is seeded into the server's store by the global setup (mailSeed.ts), with a
 * hostile HTML part the real route serves. The review view's list is answered by `page.route` so
 * each language run sees the same two items whatever the other specs did; the server's review
 * routes are tested with real mail in test/server/mail and mail-flow.spec.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mailData, type MailReviewItem } from '../../shared/index';
import { expectAccessible } from './a11y';
import { ServerApi } from './env';
import { loginAs, expect, test } from './fixtures';
import { CasePage } from './pages/CasePage';
import { E2E_MAIL_FILE, type MailFixtures } from './mailSeed';

const DIR = 'test-results/screenshots';
const mailFixtures = (): MailFixtures => JSON.parse(readFileSync(join(process.cwd(), E2E_MAIL_FILE), 'utf8')) as MailFixtures;

const WORDS = {
  sv: {
    in: 'E-post från kunden',
    auto: 'Automatiskt svar',
    failed: 'Kunde inte skickas',
    queued: 'Väntar på att skickas',
    formatted: 'Visa formaterad',
    images: 'Visa bilder',
    send: 'Skicka till kunden',
    save: 'Spara anteckning',
    replyTo: 'Skickas som e-post till',
    note: 'Syns bara för SoftOne',
    review: 'Ej kopplad e-post',
    offlineReview: 'Listan kräver anslutning',
    reason: 'Avsändaren finns inte bland kontaktpersonerna',
    confirm: 'Ja, avfärda',
  },
  fi: {
    in: 'Sähköposti asiakkaalta',
    auto: 'Automaattinen vastaus',
    failed: 'Lähetys epäonnistui',
    queued: 'Odottaa lähetystä',
    formatted: 'Näytä muotoiltuna',
    images: 'Näytä kuvat',
    send: 'Lähetä asiakkaalle',
    save: 'Tallenna muistiinpano',
    replyTo: 'Lähetetään sähköpostina osoitteeseen',
    note: 'Näkyy vain SoftOnelle',
    review: 'Kohdistamattomat sähköpostit',
    offlineReview: 'Luettelo vaatii yhteyden',
    reason: 'Lähettäjä ei ole kenenkään asiakkaan yhteyshenkilö',
    confirm: 'Kyllä, hylkää',
  },
} as const;


for (const lang of ['sv', 'fi'] as const) {
  const w = WORDS[lang];

  test(`the mail thread and the composer's modes (${lang})`, async ({ page, server }) => {
    // Five axe runs and a reload on a 2000-case desk.
    test.setTimeout(240_000);
    const shot = (name: string) => page.screenshot({ path: `${DIR}/${lang}-${name}.png`, fullPage: true });
    const fx = mailFixtures();
    const remote: string[] = [];
    page.on('request', (r) => {
      if (/tracker\.example|phish\.example/.test(r.url())) remote.push(r.url());
    });
    const desk = await loginAs(page, server.team1[0]!, lang);
    const detail = new CasePage(page);
    await desk.lookup(String(fx.thread));
    await detail.expectNumber(fx.thread);
    const mails = page.getByTestId('mail-event');
    await expect(mails).toHaveCount(3);
    await expect(mails.nth(0)).toContainText(w.in);
    await expect(mails.nth(0)).toContainText(fx.threadFrom);
    await expect(mails.nth(1)).toContainText(w.auto);
    await expect(mails.nth(2).getByTestId('mail-status')).toHaveText(w.failed);
    await expect(mails.nth(2).getByTestId('mail-error')).toContainText('452 4.2.2 Mailbox full');
    await mails.nth(0).scrollIntoViewIfNeeded();
    await shot('mail-thread');
    await expectAccessible(page, `${lang}-mail-thread`);

    // Formatted: sanitised, nothing runs, nothing remote loads, nothing covers the desk.
    const toggle = mails.nth(0).getByTestId('mail-formatted-toggle');
    await expect(toggle).toHaveText(w.formatted);
    await toggle.click();
    const html = mails.nth(0).getByTestId('mail-html');
    await expect(html).toContainText('momsen');
    await expect(html.locator('script, form, input, iframe, [onerror], [style]')).toHaveCount(0);
    await expect(html.locator('a[href="https://softone.se/faq"]')).toHaveAttribute('rel', 'noopener noreferrer');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
    expect(remote).toEqual([]);
    // The case's own controls are still where they were, not under the mail.
    const topOfBack = await page.locator('.case-head .back').boundingBox();
    expect(await page.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.closest('.case-head') !== null, [topOfBack!.x + 4, topOfBack!.y + 4])).toBe(true);
    await expect(mails.nth(0).getByTestId('mail-show-images')).toHaveText(w.images);
    await html.scrollIntoViewIfNeeded();
    await shot('mail-formatted');
    await expectAccessible(page, `${lang}-mail-formatted`);

    // The composer: a note first, Alt+S to the reply (this case's contact has an address).
    const composer = page.getByTestId('composer');
    await page.keyboard.press('m');
    await expect(page.getByTestId('note-input')).toBeFocused();
    await expect(composer).toHaveAttribute('data-mode', 'note');
    await expect(page.getByTestId('composer-hint')).toContainText(w.note);
    await expect(page.getByTestId('note-submit')).toHaveText(w.save);
    await page.keyboard.type('Momsen: kontrollera kodningen');
    await composer.scrollIntoViewIfNeeded();
    await shot('composer-note');
    await expectAccessible(page, `${lang}-composer-note`);
    await page.keyboard.press('Alt+s');
    await expect(composer).toHaveAttribute('data-mode', 'reply');
    await expect(page.getByTestId('reply-input')).toBeFocused();
    await expect(page.getByTestId('composer-hint')).toHaveText(`${w.replyTo} ${fx.threadFrom}`);
    await expect(page.getByTestId('reply-submit')).toHaveText(w.send);
    await expect(page.getByTestId('reply-quote')).toBeVisible();
    await page.keyboard.type('Hej! Vi tittar på fakturan.');
    await shot('composer-reply');
    await expectAccessible(page, `${lang}-composer-reply`);
    // The drafts stay (this case is read only for the tests: nothing is sent).
    await page.reload();
    await desk.ready();
    await desk.lookup(String(fx.thread));
    await expect(page.getByTestId('composer')).toHaveAttribute('data-mode', 'reply');
    await expect(page.getByTestId('reply-input')).toHaveValue('Hej! Vi tittar på fakturan.');
    await page.getByTestId('composer-mode-note').check();
    await expect(page.getByTestId('note-input')).toHaveValue('Momsen: kontrollera kodningen');
    await page.getByTestId('note-input').fill('');
    await page.getByTestId('composer-mode-reply').check();
    await page.getByTestId('reply-input').fill('');
  });

  test(`a reply written offline waits in the outbox and reaches the server once (${lang})`, async ({ page, context, server }) => {
    const fx = mailFixtures();
    const n = lang === 'sv' ? fx.replySv : fx.replyFi;
    const text = `Hej! Svar skrivet offline (${lang}) ${Date.now()}`;
    const desk = await loginAs(page, server.team1[0]!, lang);
    const detail = new CasePage(page);
    await desk.lookup(String(n));
    await detail.expectNumber(n);
    await expect(page.getByTestId('composer')).toBeVisible();

    await context.setOffline(true);
    await desk.expectOffline();
    await page.keyboard.press('r');
    await expect(page.getByTestId('reply-input')).toBeFocused();
    await page.keyboard.type(text);
    await page.keyboard.press('Control+Enter');
    const pending = page.getByTestId('timeline-pending').filter({ hasText: text });
    await expect(pending).toContainText(w.queued);
    await expect(detail.pending()).toBeVisible();
    await expect(page.getByTestId('reply-input')).toHaveValue('');
    await pending.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${DIR}/${lang}-mail-reply-offline.png`, fullPage: true });
    await expectAccessible(page, `${lang}-mail-reply-offline`);

    await context.setOffline(false);
    await desk.expectOnline();
    await detail.expectSynced();
    const api = await ServerApi.login(server.team1[0]!);
    const onServer = (await api.events(n)).filter((e) => e.kind === 'mail' && e.text === text);
    expect(onServer).toHaveLength(1);
    expect(mailData(onServer[0]!.data)).toMatchObject({ direction: 'out' });
    // The desk shows the server's copy, in the state the server has (queued until the relay took
    // it; with the server's outgoing queue merged the state may move on, so compare until equal).
    const shown = page.getByTestId('mail-event').filter({ hasText: text });
    await expect(shown).toHaveCount(1);
    await expect
      .poll(async () => {
        const served = (await api.events(n)).find((e) => e.kind === 'mail' && e.text === text);
        const status = served ? mailData(served.data)?.status : undefined;
        const desk = await shown.getAttribute('data-status');
        return desk === status ? 'same' : `desk ${desk}, server ${status}`;
      })
      .toBe('same');
    await expect(page.getByTestId('timeline-pending').filter({ hasText: text })).toHaveCount(0);
  });

  // The e2e server sends through the global setup's SMTP relay.
  test(`a reply is shown sent once the relay accepted it (${lang})`, async ({ page, server }) => {
    const fx = mailFixtures();
    const n = lang === 'sv' ? fx.replySv : fx.replyFi;
    const text = `Hej! Skickat via reläet (${lang}) ${Date.now()}`;
    const desk = await loginAs(page, server.team1[0]!, lang);
    await desk.lookup(String(n));
    // The composer's key works once the case is open: wait for it, as a specialist would look.
    await new CasePage(page).expectNumber(n);
    await page.keyboard.press('r');
    await page.keyboard.type(text);
    await page.keyboard.press('Control+Enter');
    const shown = page.getByTestId('mail-event').filter({ hasText: text });
    await expect(shown).toHaveAttribute('data-status', 'sent', { timeout: 30_000 });
    await expect(shown.getByTestId('mail-subject')).toContainText(`#${n}]`);
  });

  test(`the office's unmatched mail (${lang})`, async ({ page, context, server }) => {
    test.setTimeout(180_000);
    const shot = (name: string) => page.screenshot({ path: `${DIR}/${lang}-${name}.png`, fullPage: true });
    // The list is answered here (see the head of this file); the desk's own logic runs for real.
    let items: MailReviewItem[] = [
      {
        id: 'r-1',
        office: lang === 'fi' ? 'FI' : 'SE',
        mailbox: lang === 'fi' ? 'tuki@softone.fi' : 'support@softone.se',
        from: 'okand.person@exempel-bygg.se',
        fromName: 'Okänd Person',
        subject: lang === 'fi' ? 'Palkka-ajo ei käynnisty' : 'Lönekörningen startar inte',
        excerpt: lang === 'fi' ? 'Hei, palkka-ajo pysähtyy virheeseen 42. Voitteko auttaa?' : 'Hej, lönekörningen stannar på fel 42. Kan ni hjälpa oss?',
        receivedAt: new Date(Date.now() - 3_600_000).toISOString(),
        reason: 'unknown_sender',
        caseNumber: null,
        attachmentCount: 1,
      },
      {
        id: 'r-2',
        office: lang === 'fi' ? 'FI' : 'SE',
        mailbox: lang === 'fi' ? 'tuki@softone.fi' : 'support@softone.se',
        from: null,
        fromName: null,
        subject: '',
        excerpt: '',
        receivedAt: new Date(Date.now() - 7_200_000).toISOString(),
        reason: 'unreadable',
        caseNumber: null,
        attachmentCount: 0,
      },
    ];
    const dismissed: string[] = [];
    await page.route((url) => url.pathname === '/api/mail/review', (route) => route.fulfill({ json: { items } }));
    await page.route('**/api/mail/review/*/dismiss', (route) => {
      const id = route.request().url().split('/').slice(-2)[0]!;
      dismissed.push(id);
      items = items.filter((i) => i.id !== id);
      return route.fulfill({ json: { ok: true } });
    });
    const desk = await loginAs(page, server.team1[0]!, lang);
    // The top bar counts what waits.
    await expect(page.getByTestId('mail-review-badge')).toHaveText('2');
    await page.getByTestId('queue-count').click();
    await page.keyboard.press('u');
    const view = page.getByTestId('mail-review');
    await expect(view.getByRole('heading', { level: 1 })).toHaveText(w.review);
    const list = page.getByTestId('mail-review-item');
    await expect(list).toHaveCount(2);
    await expect(list.first().getByTestId('mail-review-reason')).toHaveText(w.reason);
    await shot('mail-review');
    await expectAccessible(page, `${lang}-mail-review`);

    await list.first().getByTestId('review-link').click();
    await expect(list.first().getByTestId('review-contact-search')).toBeFocused();
    await shot('mail-review-link');
    await expectAccessible(page, `${lang}-mail-review-link`);
    await list.first().getByTestId('review-create').click();
    await expect(list.first().getByTestId('review-contact-name')).toHaveValue('Okänd Person');
    await expectAccessible(page, `${lang}-mail-review-create`);

    // Dismiss only after confirming.
    await list.nth(1).getByTestId('review-dismiss').click();
    await expect(list.nth(1).getByTestId('review-dismiss-confirm')).toHaveText(w.confirm);
    expect(dismissed).toEqual([]);
    await list.nth(1).getByTestId('review-dismiss-confirm').click();
    await expect(list).toHaveCount(1);
    expect(dismissed).toEqual(['r-2']);
    await expect(page.getByTestId('mail-review-badge')).toHaveText('1');

    // Offline it says why there is no list.
    await context.setOffline(true);
    await desk.expectOffline();
    await expect(page.getByTestId('mail-review-offline')).toContainText(w.offlineReview);
    await expect(list).toHaveCount(0);
    await expectAccessible(page, `${lang}-mail-review-offline`);
    await context.setOffline(false);
    await desk.expectOnline();
    await expect(list).toHaveCount(1);
  });
}
