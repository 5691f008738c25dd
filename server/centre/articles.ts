/**
 * The customer centre's questions and answers on the server: the knowledge base's public, live
 * articles in one MiniSearch index in memory, read with the desk's words (shared/textTerms.ts:
 * folded, Swedish and Finnish stems, the word being typed as a prefix). Articles change rarely:
 * the next search after any article was written (ArticleRepo.generation) indexes again only the
 * articles whose row changed; a search is then about a millisecond (test/bench/centre-qa-run.ts).
 */
import MiniSearch from 'minisearch';
import { articleText } from '../../shared/articleText';
import { CENTRE_QA_SNIPPET, type CentreArticle, type CentreArticleHit } from '../../shared/centreQa';
import { MODULE_LABELS, type ModuleId } from '../../shared/modules';
import type { Language } from '../../shared/teams';
import type { Article } from '../../shared/templates';
import { termsOf, wordMatches, words, wordsQuery } from '../../shared/textTerms';
import type { Store } from '../store/store';

interface Doc {
  id: string;
  language: Language;
  module: ModuleId;
  title: string;
  body: string;
  extra: string;
}

interface Entry {
  article: Article;
  /** The body as plain text on one line: what snippets are cut from. */
  text: string;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Whether the centre may show this article to a customer of this language. */
export function shownToCustomer(a: Article | null, language: Language): a is Article {
  return a !== null && a.public && a.deletedAt === null && a.language === language;
}

/** The body as one line of plain text: bold marks and list marks dropped, white space collapsed. */
export function plainText(body: string): string {
  return articleText(body)
    .replace(/^\s*[-*]\s+/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A piece of the text around its first word matching the terms (or its start), cut at words. */
export function snippetOf(text: string, terms: readonly string[], size = CENTRE_QA_SNIPPET): string {
  if (text.length <= size) return text;
  let at = 0;
  if (terms.length > 0) {
    for (const m of text.matchAll(WORD)) {
      if (wordMatches(m[0], terms)) {
        at = m.index;
        break;
      }
    }
  }
  // A little of what comes before the match, from a word's start.
  let start = Math.max(0, Math.min(at - Math.floor(size / 4), text.length - size));
  if (start > 0) {
    const space = text.indexOf(' ', start);
    start = space === -1 || space >= at ? start : space + 1;
  }
  let end = Math.min(text.length, start + size);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > start + size / 2) end = space;
  }
  return `${start > 0 ? '… ' : ''}${text.slice(start, end).trim()}${end < text.length ? ' …' : ''}`;
}

export class CentreArticleIndex {
  private readonly index = new MiniSearch<Doc>({
    fields: ['title', 'body', 'extra'],
    storeFields: ['language', 'module'],
    tokenize: (text) => words(text),
    processTerm: (term) => termsOf(term),
  });
  /** The indexed (public, live) articles, with the stored JSON each was indexed from. */
  private readonly entries = new Map<string, Entry & { json: string }>();
  private builtAt = -1;

  constructor(private readonly store: Store) {}

  /**
   * Brings the index up to date when an article was written since: the live articles are read
   * (one query), and only those whose stored row differs are indexed again, those gone or no
   * longer public dropped. The first call indexes them all.
   */
  private fresh(): MiniSearch<Doc> {
    const generation = this.store.articles.generation;
    if (this.builtAt === generation) return this.index;
    const seen = new Set<string>();
    for (const json of this.store.articles.liveJson()) {
      const article = JSON.parse(json) as Article;
      if (!article.public) continue;
      seen.add(article.id);
      const known = this.entries.get(article.id);
      if (known?.json === json) continue;
      const text = plainText(article.body);
      const doc: Doc = { id: article.id, language: article.language, module: article.module, title: article.title, body: text, extra: MODULE_LABELS[article.module][article.language] };
      if (known) this.index.replace(doc);
      else this.index.add(doc);
      this.entries.set(article.id, { article, text, json });
    }
    for (const id of [...this.entries.keys()]) {
      if (seen.has(id)) continue;
      this.index.discard(id);
      this.entries.delete(id);
    }
    this.builtAt = generation;
    return this.index;
  }

  /**
   * The public articles of a language (and module) matching the query (every word, or any for
   * `any`), best first; with no word in the query, the newest first.
   */
  search(language: Language, q: string, module: ModuleId | undefined, limit: number, match: 'all' | 'any' = 'all'): CentreArticleHit[] {
    const index = this.fresh();
    const query = wordsQuery(q, match);
    const hit = (entry: Entry, terms: string[]): CentreArticleHit => ({
      id: entry.article.id,
      module: entry.article.module,
      title: entry.article.title,
      snippet: snippetOf(entry.text, terms),
      terms,
      updatedAt: entry.article.updatedAt,
    });
    if (query === null) {
      return [...this.entries.values()]
        .filter((e) => e.article.language === language && (module === undefined || e.article.module === module))
        .sort((a, b) => b.article.updatedAt.localeCompare(a.article.updatedAt) || a.article.title.localeCompare(b.article.title, language))
        .slice(0, limit)
        .map((e) => hit(e, []));
    }
    const found = index.search(query, {
      processTerm: (t) => t,
      boost: { title: 3, body: 1, extra: 1 },
      filter: (r) => r.language === language && (module === undefined || r.module === module),
    });
    const out: CentreArticleHit[] = [];
    for (const r of found) {
      const entry = this.entries.get(String(r.id));
      if (entry) out.push(hit(entry, r.terms));
      if (out.length >= limit) break;
    }
    return out;
  }

  /** One article as the centre shows it, or null when it is not there for this customer. */
  article(language: Language, id: string): CentreArticle | null {
    const a = this.store.articles.get(id);
    if (!shownToCustomer(a, language)) return null;
    return { id: a.id, language: a.language, module: a.module, title: a.title, body: a.body, updatedAt: a.updatedAt };
  }
}
