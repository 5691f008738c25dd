/**
 * Finding an answer as the specialist types: templates and knowledge-base articles in one small
 * MiniSearch index per list, with the lookup's folding and Swedish and Finnish stems
 * (model/textSearch.ts), so "lonekorning" finds "Lönekörningen" and "laskut" finds "Lasku".
 * Built on the UI thread from the store (a few thousand answers at most: a few milliseconds),
 * so it works offline like everything the cache holds. No I/O.
 */
import MiniSearch, { type Query } from 'minisearch';
import { MODULE_LABELS, type Article, type Language, type Template } from '../../../shared/index';
import { termsOf, words } from './textSearch';

/** A stem this long matches as a prefix (as in the lookup). */
const PREFIX_STEM = 6;

interface AnswerDoc {
  id: string;
  title: string;
  body: string;
  extra: string;
}

export type Answer = { kind: 'template'; item: Template } | { kind: 'article'; item: Article };

/** The query of the lookup: every word must match, the last one as typed so far. */
function queryOf(text: string): Query | null {
  const ws = words(text).filter((w) => w.length >= 2);
  if (ws.length === 0) return null;
  return {
    combineWith: 'AND',
    queries: ws.map((w, i) => {
      const [typed = w, ...stems] = termsOf(w);
      return {
        combineWith: 'OR',
        queries: [{ queries: [typed], prefix: i === ws.length - 1 }, ...stems.map((stem) => ({ queries: [stem], prefix: stem.length >= PREFIX_STEM }))],
      };
    }),
  };
}

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
    const q = queryOf(text);
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

/**
 * An article's body as text for a reply: the small markdown subset (**bold**, "- " lists) is
 * never rendered as HTML; its marks are dropped so a customer reads plain text.
 */
export function articleText(body: string): string {
  return body.replace(/\*\*(.+?)\*\*/g, '$1');
}

/** The article's body cut into blocks to show as text: paragraphs and lists, bold spans marked. */
export type ArticleBlock = { kind: 'p'; spans: Span[] } | { kind: 'ul'; items: Span[][] };
export interface Span {
  text: string;
  bold: boolean;
}

function spans(line: string): Span[] {
  const out: Span[] = [];
  const parts = line.split(/\*\*(.+?)\*\*/g);
  parts.forEach((text, i) => {
    if (text !== '') out.push({ text, bold: i % 2 === 1 });
  });
  return out;
}

export function articleBlocks(body: string): ArticleBlock[] {
  const blocks: ArticleBlock[] = [];
  for (const chunk of body.split(/\n\s*\n/)) {
    const lines = chunk.split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) continue;
    if (lines.every((l) => /^\s*[-*]\s+/.test(l))) blocks.push({ kind: 'ul', items: lines.map((l) => spans(l.replace(/^\s*[-*]\s+/, ''))) });
    else blocks.push({ kind: 'p', spans: spans(lines.join('\n')) });
  }
  return blocks;
}
