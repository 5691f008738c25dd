import { describe, expect, it } from 'vitest';
import type { Article } from '../../shared/index';
import { AnswerIndex, articleBlocks, articleText } from '../../renderer/src/model/answerSearch';

const article = (id: string, language: 'sv' | 'fi', title: string, body: string, module: Article['module'] = 'payroll'): Article => ({
  id,
  language,
  module,
  title,
  body,
  public: true,
  updatedAt: '2026-03-02T08:00:00.000Z',
  updatedBy: 'x',
  deletedAt: null,
});

const items = [
  article('1', 'sv', 'Lönekörningen går inte att attestera', 'Alla tidrapporter måste vara attesterade.'),
  article('2', 'sv', 'Fakturor skickas inte', 'Kontrollera e-fakturaadressen.', 'orders'),
  article('3', 'fi', 'Laskut eivät lähde', 'Tarkista verkkolaskuosoite.', 'orders'),
  article('4', 'fi', 'Palkka-ajoa ei voi hyväksyä', 'Kaikki tuntikirjaukset on hyväksyttävä.'),
];

describe('the answers\' search', () => {
  const index = new AnswerIndex(items, 'fi');

  it('lists the desk\'s language first when nothing is typed', () => {
    expect(index.search('').map((a) => a.id)).toEqual(['3', '4', '1', '2']);
  });

  it.each([
    ['without diacritics', 'lonekorningen', ['1']],
    ['plural and singular (Swedish stem)', 'faktura', ['2']],
    ['singular and plural (Finnish stem)', 'lasku', ['3']],
    ['a word being typed', 'attes', ['1']],
    ['every word must match', 'palkka hyvaksy', ['4']],
    ['the module\'s name in either language', 'tilaukset', ['2', '3']],
    ['nothing', 'tulostin', []],
  ])('finds %s', (_name, query, ids) => {
    expect(index.search(query).map((a) => a.id).sort()).toEqual([...ids].sort());
  });
});

describe('an article\'s text', () => {
  it('keeps the markdown subset as text: paragraphs, lists and bold, never HTML', () => {
    const body = 'Gå till **Ekonomi > Periodstängning**.\n\n- Kontrollera <b>verifikationerna</b>.\n- Stäng.\n\nKlart.';
    expect(articleBlocks(body)).toEqual([
      { kind: 'p', spans: [{ text: 'Gå till ', bold: false }, { text: 'Ekonomi > Periodstängning', bold: true }, { text: '.', bold: false }] },
      { kind: 'ul', items: [[{ text: 'Kontrollera <b>verifikationerna</b>.', bold: false }], [{ text: 'Stäng.', bold: false }]] },
      { kind: 'p', spans: [{ text: 'Klart.', bold: false }] },
    ]);
    expect(articleText(body)).toBe('Gå till Ekonomi > Periodstängning.\n\n- Kontrollera <b>verifikationerna</b>.\n- Stäng.\n\nKlart.');
  });
});
