/**
 * Reading the whole cache back at a start. Light on purpose (IndexedDB and the row codec, no
 * calendars, no UI): boot.ts starts it before the rest of the app has even been parsed.
 */
import { streamStoredChunks, type DeskDb, type StoredOrders } from './db';
import { decodeDelta, emptyDelta, type Delta } from '../model/rowCodec';

export interface StoredCache {
  /** The deltas the store is built from, in the order learnt. */
  deltas: Delta[];
  orders: StoredOrders | null;
}

/** Everything the store is built from, decoded record by record as IndexedDB delivers them. */
export async function readStoredCache(db: DeskDb): Promise<StoredCache> {
  const decoded: Delta[][] = [];
  const [orders, calls, templates, articles, calendarExceptions] = await Promise.all([
    streamStoredChunks(db, (chunk, position) => {
      decoded[position] = chunk.parts.map(decodeDelta);
    }),
    db.calls.toArray(),
    db.templates.toArray(),
    db.articles.toArray(),
    db.calendarExceptions.toArray(),
  ]);
  // The caller log last: a delta of no chunk, after every chunk the queue's orders name.
  const deltas = decoded.flat();
  if (calls.length > 0) deltas.push({ ...emptyDelta(), calls });
  // Answers too: templates and articles, each table read whole (a few thousand records at most).
  if (templates.length + articles.length > 0) deltas.push({ ...emptyDelta(), templates, articles });
  // Calendar exceptions last: the store installs them and puts right the deadlines they move.
  if (calendarExceptions.length > 0) deltas.push({ ...emptyDelta(), calendarExceptions });
  return { deltas, orders };
}
