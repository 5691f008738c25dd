/**
 * The digital customer centre end to end, in Swedish and in Finnish: a lead invites a SuperUser,
 * the invitation's link (from the mail the SMTP relay received) sets a password on a phone-sized
 * screen, the SuperUser registers a bug with a screenshot pasted into the form (a file of a kind
 * not allowed is refused by name and removed by key), the right team's desk (open before) shows
 * it in its queue within a second and the screenshot on the case; the specialist types a public
 * reply in the desk's composer and an internal note; the centre shows the reply and the
 * screenshot, not the note; the customer answers from the reply box with a file. Every screen
 * checked with axe and photographed at phone (390×844) and desk width.
 */
import { CATEGORY_LABELS, MODULE_LABELS, teamOfIndustry } from '../../shared/index';
import { exeBytes } from '../support/png';
import { CasePage } from './pages/CasePage';
import { expectAccessible } from './a11y';
import { ServerApi } from './env';
import { expect, otherDesk, test } from './fixtures';
import { CENTRE_PASSWORD, customerPage, DESK, invite, pickSuperUser, SET_PASSWORD_WORDS, shoot } from './centreSupport';

const WORDS = {
  sv: { heading: 'Ärenden', newCase: 'Registrera ärende', module: 'Modul', title: 'Rubrik', description: 'Beskrivning', level2: 'Servicenivå 2', submit: 'Registrera ärendet', reply: 'Ditt svar', send: 'Skicka svar', sent: 'Ditt svar är skickat.', open: 'Visa ärendet', screenshot: /^Skärmbild \d{4}-\d\d-\d\d \d\d\.\d\d\.\d\d\.png$/, refused: 'Filer av den här typen kan inte bifogas: verktyg.exe.', remove: 'Ta bort verktyg.exe', preview: 'Förhandsvisning av Skärmbild', myCases: 'Mina ärenden' },
  fi: { heading: 'Asiat', newCase: 'Kirjaa asia', module: 'Moduuli', title: 'Otsikko', description: 'Kuvaus', level2: 'Palvelutaso 2', submit: 'Kirjaa asia', reply: 'Vastauksesi', send: 'Lähetä vastaus', sent: 'Vastauksesi on lähetetty.', open: 'Näytä asia', screenshot: /^Kuvakaappaus \d{4}-\d\d-\d\d \d\d\.\d\d\.\d\d\.png$/, refused: 'Tämäntyyppisiä tiedostoja ei voi liittää: verktyg.exe.', remove: 'Poista verktyg.exe', preview: 'Esikatselu: Kuvakaappaus', myCases: 'Omat asiat' },
} as const;

for (const lang of ['sv', 'fi'] as const) {
  test(`a SuperUser invited by a lead registers a case with a screenshot in the customer centre, which the team's desk shows at once and answers (${lang})`, async ({ browser, server }) => {
    test.setTimeout(240_000);
    const w = WORDS[lang];
    const p = SET_PASSWORD_WORDS[lang];
    const { contact, customer, module } = await pickSuperUser(lang, [server.fixtures.customerTeam1, server.fixtures.callerTeam1.customerName]);
    const team = teamOfIndustry(customer.industry);
    const specialistEmail = (team === 1 ? server.team1 : server.team2).at(-1) ?? '';

    // The lead's invitation, mailed through the outgoing queue to the relay.
    const link = await invite(contact.id, contact.email);

    const { page, close } = await customerPage(browser, lang);
    const desk = await otherDesk(browser, specialistEmail, lang);
    try {
      await page.goto(link);
      await expect(page.getByLabel(p.setPassword)).toBeVisible();
      await expectAccessible(page, 'centre-set-password');
      await shoot(page, lang, 'centre-set-password-phone');
      await page.getByLabel(p.setPassword).fill(CENTRE_PASSWORD);
      await page.getByLabel(p.confirm).fill(CENTRE_PASSWORD);
      await page.getByRole('button', { name: p.save }).click();
      await expect(page.getByRole('heading', { level: 1, name: w.heading })).toBeVisible();
      await expectAccessible(page, 'centre-cases');
      await shoot(page, lang, 'centre-cases-phone');

      // The team's desk, open before, sorted newest number first.
      await desk.page.getByTestId('sort-number').click();
      await desk.page.getByTestId('sort-number').click();

      // Register a bug at service level 2.
      await page.getByRole('link', { name: w.newCase }).click();
      await expect(page.getByRole('heading', { level: 1, name: w.newCase })).toBeVisible();
      const title = `${lang === 'fi' ? 'Raportti ei tulostu' : 'Rapporten skrivs inte ut'} ${Date.now().toString(36)}`;
      await page.getByLabel(w.module).selectOption({ label: MODULE_LABELS[module][lang] });
      await page.getByRole('radio', { name: CATEGORY_LABELS.bug[lang] }).check();
      await page.getByRole('radio', { name: w.level2 }).check();
      await expectAccessible(page, 'centre-new-case');
      await shoot(page, lang, 'centre-new-case-phone');
      // An empty title is refused on the field, in the customer's language, before anything is sent.
      await page.getByRole('button', { name: w.submit }).click();
      await expect(page.getByLabel(w.title)).toHaveAttribute('aria-invalid', 'true');
      await page.getByLabel(w.title).fill(title);
      await page.getByLabel(w.description).fill(lang === 'fi' ? 'Tulostus pysähtyy virheeseen.' : 'Utskriften stannar med ett fel.');

      // A screenshot (a real PNG: the desk's screen) pasted with Ctrl+V into the description.
      const png = await desk.page.screenshot();
      await page.getByLabel(w.description).evaluate((el, b64) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const data = new DataTransfer();
        data.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
        el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      }, png.toString('base64'));
      const chosen = page.getByTestId('chosen-file');
      await expect(chosen).toHaveCount(1);
      await expect(chosen.first()).toHaveAttribute('data-state', 'done');
      const shotName = (await chosen.first().locator('.file-name').innerText()).trim();
      expect(shotName).toMatch(w.screenshot);
      await expect(chosen.first().locator('img.thumb')).toBeVisible();
      // A program is refused by name, in the customer's language, and removed by keyboard.
      await page.getByTestId('file-input').setInputFiles({ name: 'verktyg.exe', mimeType: 'application/octet-stream', buffer: exeBytes() });
      await expect(page.getByRole('alert').filter({ hasText: w.refused })).toBeVisible();
      await expectAccessible(page, 'centre-new-case-files');
      await shoot(page, lang, 'centre-new-case-files-phone');
      await page.getByRole('button', { name: w.remove }).focus();
      await page.keyboard.press('Enter');
      await expect(chosen).toHaveCount(1);
      // Focus stays in the list: on the screenshot's remove button.
      await expect(chosen.first().getByRole('button')).toBeFocused();

      await page.getByRole('button', { name: w.submit }).click();
      const done = page.getByRole('status').filter({ hasText: /\d+/ });
      await expect(done).toBeVisible();
      const number = Number(await page.locator('.big-number').innerText());
      expect(number).toBeGreaterThan(0);
      await shoot(page, lang, 'centre-registered-phone');

      // The right team's desk, open all along, shows it in its queue within a second.
      const row = desk.page.locator(`[data-testid="queue-row"][data-number="${number}"]`);
      await expect(row).toBeVisible({ timeout: 1_000 });
      const stored = await (await ServerApi.login(specialistEmail)).caseByNumber(number);
      expect(stored).toMatchObject({ channel: 'portal', team, customerId: customer.id, contactId: contact.id, category: 'bug', serviceLevel: 2, title });

      // The specialist opens it: the screenshot is on the case, shown as a preview.
      await desk.desk.lookup(String(number));
      const casePage = new CasePage(desk.page);
      await casePage.expectNumber(number);
      const deskFile = desk.page.getByTestId('timeline').getByTestId('file');
      await expect(deskFile).toHaveCount(1);
      await expect(deskFile.getByTestId('file-preview')).toBeVisible();
      await expect(deskFile.getByTestId('file-preview')).toHaveAttribute('alt', new RegExp(shotName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      await expectAccessible(desk.page, 'centre-case-on-desk');
      await shoot(desk.page, lang, 'centre-case-on-desk');

      // The specialist types a public reply in the composer (r, Ctrl+Enter), then an internal note (Alt+S switches).
      const reply = lang === 'fi' ? 'Hei! Tarkista tulostimen asetukset.' : 'Hej! Kontrollera skrivarinställningarna.';
      const note = `INTERN ${Date.now().toString(36)}: kunden har gammal drivrutin`;
      await desk.page.keyboard.press('r');
      await expect(desk.page.getByTestId('reply-input')).toBeFocused();
      await desk.page.keyboard.type(reply);
      await desk.page.keyboard.press('Control+Enter');
      await expect(desk.page.getByTestId('mail-event').filter({ hasText: reply })).toBeVisible();
      await desk.page.keyboard.press('Alt+s');
      await expect(desk.page.getByTestId('note-input')).toBeFocused();
      await desk.page.keyboard.type(note);
      await desk.page.keyboard.press('Control+Enter');
      await expect(desk.page.getByTestId('note-event').filter({ hasText: note })).toBeVisible();
      await casePage.expectSynced();

      // The centre shows the reply and the screenshot, never the note.
      await page.getByRole('link', { name: w.open }).click();
      await expect(page.getByText(reply)).toBeVisible();
      await expect(page.getByText(note)).toHaveCount(0);
      const caseFiles = page.getByTestId('case-file');
      await expect(caseFiles).toHaveCount(1);
      await expect(caseFiles.first()).toContainText(shotName);
      await expect(caseFiles.first().getByRole('img', { name: new RegExp(w.preview) })).toBeVisible();
      await expectAccessible(page, 'centre-case');
      await shoot(page, lang, 'centre-case-phone');
      // The link saves the file's bytes.
      const download = page.waitForEvent('download');
      await caseFiles.first().getByRole('link').click();
      expect((await download).suggestedFilename()).toBe(shotName);

      // The customer answers from the reply box with a log file: the case gets both like a mail.
      const answer = lang === 'fi' ? 'Kiitos, nyt toimii!' : 'Tack, nu fungerar det!';
      await page.getByLabel(w.reply).fill(answer);
      await page.getByTestId('file-input').setInputFiles({ name: 'utskrift.log', mimeType: 'text/plain', buffer: Buffer.from('12:01 skrivare: fel 0x2a\n') });
      await expect(page.getByTestId('chosen-file')).toHaveAttribute('data-state', 'done');
      await expectAccessible(page, 'centre-reply-files');
      await page.getByRole('button', { name: w.send }).click();
      await expect(page.getByText(w.sent)).toBeVisible();
      await expect(page.locator('.mail-in').getByText(answer)).toBeVisible();
      await expect(page.locator('.mail-in').getByTestId('case-file')).toContainText('utskrift.log');
      await expect(page.getByTestId('chosen-file')).toHaveCount(0);
      await expect.poll(async () => (await (await ServerApi.login(specialistEmail)).events(number)).some((e) => e.kind === 'mail' && e.text === answer)).toBe(true);
      await expect(desk.page.getByTestId('mail-event').filter({ hasText: answer }).getByTestId('file')).toContainText('utskrift.log');

      // The same screens at desk width.
      await page.setViewportSize(DESK);
      await expectAccessible(page, 'centre-case-desk');
      await shoot(page, lang, 'centre-case-desk');
      await page.getByRole('link', { name: w.newCase }).click();
      await expect(page.getByRole('heading', { level: 1, name: w.newCase })).toBeVisible();
      await shoot(page, lang, 'centre-new-case-desk');
      await page.getByRole('link', { name: w.myCases }).click();
      await expect(page.getByRole('link', { name: new RegExp(title) })).toBeVisible();
      await expectAccessible(page, 'centre-cases-desk');
      await shoot(page, lang, 'centre-cases-desk');
    } finally {
      await desk.close();
      await close();
    }
  });
}
