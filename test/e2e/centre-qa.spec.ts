/**
 * The customer centre's questions and answers end to end, in Swedish and in Finnish: a lead
 * writes a public and an internal article through the desk's feed, a SuperUser (of a company the
 * lead creates, invited by mail) finds the public one in the centre's search (by keyboard: ↓ and
 * Enter) and never the internal one, reads it, and sees it suggested while typing a new case's
 * title, opened inside the form without losing what was typed. Every screen checked with axe and
 * photographed at phone (390×844) and desk width.
 */
import type { Page } from '@playwright/test';
import { MODULE_LABELS, ROUTES } from '../../shared/index';
import { api, login, request } from '../support/http';
import { Desk } from '../support/cases';
import { expectAccessible } from './a11y';
import { relayed } from './env';
import { expect, test } from './fixtures';

const PHONE = { width: 390, height: 844 };
const DESK = { width: 1280, height: 900 };
const PASSWORD = 'hjortronsylt på sjätte milen 2026';

const WORDS = {
  sv: {
    setPassword: 'Nytt lösenord', confirm: 'Upprepa lösenordet', save: 'Spara lösenord och logga in', qa: 'Frågor och svar', search: 'Sök i kunskapsdatabasen',
    newCase: 'Registrera ärende', title: 'Rubrik', description: 'Beskrivning', suggest: 'Kanske finns svaret redan här', back: 'Tillbaka till Frågor och svar',
    publicTitle: 'Kvittoskannern läser inte beloppen', publicBody: 'Fotografera kvittot i **bra ljus**.\n\n- Håll kameran rakt ovanför.\n- Välj rätt valuta innan du skannar kvittona.',
    internalTitle: 'Intern: kvittoskannerns felkoder', internalBody: 'Bara för specialister: kvittoskannerns felkoder i loggen.',
    query: 'kvittoskanner', typed: 'Kvittoskannern visar fel belopp',
  },
  fi: {
    setPassword: 'Uusi salasana', confirm: 'Toista salasana', save: 'Tallenna salasana ja kirjaudu', qa: 'UKK', search: 'Hae tietopankista',
    newCase: 'Kirjaa asia', title: 'Otsikko', description: 'Kuvaus', suggest: 'Ehkä vastaus löytyy jo täältä', back: 'Takaisin UKK:hon',
    publicTitle: 'Kuittiskanneri ei lue summia', publicBody: 'Kuvaa kuitti **hyvässä valossa**.\n\n- Pidä kamera suoraan kuitin yläpuolella.\n- Valitse oikea valuutta ennen kuin skannaat kuitit.',
    internalTitle: 'Sisäinen: kuittiskannerin virhekoodit', internalBody: 'Vain asiantuntijoille: kuittiskannerin virhekoodit lokissa.',
    query: 'kuittiskannerit', typed: 'Kuittiskanneri näyttää väärän summan',
  },
} as const;

async function shoot(page: Page, lang: string, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screenshots/${lang}-${name}.png`, fullPage: true });
}

async function invitationLink(email: string): Promise<string> {
  let link = '';
  await expect
    .poll(
      () => {
        const mail = relayed().find((m) => m.to.includes(email) && /#\/invitation\//.test(m.text));
        link = /(http\S+#\/invitation\/[A-Za-z0-9_-]{43})/.exec(mail?.text ?? '')?.[1] ?? '';
        return link;
      },
      { timeout: 20_000 },
    )
    .not.toBe('');
  return link;
}

for (const lang of ['sv', 'fi'] as const) {
  test(`a SuperUser finds the public article in the centre's questions and answers and is offered it while typing a case's title, never the internal one (${lang})`, async ({ browser, server }) => {
    test.setTimeout(150_000);
    const w = WORDS[lang];
    const tag = Date.now().toString(36);
    const lead = server.admin.token;

    // The lead's own customer and SuperUser, and the invitation through the outgoing queue.
    const created = await request<{ customer: { id: string } }>(server.url, 'POST', ROUTES.customers, {
      token: lead,
      json: { name: `Frågekund ${lang} ${tag}`, orgNumber: `QA-${lang}-${tag}`, country: lang === 'fi' ? 'FI' : 'SE', language: lang, industry: 'retail', licensedModules: ['finance', 'mobile'], paymentStatus: 'ok', superUserQuota: 2 },
    });
    expect(created.status, created.text).toBe(201);
    const email = `qa-${lang}-${tag}@kund.example`;
    const contact = await request<{ contact: { id: string } }>(server.url, 'POST', ROUTES.customerContacts(created.body.customer.id), {
      token: lead,
      json: { name: lang === 'fi' ? 'Kaisa Kysyjä' : 'Frida Frågvis', email, superUser: true, trainedModules: ['finance', 'mobile'] },
    });
    expect(contact.status, contact.text).toBe(201);
    const invited = await request(server.url, 'POST', ROUTES.centreInvitations, { token: lead, json: { contactId: contact.body.contact.id } });
    expect(invited.status, invited.text).toBe(200);

    // A public and an internal article, written as a desk writes them.
    const desk = new Desk(api(server, await login(server.url, server.leadEmail, server.password)));
    const publicId = `qa-e2e-${lang}-${tag}-public`;
    const pushed = await desk.push(
      desk.mutation('saveArticle', { id: publicId, language: lang, module: 'mobile', public: true, title: w.publicTitle, body: w.publicBody }),
      desk.mutation('saveArticle', { id: `qa-e2e-${lang}-${tag}-internal`, language: lang, module: 'mobile', public: false, title: w.internalTitle, body: w.internalBody }),
    );
    expect(pushed.results.map((r) => r.status)).toEqual(['applied', 'applied']);

    const context = await browser.newContext({ viewport: PHONE, locale: lang === 'fi' ? 'fi-FI' : 'sv-SE', timezoneId: lang === 'fi' ? 'Europe/Helsinki' : 'Europe/Stockholm' });
    const page = await context.newPage();
    try {
      await page.goto(await invitationLink(email));
      await page.getByLabel(w.setPassword).fill(PASSWORD);
      await page.getByLabel(w.confirm).fill(PASSWORD);
      await page.getByRole('button', { name: w.save }).click();

      // The search, as the customer types: folded and inflected, the internal article never.
      await page.getByRole('link', { name: w.qa, exact: true }).click();
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expectAccessible(page, 'centre-qa');
      const box = page.getByLabel(w.search);
      await box.fill(w.query);
      const hits = page.locator('a.qa-hit');
      await expect(hits).toHaveCount(1);
      await expect(hits.first()).toContainText(w.publicTitle);
      await expect(hits.first()).toContainText(MODULE_LABELS.mobile[lang]);
      await expect(page.getByText(w.internalTitle)).toHaveCount(0);
      await expect(page.getByRole('status')).toContainText('1');
      await expectAccessible(page, 'centre-qa-results');
      await shoot(page, lang, 'centre-qa-phone');

      // By keyboard: ↓ to the answer, Enter opens it; the body shown as text, its bold as bold.
      await box.press('ArrowDown');
      await expect(hits.first()).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(page.getByRole('heading', { level: 1, name: w.publicTitle })).toBeVisible();
      await expect(page.locator('.article-body strong')).toHaveText(lang === 'fi' ? 'hyvässä valossa' : 'bra ljus');
      await expect(page.locator('.article-body li')).toHaveCount(2);
      await expectAccessible(page, 'centre-qa-article');
      await shoot(page, lang, 'centre-qa-article-phone');
      await page.setViewportSize(DESK);
      await shoot(page, lang, 'centre-qa-article-desk');
      // Back: the search is as it was left.
      await page.getByRole('link', { name: w.back }).click();
      await expect(page.getByLabel(w.search)).toHaveValue(w.query);
      await expect(hits).toHaveCount(1);
      await shoot(page, lang, 'centre-qa-desk');

      // While typing a new case's title: suggested, opened inside the form, the typed text kept.
      await page.setViewportSize(PHONE);
      await page.getByRole('link', { name: w.newCase }).click();
      await page.getByLabel(w.description).fill(lang === 'fi' ? 'Summat jäävät tyhjiksi.' : 'Beloppen blir tomma.');
      await page.getByLabel(w.title).pressSequentially(w.typed, { delay: 15 });
      const suggestions = page.getByRole('region', { name: w.suggest });
      await expect(suggestions).toBeVisible();
      await expect(suggestions.getByText(w.publicTitle)).toBeVisible();
      await expect(page.getByText(w.internalTitle)).toHaveCount(0);
      // No focus stolen: the title keeps it.
      await expect(page.getByLabel(w.title)).toBeFocused();
      await expectAccessible(page, 'centre-qa-suggestions');
      await suggestions.getByText(w.publicTitle).click();
      await expect(suggestions.locator('.article-body strong')).toBeVisible();
      await expect(page.getByLabel(w.title)).toHaveValue(w.typed);
      await expect(page.getByLabel(w.description)).toHaveValue(lang === 'fi' ? 'Summat jäävät tyhjiksi.' : 'Beloppen blir tomma.');
      await expectAccessible(page, 'centre-qa-suggestion-open');
      await shoot(page, lang, 'centre-qa-suggestions-phone');
      await page.setViewportSize(DESK);
      await shoot(page, lang, 'centre-qa-suggestions-desk');
    } finally {
      await context.close();
    }
  });
}
