/**
 * Rebuilding a cache that cannot be trusted (a re-sync): what must not be lost is carried over
 * from the old one — edits not yet pushed, this desk's client id with its mutation counter, its
 * leased case numbers — into a fresh, empty cache that then bootstraps from the server.
 *
 * The client id and the counter go together or not at all: the server knows every
 * (client id, mutation id) it applied, so an old client id with a counter started again would
 * reuse ids it has seen. When the old cache cannot be read, the rebuilt one is a new desk.
 */
import type { Specialist } from '../../../shared/index';
import { deleteCache, DeskDb, type MetaValues, type StoredUpload } from '../cache/db';
import type { OutboxEntry } from '../model/edits';
import { editsToKeep, restoreEdits } from '../sync/outbox';

/** What the old cache hands on to its rebuilt successor. */
export interface CarryOver {
  clientId: string;
  outbox: OutboxEntry[];
  lastMutationId: number;
  numberBlocks: MetaValues['numberBlocks'];
  /** Files of notes in the outbox, not yet uploaded (with their bytes). */
  uploads?: StoredUpload[];
}

/**
 * A re-sync of the cache `db`: `stopWriters` first (this tab and every other one stop writing to
 * it), only then is what is carried over read, so an edit saved before a tab stopped goes along.
 * Returns what was carried over (null: nothing could be read).
 */
export async function resyncCache(db: DeskDb, me: Specialist, stopWriters: () => Promise<void>): Promise<CarryOver | null> {
  await stopWriters();
  const keep = await carryOver(db);
  db.close();
  await rebuildCache(db.name, me, keep);
  return keep;
}

/** Reads what a rebuild keeps; null when the old cache cannot be read (or has no client id). */
export async function carryOver(db: DeskDb): Promise<CarryOver | null> {
  try {
    if (!db.isOpen()) await db.open();
    const clientId = await db.getMeta('clientId');
    if (!clientId) return null;
    const outbox = await editsToKeep(db);
    // Never below an id in the outbox, whatever the counter says.
    const lastMutationId = Math.max((await db.getMeta('lastMutationId')) ?? 0, ...outbox.map((e) => e.mutationId));
    // The files the kept notes name go with them; an unreadable table costs the files, not the notes.
    const uploads = await db.uploads.where('state').equals('waiting').toArray().catch(() => []);
    return { clientId, outbox, lastMutationId, numberBlocks: (await db.getMeta('numberBlocks')) ?? [], ...(uploads.length > 0 ? { uploads } : {}) };
  } catch {
    return null;
  }
}

/**
 * Deletes the cache `name` and creates it again for `me` with what `keep` carries; without it,
 * under a new client id. Returns the client id the rebuilt cache uses.
 */
export async function rebuildCache(name: string, me: Specialist, keep: CarryOver | null): Promise<string> {
  await deleteCache(name);
  const fresh = new DeskDb(name);
  await fresh.open();
  try {
    const clientId = keep?.clientId ?? crypto.randomUUID();
    await fresh.setMeta('clientId', clientId);
    await fresh.setMeta('me', me);
    if (keep) {
      await restoreEdits(fresh, keep.outbox);
      await fresh.setMeta('lastMutationId', keep.lastMutationId);
      await fresh.setMeta('numberBlocks', keep.numberBlocks);
      if (keep.uploads) await fresh.uploads.bulkPut(keep.uploads);
    }
    return clientId;
  } finally {
    fresh.close();
  }
}
