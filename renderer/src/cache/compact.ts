/**
 * Keeps the cache quick to start from. The queue's order for every sort key is stored with the
 * rows (after a bootstrap, see sync/work.ts, and here), so a cold start does not sort 100,000 rows
 * on the UI thread. Once pulls have added enough rows, compaction rewrites the row chunks with
 * each case once (its newest version) and the newest reference data, and stores the orders anew.
 *
 * The rewrite reuses the oldest chunk ids (chunks learnt later must still be read later) and
 * happens in one transaction that first checks nobody rewrote those chunks meanwhile; chunks
 * added during the work have higher ids and are untouched. The work yields between steps, so
 * a pull never waits long behind it.
 */
import type { AccessGrant, Contact, Customer, Specialist } from '../../../shared/index';
import { PART_ITEMS } from './chunks';
import type { DeskDb, RowChunk, StoredOrders } from './db';
import { chunkDelta, decodeDelta, emptyDelta, encodeDelta, type CaseRow, type Delta } from '../model/rows';
import { COMPARATORS, SORT_KEYS, type SortKey } from '../model/queue';

/** Delta texts per rewritten chunk record (about 20,000 rows). */
const PARTS_PER_CHUNK = 20;

/** Compact once pulls have stored this many rows since the last compaction (or this share of the cache). */
export const COMPACT_AFTER_ROWS = 20_000;
const COMPACT_AFTER_SHARE = 0.2;

const breathe = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function latestById<T extends { id: string }>(deltas: readonly Delta[], pick: (d: Delta) => readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const d of deltas) for (const item of pick(d)) byId.set(item.id, item);
  return [...byId.values()];
}

/** The cases (each once), the newest reference data, and which slices hold whose events. */
function rewritten(deltas: readonly Delta[], kept: CaseRow[]): Delta[] {
  const eventSlices = new Map<number, Set<string>>();
  for (const d of deltas) {
    if (d.eventSlice === null) continue;
    const ids = eventSlices.get(d.eventSlice) ?? new Set<string>();
    for (const id of d.eventCaseIds) ids.add(id);
    eventSlices.set(d.eventSlice, ids);
  }
  const data: Delta = {
    ...emptyDelta(),
    rows: kept,
    customers: latestById<Customer>(deltas, (d) => d.customers),
    contacts: latestById<Contact>(deltas, (d) => d.contacts),
    specialists: latestById<Specialist>(deltas, (d) => d.specialists),
    grants: latestById<AccessGrant>(deltas, (d) => d.grants),
  };
  const events = [...eventSlices].map(([slice, ids]): Delta => ({ ...emptyDelta(), eventCaseIds: [...ids], eventSlice: slice }));
  return [data, ...events];
}

export async function compact(db: DeskDb): Promise<void> {
  const chunks = await db.rowChunks.orderBy('id').toArray();
  const last = chunks[chunks.length - 1];
  if (!last) return;
  const deltas: Delta[] = [];
  for (const chunk of chunks) {
    for (const text of chunk.parts) deltas.push(decodeDelta(text));
    await breathe();
  }
  const all = deltas.flatMap((d) => d.rows);
  const newest = new Map<string, number>();
  all.forEach((r, i) => {
    const known = newest.get(r.id);
    // Equal versions: the later one, as the store does.
    if (known === undefined || r.version >= (all[known]?.version ?? 0)) newest.set(r.id, i);
  });
  const rows = [...newest.values()].sort((a, b) => a - b).map((i) => all[i] as CaseRow);
  const texts = rewritten(deltas, rows).flatMap((d) => chunkDelta(d, PART_ITEMS));
  const replacement: RowChunk[] = [];
  for (let i = 0; i < texts.length; i += PARTS_PER_CHUNK) {
    // Never more records than before in practice (rows only shrink); if so, the last id takes the rest.
    const slot = Math.min(replacement.length, chunks.length - 1);
    const id = chunks[slot]?.id ?? last.id;
    const count = slot === chunks.length - 1 ? texts.length - i : PARTS_PER_CHUNK;
    replacement.push({ id, parts: texts.slice(i, i + count).map((d) => encodeDelta({ ...d, chunk: id })) });
    if (count !== PARTS_PER_CHUNK) break;
    await breathe();
  }
  const orders = await ordersOf(rows, last.id);
  await db.transaction('rw', db.rowChunks, db.meta, async () => {
    const ids = await db.rowChunks.where('id').belowOrEqual(last.id).primaryKeys();
    if (ids.length !== chunks.length || ids.some((id, i) => id !== chunks[i]?.id)) return; // rewritten meanwhile
    const reused = new Set(replacement.map((c) => c.id));
    await db.rowChunks.bulkDelete(ids.filter((id) => !reused.has(id)));
    await db.rowChunks.bulkPut(replacement);
    await db.setMeta('orders', orders);
    await db.setMeta('uncompactedRows', 0);
  });
}

/**
 * The queue's order for every sort key over `rows` (the rows of the chunks up to `through`,
 * in the order they are read back), each case once: its newest version, the later of equals,
 * as the store keeps it.
 */
export async function ordersOf(rows: readonly CaseRow[], through: number): Promise<StoredOrders> {
  const newest = new Map<string, number>();
  rows.forEach((r, i) => {
    const known = newest.get(r.id);
    if (known === undefined || r.version >= (rows[known]?.version ?? 0)) newest.set(r.id, i);
  });
  const positions = [...newest.values()];
  const sorted = {} as Record<SortKey, Uint32Array>;
  for (const key of SORT_KEYS) {
    await breathe();
    const cmp = COMPARATORS[key];
    sorted[key] = Uint32Array.from([...positions].sort((a, b) => cmp(rows[a] as CaseRow, rows[b] as CaseRow)));
  }
  return { through, positions: sorted };
}

/** Compacts when pulls have stored enough rows since the last compaction. */
export async function compactIfDue(db: DeskDb): Promise<void> {
  const [orders, added] = await Promise.all([db.getMeta('orders'), db.getMeta('uncompactedRows')]);
  const compacted = orders?.positions.number.length ?? 0;
  if ((added ?? 0) >= Math.min(COMPACT_AFTER_ROWS, Math.max(1, compacted * COMPACT_AFTER_SHARE)) || (orders === undefined && (added ?? 0) > 0)) await compact(db);
}
