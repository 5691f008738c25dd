/**
 * Answers, in Swedish and in Finnish: in a case's note box Alt+M inserts a reply template filled
 * for the case (the contact's first name, the case number), Alt+K finds a knowledge-base article
 * offline and inserts its link; the templates' screen (key s) creates a template that the
 * specialist's other desk then sees through the feed, and the knowledge base's screen (from the
 * lookup box's actions) lists the articles. Each screen is checked with axe and photographed.
 */
import { expectAccessible } from './a11y';
import { ServerApi } from './env';
import { loginAs, otherDesk, expect, test } from './fixtures';

const DIR = 'test-results/screenshots';

const WORDS = {
  sv: { template: 'tack arende', article: 'lonekorningen', templates: 'Svarsmallar', articles: 'Kunskapsbank', newTitle: 'Väntar på svar från kunden' },
  fi: { template: 'kiitos yhteyden', article: 'palkka ajoa', templates: 'Vastauspohjat', articles: 'Tietopankki', newTitle: 'Odotamme asiakkaan vastausta' },
} as const;

for (const lang of ['sv', 'fi'] as const) {
  test(`${lang}: Alt+M fills a template for the case, Alt+K inserts an article's link offline, and a new template reaches the other desk`, async ({ page, context, browser, server }) => {
    // Two desks sign in and sync on a machine others share: room for that, no timing asserted.
    test.setTimeout(180_000);
    const words = WORDS[lang];
    const email = server.team1[lang === 'sv' ? 0 : 1]!;
    const desk = await loginAs(page, email, lang);
    // The same specialist's other desk, signed in first: what it learns later comes through the feed.
    const other = await otherDesk(browser, email, lang);
    try {
      const api = await ServerApi.login(server.leadEmail);
      const all = await api.snapshot();
      const theCase = all.cases.find((c) => c.number === server.fixtures.bugTeam1)!;
      const contact = all.contacts.find((c) => c.id === theCase.contactId)!;
      const firstName = contact.name.split(' ')[0]!;

      await desk.lookup(String(theCase.number));
      const note = page.getByTestId('note-input');
      await note.focus();
      await note.pressSequentially('> ');

      // Alt+M: the templates, filtered as typed; Enter inserts the chosen one filled for the case.
      await page.keyboard.press('Alt+m');
      const picker = page.getByTestId('answer-picker');
      await expect(picker).toBeVisible();
      await expect(page.getByTestId('answer-search')).toBeFocused();
      await page.keyboard.type(words.template);
      await expect(page.getByTestId('answer-option').first()).toHaveAttribute('aria-selected', 'true');
      await expect(page.getByTestId('answer-preview')).toContainText(firstName);
      await expectAccessible(page, `${lang} template picker`);
      await page.screenshot({ path: `${DIR}/${lang}-template-picker.png` });
      await page.keyboard.press('Enter');
      await expect(picker).toHaveCount(0);
      await expect(note).toBeFocused();
      await expect(note).toHaveValue(new RegExp(`^> (Hej|Hei) ${firstName},`));
      await expect(note).toHaveValue(new RegExp(`${theCase.number}`));

      // Offline: Alt+K searches the cached knowledge base; Enter inserts the article's link.
      await context.setOffline(true);
      await desk.expectOffline();
      await page.keyboard.press('End');
      await page.keyboard.press('Alt+k');
      await expect(picker).toBeVisible();
      await page.keyboard.type(words.article);
      await expect(page.getByTestId('answer-option')).not.toHaveCount(0);
      await expectAccessible(page, `${lang} article picker`);
      await page.screenshot({ path: `${DIR}/${lang}-article-picker.png` });
      await page.keyboard.press('Enter');
      await expect(note).toHaveValue(/\/kb\/demo-article-(sv|fi)-\d+$/);
      await expect(note).toBeFocused();
      // Esc closes without inserting and leaves the text as it was.
      const before = await note.inputValue();
      await page.keyboard.press('Alt+k');
      await expect(page.getByTestId('answer-search')).toBeFocused();
      await page.keyboard.press('Escape');
      await expect(picker).toHaveCount(0);
      await expect(note).toHaveValue(before);
      await context.setOffline(false);
      await desk.expectOnline();

      // The templates' screen (s): a new personal template, with a field from the list.
      await note.fill('');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      await page.keyboard.press('s');
      const screen = page.getByTestId('answers-templates');
      await expect(screen.getByRole('heading', { name: words.templates, level: 1 })).toBeVisible();
      await screen.getByTestId('answers-new').click();
      // A missing title and text are said at their fields.
      await screen.getByTestId('answers-save').click();
      await expect(screen.getByTestId('answers-title')).toHaveAttribute('aria-invalid', 'true');
      await expect(screen.getByTestId('answers-body')).toHaveAttribute('aria-invalid', 'true');
      const title = `${words.newTitle} ${Date.now()}`;
      await screen.getByTestId('answers-title').fill(title);
      await screen.getByTestId('answers-language').selectOption(lang);
      await expect(screen.getByTestId('answers-scope')).toHaveValue('personal');
      await screen.getByTestId('answers-body').fill(lang === 'sv' ? 'Hej ' : 'Hei ');
      await screen.getByRole('group').getByRole('button').first().click();
      await expect(screen.getByTestId('answers-body')).toHaveValue(/\{contact\.firstName\}$/);
      await screen.getByTestId('answers-save').click();
      await expect(screen.getByTestId('answers-item').filter({ hasText: title })).toBeVisible();
      await expect(screen.getByTestId('answers-item').filter({ hasText: title }).locator('.chip.pending')).toHaveCount(0, { timeout: 15_000 });
      await expectAccessible(page, `${lang} templates screen`);
      await page.screenshot({ path: `${DIR}/${lang}-templates-screen.png`, fullPage: true });

      // The knowledge base's screen (b, or the lookup box's action) lists the demo articles.
      await desk.lookup(words.articles);
      const kb = page.getByTestId('answers-articles');
      await expect(kb.getByRole('heading', { name: words.articles, level: 1 })).toBeVisible();
      await expect(kb.getByTestId('answers-item')).not.toHaveCount(0);
      await kb.getByTestId('answers-item').first().click();
      await expect(kb.getByTestId('answers-link')).toContainText('/kb/');
      await expectAccessible(page, `${lang} knowledge base screen`);
      await page.screenshot({ path: `${DIR}/${lang}-knowledge-base-screen.png`, fullPage: true });

      // The specialist's other desk got the new template through the feed.
      await other.page.keyboard.press('s');
      await expect(other.page.getByTestId('answers-item').filter({ hasText: title })).toBeVisible({ timeout: 20_000 });
    } finally {
      await other.close();
    }
  });
}
