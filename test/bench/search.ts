/**
 * The search metric: words typed into the lookup box to the results shown (`desk:search`, the
 * desk's own measure), over every case of the cache with its notes, offline. The notes are put
 * into the desk's cache as a fetched timeline would be (whatever the first sync caches besides),
 * the desk is reloaded offline so the search worker builds its index from the cache alone, and
 * the queries are typed `runs` times; the metric is the median of the runs' p95.
 */
import type { BrowserContext, Page } from '@playwright/test';
import type Database from 'better-sqlite3';
import { percentile } from './metrics';

/** Words from the demo data's titles and notes, whole, half typed, and in another form. */
export const SEARCH_QUERIES = [
  'faktura',
  'fakturor',
  'fakt',
  'lön',
  'lonekorning',
  'skärmdump',
  'ringde kunden',
  'export excel',
  'momsrapport',
  'laskut',
  'lasku',
  'asiakas',
  'kuvakaappaus',
  'virhe toistettu',
  'jakso',
  'palkka',
  'order',
  'inventering',
  'webhook',
  'bankkonto',
];

export interface SearchFigures {
  /** Median over the runs of each run's p95 (ms). */
  p95Ms: number;
  p50Ms: number;
  runsP95: number[];
  notes: number;
  documents: number;
  buildMs: number;
  /** The search worker's JS heap after the build (MB), NaN when the browser did not say. */
  workerHeapMb: number;
}

interface NoteRow {
  id: string;
  case_id: string;
  at: string;
  actor_id: string | null;
  text: string;
}

/** Writes the server's notes into the desk's cache (the `events` table), as fetched timelines. */
async function cacheNotes(page: Page, db: Database.Database, dbName: string): Promise<number> {
  const rows = db.prepare<[], NoteRow>(`SELECT id, case_id, at, actor_id, text FROM case_events WHERE kind = 'note' AND text IS NOT NULL`).all();
  for (let i = 0; i < rows.length; i += 5_000) {
    const batch = rows.slice(i, i + 5_000).map((r) => ({ id: r.id, caseId: r.case_id, at: r.at, receivedAt: r.at, actorId: r.actor_id, kind: 'note', text: r.text, data: {} }));
    await page.evaluate(
      ({ name, events }) =>
        new Promise<void>((resolve, reject) => {
          const req = indexedDB.open(name);
          req.onerror = () => reject(new Error('cannot open the cache'));
          req.onsuccess = () => {
            const idb = req.result;
            const tx = idb.transaction('events', 'readwrite');
            for (const e of events) tx.objectStore('events').put(e);
            tx.oncomplete = () => {
              idb.close();
              resolve();
            };
            tx.onerror = () => reject(new Error('cannot write the notes'));
          };
        }),
      { name: dbName, events: batch },
    );
  }
  return rows.length;
}

/** The search worker's heap, through the page's DevTools session attached to its workers. */
async function workerHeapMb(context: BrowserContext, page: Page): Promise<number> {
  const cdp = await context.newCDPSession(page);
  try {
    const sessions: string[] = [];
    cdp.on('Target.attachedToTarget', (e: { sessionId: string; targetInfo: { type: string; title: string; url: string } }) => {
      if (e.targetInfo.type === 'worker' && /search/.test(`${e.targetInfo.title} ${e.targetInfo.url}`)) sessions.push(e.sessionId);
    });
    await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    const sessionId = sessions[0];
    if (!sessionId) return Number.NaN;
    const answer = new Promise<number>((resolve) => {
      cdp.on('Target.receivedMessageFromTarget', (e: { sessionId: string; message: string }) => {
        const msg = JSON.parse(e.message) as { id?: number; result?: { usedSize?: number } };
        if (e.sessionId === sessionId && msg.id === 2) resolve((msg.result?.usedSize ?? Number.NaN) / 1e6);
      });
    });
    await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }) });
    await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 2, method: 'Runtime.getHeapUsage' }) });
    return await Promise.race([answer, new Promise<number>((resolve) => setTimeout(() => resolve(Number.NaN), 10_000))]);
  } catch {
    return Number.NaN;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

async function backToQueue(page: Page): Promise<void> {
  if ((await page.getByTestId('case-detail').count()) > 0) {
    await page.keyboard.press('Escape');
    await page.getByTestId('case-detail').waitFor({ state: 'detached' });
  }
}

/** Each query typed (`fill`) into the box and the results awaited; the desk's own measures. */
async function typeQueries(page: Page, queries: readonly string[]): Promise<number[]> {
  const input = page.getByTestId('lookup');
  await page.evaluate(() => performance.clearMeasures('desk:search'));
  for (const q of queries) {
    await input.fill('');
    const before = await page.evaluate(() => performance.getEntriesByName('desk:search').length);
    await input.fill(q);
    await page.waitForFunction((n) => performance.getEntriesByName('desk:search').length > n, before, { timeout: 10_000 });
  }
  await input.fill('');
  await input.press('Escape');
  return page.evaluate(() => performance.getEntriesByName('desk:search').map((e) => e.duration));
}

export async function measureSearch(context: BrowserContext, page: Page, db: Database.Database, dbName: string, runs = 3): Promise<SearchFigures> {
  await backToQueue(page);
  const notes = await cacheNotes(page, db, dbName);
  await context.setOffline(true);
  try {
    await page.reload();
    await page.getByTestId('queue').waitFor({ timeout: 120_000 });
    const ready = await page.waitForFunction(
      () => {
        const mark = performance.getEntriesByName('desk:search-ready')[0] as PerformanceMark | undefined;
        return mark ? (mark.detail as { documents: number; buildMs: number }) : null;
      },
      undefined,
      { timeout: 600_000, polling: 250 },
    );
    const stats = (await ready.jsonValue()) as { documents: number; buildMs: number };
    const heap = await workerHeapMb(context, page);
    const p95s: number[] = [];
    const all: number[] = [];
    for (let i = 0; i < runs; i++) {
      const samples = await typeQueries(page, SEARCH_QUERIES);
      if (samples.length !== SEARCH_QUERIES.length) throw new Error(`expected ${SEARCH_QUERIES.length} searches, the desk measured ${samples.length}`);
      p95s.push(percentile(samples, 95));
      all.push(...samples);
    }
    return { p95Ms: percentile(p95s, 50), p50Ms: percentile(all, 50), runsP95: p95s, notes, documents: stats.documents, buildMs: stats.buildMs, workerHeapMb: heap };
  } finally {
    await context.setOffline(false);
  }
}
