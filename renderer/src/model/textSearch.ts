/**
 * Full-text search over the cache, in Swedish and Finnish: the words of cases (title,
 * description, notes), customers and contacts, in one MiniSearch index. No I/O: the search
 * worker (sync/search.worker.ts) fills it from IndexedDB and keeps it up to date, the tests use
 * it directly.
 *
 * Every word is indexed as typed (folded: "Östersund" is "ostersund") and as its Swedish and its
 * Finnish stem ("fakturor" and "faktura" are both "faktur", "laskut" and "lasku" both "lasku"),
 * and every word of a query matches a word starting with it or with its stems, so a query reads
 * the same typed half, without its diacritics, in the singular or in the plural.
 */
import MiniSearch, { type SearchResult } from 'minisearch';
import { type CaseEvent, type Contact, type Customer } from '../../../shared/index';
import { termsOf, wordsQuery, words } from '../../../shared/textTerms';

// The readings are shared with the desk's answers and the customer centre (shared/textTerms.ts).
export { highlight, termsOf, wordMatches, words } from '../../../shared/textTerms';

export type DocKind = 'case' | 'customer' | 'contact' | 'note';

interface Doc {
  id: string;
  kind: DocKind;
  /** The case of a note; the customer of a contact. */
  owner?: string;
  title?: string;
  body?: string;
  name?: string;
  extra?: string;
  /** A note's text, kept to show where it matched (descriptions are not kept: too large). */
  snippet?: string;
}

/** What a case is searched by: its title and description (its notes are documents of their own). */
export interface CaseText {
  id: string;
  number: number;
  title: string;
  description: string;
}

export type HitKind = 'case' | 'customer' | 'contact';

export interface TextHit {
  kind: HitKind;
  id: string;
  score: number;
  /** The index terms that matched, to mark them in what is shown (`highlight`). */
  terms: string[];
  /** Where a case matched: its title, its description, a note. */
  fields: Array<'title' | 'description' | 'note'>;
  /** The best matching note's text (its start), to show with the matches marked. */
  snippet?: string;
}

export interface TextResults {
  cases: TextHit[];
  customers: TextHit[];
  contacts: TextHit[];
}

export const EMPTY_RESULTS: TextResults = { cases: [], customers: [], contacts: [] };

const FIELDS = ['title', 'body', 'name', 'extra'] as const;
/** Index hits looked at per search (notes fold into their cases). */
const RAW_MAX = 400;
/** Characters of a note kept to be shown. */
const SNIPPET = 240;

const key = (kind: DocKind, id: string): string => `${kind[0]}${kind[1]}:${id}`;

export class TextIndex {
  private readonly index = new MiniSearch<Doc>({
    fields: [...FIELDS],
    storeFields: ['kind', 'owner', 'snippet'],
    tokenize: (text) => words(text),
    processTerm: (term) => termsOf(term),
    // Vacuuming runs in the worker's idle moments; a search never waits for it.
    autoVacuum: { minDirtCount: 2_000, minDirtFactor: 0.1, batchSize: 2_000, batchWait: 10 },
  });

  get size(): number {
    return this.index.documentCount;
  }

  private put(doc: Doc): void {
    if (this.index.has(doc.id)) this.index.replace(doc);
    else this.index.add(doc);
  }

  /** Adds a case, or replaces what was indexed of it. */
  putCase(c: CaseText): void {
    this.put({ id: key('case', c.id), kind: 'case', title: `${c.title}`, body: c.description, extra: String(c.number) });
  }

  putCustomer(c: Customer): void {
    this.put({ id: key('customer', c.id), kind: 'customer', name: c.name, extra: `${c.orgNumber} ${c.orgNumber.replace(/-/g, '')}` });
  }

  putContact(p: Contact): void {
    const id = key('contact', p.id);
    if (p.anonymisedAt !== null) {
      if (this.index.has(id)) this.index.discard(id);
      return;
    }
    this.put({ id, kind: 'contact', owner: p.customerId, name: p.name, extra: [p.email ?? '', p.phone ?? ''].join(' ') });
  }

  /** Adds a case's note (events of other kinds carry no words to search). */
  putEvent(e: CaseEvent): void {
    if (e.kind !== 'note' || !e.text) return;
    this.put({ id: key('note', e.id), kind: 'note', owner: e.caseId, body: e.text, snippet: e.text.slice(0, SNIPPET) });
  }

  /**
   * Every word of the query must match (as typed, or a word starting with it or its stems) in a
   * field of one document. A note's hit is its case's. Best first, `limit` of each kind.
   */
  search(query: string, limit = 8): TextResults {
    const q = wordsQuery(query);
    if (q === null) return EMPTY_RESULTS;
    const raw = this.index.search(q, {
      processTerm: (t) => t,
      boost: { title: 3, name: 3, body: 1, extra: 1 },
    });
    const cases = new Map<string, TextHit>();
    const customers: TextHit[] = [];
    const contacts: TextHit[] = [];
    // Best first: what comes after the first few hundred is never shown.
    for (const r of raw.length > RAW_MAX ? raw.slice(0, RAW_MAX) : raw) {
      const kind = (r as SearchResult & { kind: DocKind }).kind;
      const id = String(r.id).slice(3);
      if (kind === 'case' || kind === 'note') {
        const caseId = kind === 'note' ? String((r as SearchResult & { owner: string }).owner) : id;
        const fields = kind === 'note' ? (['note'] as const) : fieldsOf(r);
        const snippet = kind === 'note' ? (r as SearchResult & { snippet?: string }).snippet : undefined;
        const known = cases.get(caseId);
        if (known) {
          if (known.snippet === undefined && snippet !== undefined) known.snippet = snippet;
          known.score += r.score;
          for (const t of r.terms) if (!known.terms.includes(t)) known.terms.push(t);
          for (const f of fields) if (!known.fields.includes(f)) known.fields.push(f);
        } else cases.set(caseId, { kind: 'case', id: caseId, score: r.score, terms: [...r.terms], fields: [...fields], ...(snippet !== undefined ? { snippet } : {}) });
      } else if (kind === 'customer') {
        if (customers.length < limit) customers.push({ kind, id, score: r.score, terms: r.terms, fields: [] });
      } else if (contacts.length < limit) contacts.push({ kind, id, score: r.score, terms: r.terms, fields: [] });
    }
    return {
      cases: [...cases.values()].sort((a, b) => b.score - a.score).slice(0, limit),
      customers,
      contacts,
    };
  }
}

function fieldsOf(r: SearchResult): Array<'title' | 'description'> {
  const out: Array<'title' | 'description'> = [];
  for (const fs of Object.values(r.match)) {
    for (const f of fs) {
      const named = f === 'title' || f === 'extra' ? 'title' : f === 'body' ? 'description' : null;
      if (named && !out.includes(named)) out.push(named);
    }
  }
  return out;
}

/**
 * The cases the box offers, in order: the case whose number was typed first (found at once,
 * without the index), then the word hits, each case once.
 */
export function rankCases(numberHit: string | null, hits: readonly TextHit[]): string[] {
  const out = numberHit === null ? [] : [numberHit];
  for (const h of hits) if (h.id !== numberHit) out.push(h.id);
  return out;
}
