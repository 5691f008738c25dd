/**
 * The file records of the bootstrap's timelines, stored the way their events are: with the event
 * slice of their case (cache/chunks.ts), a few hundred files a record, instead of one record per
 * file with an index by case and by event. IndexedDB pays per record and per index entry far more
 * than per byte: 8,940 files one by one cost the first sync at 100,000 cases about 1.9 s, in slices
 * a few tens of milliseconds (docs/performance.md). Records from the feed and fetched timelines
 * (a handful at a time) stay in `attachments`; readers take both (cache/uploads.ts).
 */
import type { Attachment } from '../../../shared/index';
import type { DeskDb, FileSlice } from './db';
import type { PreparedChunk } from './chunks';

/**
 * Splits a page's file records by the event slice its chunk gives their case's events; the
 * records of a case whose events are not in the page (none in a bootstrap page) are the rest.
 */
export function fileSlicesOf(prepared: Pick<PreparedChunk, 'delta' | 'eventDeltas'>, records: readonly Attachment[]): { slices: FileSlice[]; rest: Attachment[] } {
  const sliceOf = new Map<string, number>();
  for (const d of [prepared.delta, ...prepared.eventDeltas]) {
    if (d.eventSlice === null) continue;
    for (const caseId of d.eventCaseIds) sliceOf.set(caseId, d.eventSlice);
  }
  const bySlice = new Map<number, Attachment[]>();
  const rest: Attachment[] = [];
  for (const r of records) {
    const slice = r.eventId === null ? undefined : sliceOf.get(r.caseId);
    if (slice === undefined) {
      rest.push(r);
      continue;
    }
    const files = bySlice.get(slice);
    if (files) files.push(r);
    else bySlice.set(slice, [r]);
  }
  return { slices: [...bySlice].map(([id, files]) => ({ id, files })), rest };
}

/** Stores a page's file records: in slices where their events are, the rest one by one. Call inside a transaction over both tables. */
export async function storePageFiles(db: DeskDb, prepared: Pick<PreparedChunk, 'delta' | 'eventDeltas'>, records: readonly Attachment[]): Promise<void> {
  if (records.length === 0) return;
  const { slices, rest } = fileSlicesOf(prepared, records);
  if (slices.length > 0) await db.fileSlices.bulkPut(slices);
  if (rest.length > 0) await db.attachments.bulkPut(rest);
}

/**
 * Drops removed files (an anonymised person's) from the slices. Rare, so the slices are read
 * whole (a few hundred kB at 100,000 cases) rather than indexed by file. Call inside a
 * transaction over `fileSlices`.
 */
export async function removeFromFileSlices(db: DeskDb, removed: readonly string[]): Promise<void> {
  if (removed.length === 0) return;
  const gone = new Set(removed);
  const changed: FileSlice[] = [];
  for (const slice of await db.fileSlices.toArray()) {
    const files = slice.files.filter((f) => !gone.has(f.id));
    if (files.length !== slice.files.length) changed.push({ id: slice.id, files });
  }
  if (changed.length > 0) await db.fileSlices.bulkPut(changed);
}

/** The records in these slices on these events. */
export async function filesInSlices(db: DeskDb, slices: readonly number[], eventIds: ReadonlySet<string>): Promise<Attachment[]> {
  if (slices.length === 0 || eventIds.size === 0) return [];
  const stored = await db.fileSlices.bulkGet([...slices]);
  return stored.flatMap((s) => (s ? s.files.filter((f) => f.eventId !== null && eventIds.has(f.eventId)) : []));
}
