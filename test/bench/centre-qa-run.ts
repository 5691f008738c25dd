/**
 * The customer centre's questions and answers: `npx tsx test/bench/centre-qa-run.ts [--articles N]`.
 * A store seeded with the demo (specialists, customers, its 20 articles) plus N generated articles
 * (default 2,000: far more than a knowledge base written by hand), then, on the server's own code
 * (server/centre/articles.ts): indexing every article (the first search), the first search after
 * one article changed, a search as a customer
 * types (the median and p95 of every prefix of a set of queries), the list without a query, and,
 * for comparison, the other design (no index kept: the language's public articles read from
 * SQLite and indexed for every search, the only way to search them with the desk's stems).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { seedDemoData } from '../../server/demo/seed';
import { CentreArticleIndex } from '../../server/centre/articles';
import { dataFile, openStore } from '../../server/store/store';
import { MODULE_IDS } from '../../shared/modules';

const { values } = parseArgs({ options: { articles: { type: 'string', default: '2000' } } });

const SV = ['lönekörning', 'semesterskuld', 'tidrapport', 'attest', 'faktura', 'kundreskontra', 'moms', 'bokslut', 'period', 'verifikation', 'konto', 'rapport', 'export', 'import', 'stämpelklocka', 'mobilapp', 'behörighet', 'användare', 'lösenord', 'order'];
const FI = ['palkka-ajo', 'lomapalkkavelka', 'tuntikirjaus', 'hyväksyntä', 'lasku', 'myyntireskontra', 'alv', 'tilinpäätös', 'kausi', 'tosite', 'tili', 'raportti', 'vienti', 'tuonti', 'leimaus', 'mobiilisovellus', 'käyttöoikeus', 'käyttäjä', 'salasana', 'tilaus'];

const ms = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e6;
const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;

async function main(): Promise<void> {
  const n = Number(values.articles);
  const dir = mkdtempSync(join(tmpdir(), 'desk-qa-bench-'));
  const store = openStore(dataFile(dir));
  try {
    await seedDemoData(store, { cases: 0, seed: 42 });
    const author = store.specialists.list()[0]?.id ?? '';
    const at = new Date().toISOString();
    store.transaction(() => {
      for (let i = 0; i < n; i += 1) {
        const language = i % 2 === 0 ? 'sv' : 'fi';
        const w = language === 'sv' ? SV : FI;
        const pick = (k: number): string => w[(i * 7 + k * 13) % w.length] ?? '';
        const body = Array.from({ length: 12 }, (_, k) => `${pick(k)} ${pick(k + 3)} ${pick(k + 5)} ${language === 'sv' ? 'fungerar inte efter uppdateringen och visar fel' : 'ei toimi päivityksen jälkeen ja näyttää väärin'}.`).join(' ');
        store.articles.save({ id: `bench-${i}`, language, module: MODULE_IDS[i % MODULE_IDS.length] ?? 'finance', title: `${pick(0)} ${pick(1)} ${i}`, body, public: i % 10 !== 0, updatedAt: at, updatedBy: author, deletedAt: null });
      }
    });
    // The first search indexes every article (the server's first after a start).
    const index = new CentreArticleIndex(store);
    let t0 = process.hrtime.bigint();
    index.search('sv', 'x', undefined, 1);
    const firstBuildMs = ms(t0);
    // The search after one article was written: only that one is indexed again.
    const refreshes: number[] = [];
    for (let k = 0; k < 5; k += 1) {
      const a = store.articles.get(`bench-${k * 2 + 1}`);
      if (a) store.articles.save({ ...a, title: `${a.title} ${k}`, updatedAt: new Date().toISOString() });
      t0 = process.hrtime.bigint();
      index.search('sv', 'x', undefined, 1);
      refreshes.push(ms(t0));
    }
    // Every prefix of the queries, as typed.
    const queries = ['lönekörningen fungerar', 'semesterskulden', 'tidrapporter attest', 'fakturor moms', 'palkka-ajot', 'laskut alv', 'tuntikirjaukset hyväksyntä'];
    const searches: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      for (const q of queries) {
        for (let len = 2; len <= q.length; len += 1) {
          const t = process.hrtime.bigint();
          index.search(/[äö]/.test(q) && FI.some((f) => q.includes(f.slice(0, 4))) ? 'fi' : 'sv', q.slice(0, len), undefined, 20);
          searches.push(ms(t));
        }
      }
    }
    const suggest: number[] = [];
    for (const q of queries) {
      const t = process.hrtime.bigint();
      index.search('sv', q, undefined, 4, 'any');
      suggest.push(ms(t));
    }
    const lists: number[] = [];
    for (let k = 0; k < 20; k += 1) {
      const t = process.hrtime.bigint();
      index.search('sv', '', undefined, 20);
      lists.push(ms(t));
    }
    // The other design: nothing kept, the articles read and indexed per search.
    const uncached: number[] = [];
    for (let k = 0; k < 5; k += 1) {
      const fresh = new CentreArticleIndex(store);
      const t = process.hrtime.bigint();
      fresh.search('sv', 'lönekörningen', undefined, 20);
      uncached.push(ms(t));
    }
    const round = (x: number): number => Math.round(x * 100) / 100;
    console.log(JSON.stringify({
      articles: store.db.prepare<[], number>('SELECT count(*) FROM kb_articles').pluck().get(),
      firstBuildMs: round(firstBuildMs),
      refreshAfterWriteMedianMs: round(quantile(refreshes, 0.5)),
      searchMedianMs: round(quantile(searches, 0.5)),
      searchP95Ms: round(quantile(searches, 0.95)),
      searchMaxMs: round(Math.max(...searches)),
      searches: searches.length,
      suggestMedianMs: round(quantile(suggest, 0.5)),
      listMedianMs: round(quantile(lists, 0.5)),
      perSearchIndexMedianMs: round(quantile(uncached, 0.5)),
    }, null, 2));
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
