/**
 * The search worker: builds the full-text index (model/textSearch.ts) from the cache at the start
 * and keeps it up to date, off the UI thread, so neither building it nor a search ever blocks
 * typing. It learns what the sync stores from the same channel the other tabs listen to (the
 * delta texts the leading tab's sync worker writes, and deltas a tab stored itself), reads the
 * full records those name from IndexedDB, and answers queries in between.
 */
import type { Case, CaseEvent } from '../../../shared/index';
import { DeskDb } from '../cache/db';
import { readSearchSources, readSingleCases, readSlices } from '../cache/searchSource';
import { decodeDelta, type Delta } from '../model/rowCodec';
import { TextIndex } from '../model/textSearch';
import { dataChannelName, type TabMessage } from './leader';
import type { SearchRequest, SearchResponse } from './searchProtocol';

interface WorkerScope {
  onmessage: ((e: MessageEvent<SearchRequest>) => void) | null;
  postMessage(message: SearchResponse): void;
}
const scope = self as unknown as WorkerScope;

const index = new TextIndex();
/** The version of each case indexed: an older copy read later never replaces a newer one. */
const versions = new Map<string, number>();
let db: DeskDb | null = null;
let channel: BroadcastChannel | null = null;

function putCase(c: Pick<Case, 'id' | 'number' | 'title' | 'description' | 'version'>): void {
  const known = versions.get(c.id);
  if (known !== undefined && known > c.version) return;
  versions.set(c.id, c.version);
  index.putCase(c);
}

const sink = {
  case: putCase,
  event: (e: CaseEvent) => index.putEvent(e),
  customer: (c: Parameters<TextIndex['putCustomer']>[0]) => index.putCustomer(c),
  contact: (p: Parameters<TextIndex['putContact']>[0]) => index.putContact(p),
};

/** Lets queued messages (a query) run between batches of the build. */
const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Slices named by deltas but not written yet (a tab's own store comes before its write). */
const waiting = new Map<number, number>();
let retry: ReturnType<typeof setTimeout> | null = null;

async function readNamed(sliceIds: readonly number[], singleIds: readonly string[]): Promise<void> {
  if (!db) return;
  const { found, cases, events } = await readSlices(db, sliceIds);
  for (const c of cases) putCase(c);
  for (const e of events) index.putEvent(e);
  for (const c of await readSingleCases(db, singleIds)) putCase(c);
  for (const id of sliceIds) {
    if (found.includes(id)) waiting.delete(id);
    else waiting.set(id, (waiting.get(id) ?? 0) + 1);
  }
  for (const [id, tries] of waiting) if (tries > 20) waiting.delete(id);
  if (waiting.size > 0 && retry === null) {
    retry = setTimeout(() => {
      retry = null;
      void readNamed([...waiting.keys()], []);
    }, 250);
  }
}

function learn(delta: Delta): void {
  const slices = new Set<number>();
  const singles: string[] = [];
  for (const r of delta.rows) {
    // The title is known at once; the description comes with the full record.
    const known = versions.get(r.id);
    if (known === undefined || known < r.version) {
      versions.set(r.id, r.version);
      index.putCase({ id: r.id, number: r.number, title: r.title, description: '' });
    }
    if (r.slice === null) singles.push(r.id);
    else slices.add(r.slice);
  }
  if (delta.eventSlice !== null) slices.add(delta.eventSlice);
  for (const c of delta.customers) index.putCustomer(c);
  for (const p of delta.contacts) index.putContact(p);
  void readNamed([...slices], singles).catch(() => undefined);
}

function listen(dbName: string): void {
  channel?.close();
  channel = new BroadcastChannel(dataChannelName(dbName));
  channel.onmessage = (e: MessageEvent<TabMessage>) => {
    const msg = e.data;
    if (msg.type === 'text') learn(decodeDelta(msg.text));
    else if (msg.type === 'delta') learn(msg.delta);
  };
}

function heapMb(): number | null {
  const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
  return memory ? memory.usedJSHeapSize / 1e6 : null;
}

scope.onmessage = (e) => {
  const req = e.data;
  const post = (msg: SearchResponse): void => scope.postMessage(msg);
  switch (req.type) {
    case 'init': {
      db?.close();
      db = new DeskDb(req.dbName);
      // Listening first: what is stored while the cache is read is learnt too.
      listen(req.dbName);
      const start = performance.now();
      void readSearchSources(db, sink, pause).then(
        () => post({ id: 0, type: 'ready', stats: { documents: index.size, buildMs: performance.now() - start, heapMb: heapMb() } }),
        () => post({ id: 0, type: 'ready', stats: { documents: index.size, buildMs: Number.NaN, heapMb: null } }),
      );
      post({ id: req.id, type: 'done' });
      return;
    }
    case 'query':
      post({ id: req.id, type: 'results', results: index.search(req.text, req.limit) });
      return;
    case 'events':
      for (const ev of req.events) index.putEvent(ev);
      post({ id: req.id, type: 'done' });
      return;
    case 'cases':
      void readNamed([], req.ids)
        .catch(() => undefined)
        .then(() => post({ id: req.id, type: 'done' }));
      return;
  }
};
