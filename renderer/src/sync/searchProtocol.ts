/** Messages between the UI thread and the search worker (sync/search.worker.ts). */
import type { CaseEvent } from '../../../shared/index';
import type { TextResults } from '../model/textSearch';

export type SearchRequest =
  | { id: number; type: 'init'; dbName: string }
  | { id: number; type: 'query'; text: string; limit: number }
  /** Events stored apart from the sync (a timeline fetched for an open case). */
  | { id: number; type: 'events'; events: CaseEvent[] }
  /** Re-read a case after a local edit (its stored record), e.g. a push answer. */
  | { id: number; type: 'cases'; ids: string[] };

/** How the index was built, for the benchmark and the log. */
export interface SearchStats {
  documents: number;
  buildMs: number;
  /** The worker's JS heap after the build, when the browser says (Chromium does). */
  heapMb: number | null;
}

export type SearchResponse =
  | { id: number; type: 'results'; results: TextResults }
  | { id: number; type: 'done' }
  | { id: 0; type: 'ready'; stats: SearchStats };
