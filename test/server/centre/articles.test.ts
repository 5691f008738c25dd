/** What the centre's search shows of an article's body: plain text, and a piece around the first match. */
import { describe, expect, it } from 'vitest';
import { plainText, shownToCustomer, snippetOf } from '../../../server/centre/articles';
import { termsOf } from '../../../shared/textTerms';

const LONG = `${'Inledning om perioder och rapporter. '.repeat(8)}Här står det viktiga om lönekörningen och attesten. ${'Avslutning med fler ord om annat. '.repeat(6)}`.trim();

describe('the centre\'s snippets', () => {
  it('drops the bold and list marks and folds the lines into one', () => {
    expect(plainText('Gå till **Ekonomi**.\n\n- Kontrollera.\n- Stäng.')).toBe('Gå till Ekonomi. Kontrollera. Stäng.');
  });

  it('shows a short body whole and a long one around its first matching word, cut at words', () => {
    expect(snippetOf('Kort text.', termsOf('kort'))).toBe('Kort text.');
    const s = snippetOf(LONG, termsOf('lönekörningar'), 120);
    expect(s).toContain('lönekörningen');
    expect(s.startsWith('… ')).toBe(true);
    expect(s.endsWith(' …')).toBe(true);
    expect(s.length).toBeLessThanOrEqual(124);
    // Whole words at both ends.
    const inner = s.slice(2, -2);
    expect(LONG).toContain(inner);
    expect(LONG[LONG.indexOf(inner) - 1]).toBe(' ');
    // No match (the title matched): the body's start.
    expect(snippetOf(LONG, [], 120).startsWith('Inledning')).toBe(true);
  });

  it('shows a customer only public, live articles of their language', () => {
    const a = { id: 'a', language: 'sv', module: 'finance', title: 't', body: 'b', public: true, updatedAt: '2026-01-01T00:00:00.000Z', updatedBy: 's', deletedAt: null } as const;
    expect(shownToCustomer(a, 'sv')).toBe(true);
    expect(shownToCustomer(a, 'fi')).toBe(false);
    expect(shownToCustomer({ ...a, public: false }, 'sv')).toBe(false);
    expect(shownToCustomer({ ...a, deletedAt: '2026-01-02T00:00:00.000Z' }, 'sv')).toBe(false);
    expect(shownToCustomer(null, 'sv')).toBe(false);
  });
});
