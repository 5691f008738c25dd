/**
 * How a text search reads words, in Swedish and Finnish: the desk's lookup (its cache's cases,
 * customers and contacts), the desk's answers and the customer centre's questions and answers
 * (searched on the server) all index and query with these, so they find the same things.
 *
 * Every word is indexed as typed (folded: "Östersund" is "ostersund") and as its Swedish and its
 * Finnish stem ("fakturor" and "faktura" are both "faktur", "laskut" and "lasku" both "lasku"),
 * and every word of a query matches a word starting with it or with its stems, so a query reads
 * the same typed half, without its diacritics, in the singular or in the plural.
 */
import type { Query } from 'minisearch';
import { stemmer as finnishStem } from '@orama/stemmers/finnish';
import { stemmer as swedishStem } from '@orama/stemmers/swedish';
import { foldText } from './search';

/** Letters and digits make words; everything else separates them. */
const WORD = /[\p{L}\p{N}]+/gu;
/** Shorter words are not stemmed (the stemmers leave them alone or cut them to nothing). */
const STEM_FROM = 4;
/** Stems this long match as prefixes too. */
export const PREFIX_STEM = 6;

/** The words of a text, lower case (not yet folded: the stemmers know å, ä and ö). */
export function words(text: string): string[] {
  return text.normalize('NFC').toLowerCase().match(WORD) ?? [];
}

/** Words seen, with their terms: the stemmers are the costly part of indexing, texts repeat words. */
const known = new Map<string, string[]>();
const KNOWN_MAX = 200_000;

/** What one word is indexed and searched as: folded, and its two stems folded; no duplicates. */
export function termsOf(word: string): string[] {
  const cached = known.get(word);
  if (cached) return cached;
  const out = computeTerms(word);
  if (known.size >= KNOWN_MAX) known.clear();
  known.set(word, out);
  return out;
}

function computeTerms(word: string): string[] {
  const lower = word.toLowerCase();
  const folded = foldText(lower);
  if (lower.length < STEM_FROM || /^\d+$/.test(lower)) return [folded];
  const out = [folded];
  for (const stem of [swedishStem(lower), finnishStem(lower)]) {
    const f = foldText(stem);
    if (f.length > 0 && !out.includes(f)) out.push(f);
  }
  return out;
}

/**
 * The query of a text being typed: every word (of two letters or more) must match, as typed or
 * by its stems; the last word, being typed, as a prefix; a long stem too (Finnish stems of one
 * word differ in their ends: "tulostin" is "tulost", "tulostimet" "tulostim"); short stems match
 * whole, as a prefix of a common short stem would score half the index. Null when no word.
 * Searched with `processTerm: (t) => t` (the terms are already the index's).
 *
 * `any`: a document matching any word will do, the more the better (a sentence such as a new
 * case's title, whose every word no article has); its short words ("och", "ei") are left out
 * then, as they would match nearly everything.
 */
export function wordsQuery(text: string, match: 'all' | 'any' = 'all'): Query | null {
  // A single letter would match half the index as a prefix: words count from two.
  let ws = words(text).filter((w) => w.length >= 2);
  if (match === 'any' && ws.some((w) => w.length >= STEM_FROM)) ws = ws.filter((w) => w.length >= STEM_FROM);
  if (ws.length === 0) return null;
  return {
    combineWith: match === 'all' ? 'AND' : 'OR',
    queries: ws.map((w, i) => {
      const [typed = w, ...stems] = termsOf(w);
      const prefix = i === ws.length - 1 && typed.length >= 2;
      return {
        combineWith: 'OR',
        queries: [{ queries: [typed], prefix }, ...stems.map((stem) => ({ queries: [stem], prefix: stem.length >= PREFIX_STEM }))],
      };
    }),
  };
}

/** Does a shown word contain a match of these (index) terms: the word starts with one. */
export function wordMatches(word: string, terms: readonly string[]): boolean {
  const f = foldText(word.toLowerCase());
  return f.length > 0 && terms.some((t) => t.length > 0 && f.startsWith(t));
}

/** A text cut into parts to show, the matching words marked. */
export function highlight(text: string, terms: readonly string[]): Array<{ text: string; mark: boolean }> {
  const out: Array<{ text: string; mark: boolean }> = [];
  if (terms.length === 0) return [{ text, mark: false }];
  let last = 0;
  for (const m of text.matchAll(WORD)) {
    const at = m.index;
    if (!wordMatches(m[0], terms)) continue;
    if (at > last) out.push({ text: text.slice(last, at), mark: false });
    out.push({ text: m[0], mark: true });
    last = at + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), mark: false });
  return out;
}
