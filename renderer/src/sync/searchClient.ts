/** The search worker (sync/search.worker.ts) as the UI thread sees it: ask, and get the newest answer. */
import type { CaseEvent } from '../../../shared/index';
import searchWorkerUrl from './search.worker.ts?worker&url';
import type { TextResults } from '../model/textSearch';
import { Signal } from '../lib/signal';
import type { SearchRequest, SearchResponse, SearchStats } from './searchProtocol';

/** Kept here, not imported: the UI thread's bundle never loads the index's code. */
const EMPTY_RESULTS: TextResults = { cases: [], customers: [], contacts: [] };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The built worker's URL, also cached by the offline shell. */
export const SEARCH_WORKER_URL: string = searchWorkerUrl;

export interface TextSearch {
  /** The hits for this text; an answer overtaken by a newer query is still delivered (compare texts). */
  query(text: string, limit?: number): Promise<TextResults>;
  /** Events stored outside the sync (a fetched timeline): searchable at once. */
  eventsStored(events: readonly CaseEvent[]): void;
  /** Cases stored outside the sync (a push answer): read again. */
  casesStored(ids: readonly string[]): void;
  /** Set once the index holds the whole cache. */
  readonly ready: Signal<SearchStats | null>;
  close(): void;
}

export class SearchWorkerClient implements TextSearch {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, (msg: SearchResponse) => void>();
  readonly ready = new Signal<SearchStats | null>(null);

  constructor(dbName: string) {
    this.worker = new Worker(SEARCH_WORKER_URL, { type: 'module', name: 'desk-search' });
    this.worker.onmessage = (e: MessageEvent<SearchResponse>) => {
      const msg = e.data;
      if (msg.type === 'ready') {
        // For the benchmark: when the index holds the whole cache, and what it took.
        performance.mark('desk:search-ready', { detail: msg.stats });
        this.ready.set(msg.stats);
        return;
      }
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      p?.(msg);
    };
    void this.call({ type: 'init', dbName });
  }

  private call(req: DistributiveOmit<SearchRequest, 'id'>): Promise<SearchResponse> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ ...req, id } as SearchRequest);
    });
  }

  async query(text: string, limit = 8): Promise<TextResults> {
    const msg = await this.call({ type: 'query', text, limit });
    return msg.type === 'results' ? msg.results : EMPTY_RESULTS;
  }

  eventsStored(events: readonly CaseEvent[]): void {
    if (events.length > 0) void this.call({ type: 'events', events: [...events] });
  }

  casesStored(ids: readonly string[]): void {
    if (ids.length > 0) void this.call({ type: 'cases', ids: [...ids] });
  }

  close(): void {
    this.worker.terminate();
    for (const p of this.pending.values()) p({ id: 0, type: 'done' } as SearchResponse);
    this.pending.clear();
  }
}

/** Where no worker runs (a test's DOM): finds nothing. */
export class NoTextSearch implements TextSearch {
  readonly ready = new Signal<SearchStats | null>(null);
  query(): Promise<TextResults> {
    return Promise.resolve(EMPTY_RESULTS);
  }
  eventsStored(): void {}
  casesStored(): void {}
  close(): void {}
}

export function startTextSearch(dbName: string): TextSearch {
  return typeof Worker === 'undefined' ? new NoTextSearch() : new SearchWorkerClient(dbName);
}
