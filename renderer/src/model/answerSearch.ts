/**
 * Finding an answer as the specialist types: templates and knowledge-base articles in one small
 * MiniSearch index per list, with the lookup's folding and Swedish and Finnish stems
 * (model/textSearch.ts), so "lonekorning" finds "Lönekörningen" and "laskut" finds "Lasku".
 * Built on the UI thread from the store (a few thousand answers at most: a few milliseconds),
 * so it works offline like everything the cache holds. No I/O.
 */
import MiniSearch from 'minisearch';
import { MODULE_LABELS, type Article, type Language, type Template } from '../../../shared/index';
import { termsOf, words, wordsQuery } from '../../../shared/textTerms';

// An article's body as text and as blocks is shared with the customer centre (shared/articleText.ts).
export { articleBlocks, articleText, type ArticleBlock, type Span } from '../../../shared/articleText';

interface AnswerDoc {
  id: string;
  title: string;
  body: string;
  extra: string;
}

export type Answer = { kind: 'template'; item: Template } | { kind: 'article'; item: Article };

/**
 * One list of answers, searchable. The specialist's language first when the query says nothing
 * (then by title); with a query, best match first.
 */
export class AnswerIndex<T extends Template | Article> {
  private readonly index = new MiniSearch<AnswerDoc>({
    fields: ['title', 'body', 'extra'],
    tokenize: (text) => words(text),
    processTerm: (term) => termsOf(term),
  });
  private readonly byId = new Map<string, T>();

  constructor(
    private readonly items: readonly T[],
    private readonly language: Language,
  ) {
    for (const item of items) this.byId.set(item.id, item);
    this.index.addAll(
      items.map((item) => ({
        id: item.id,
        title: item.title,
        body: item.body,
        extra: 'module' in item ? `${MODULE_LABELS[item.module].sv} ${MODULE_LABELS[item.module].fi}` : '',
      })),
    );
  }

  search(text: string, limit = 50): T[] {
    const q = wordsQuery(text);
    if (q === null) {
      const own = this.items.filter((i) => i.language === this.language);
      const other = this.items.filter((i) => i.language !== this.language);
      return [...own, ...other].slice(0, limit);
    }
    return this.index
      .search(q, { processTerm: (t) => t, boost: { title: 3, body: 1, extra: 1 } })
      .slice(0, limit)
      .flatMap((r) => {
        const item = this.byId.get(String(r.id));
        return item ? [item] : [];
      });
  }
}
