/**
 * Attachments in the cache: the records the feed brings (`attachments`, by event) and the files
 * of notes saved here waiting to be uploaded (`uploads`, with their bytes). The sync engine
 * uploads the waiting ones before it pushes the note naming them (sync/uploads.ts).
 */
import { liveQuery } from 'dexie';
import type { Attachment } from '../../../shared/index';
import type { DeskDb, StoredUpload, UploadRefusal } from './db';
import { filesInSlices, removeFromFileSlices } from './files';

/** A file chosen for a note, before it is saved. */
export interface DraftFile {
  id: string;
  name: string;
  type: string;
  size: number;
  blob: Blob;
}

/** Keeps a note's files with their bytes; call before the note is put in the outbox. */
export async function keepUploads(db: DeskDb, caseId: string, eventId: string, files: readonly DraftFile[]): Promise<void> {
  const createdAt = new Date().toISOString();
  await db.uploads.bulkPut(
    files.map((f): StoredUpload => ({ id: f.id, caseId, eventId, name: f.name, type: f.type, size: f.size, blob: f.blob, state: 'waiting', createdAt })),
  );
}

export function uploadsByIds(db: DeskDb, ids: readonly string[]): Promise<Array<StoredUpload | undefined>> {
  return db.uploads.bulkGet([...ids]);
}

export async function markUploaded(db: DeskDb, id: string): Promise<void> {
  await db.uploads.update(id, { state: 'uploaded' });
}

export async function markRefused(db: DeskDb, id: string, refusal: UploadRefusal): Promise<void> {
  await db.uploads.update(id, { state: 'refused', refusal });
}

/**
 * Records from a page of the feed; and the ids the feed says are gone. Call inside a transaction
 * over `attachments` (and `fileSlices` when some are removed: the bootstrap's are there).
 */
export async function storeAttachments(db: DeskDb, records: readonly Attachment[], removed: readonly string[] = []): Promise<void> {
  if (records.length > 0) await db.attachments.bulkPut([...records]);
  if (removed.length > 0) {
    await db.attachments.bulkDelete([...removed]);
    await removeFromFileSlices(db, removed);
  }
}

/** What an event's files are as far as this desk knows: the server's records and this desk's uploads. */
export interface EventFiles {
  records: Attachment[];
  uploads: StoredUpload[];
}

/**
 * Follows the files of some events (the server's records and this desk's uploads of them), as
 * they arrive from the sync worker or are written here. `slices` are the event slices of their
 * case (the store's `timelines.slicesOf`), where the bootstrap's records are (cache/files.ts).
 * Returns the unsubscribe.
 */
export function watchEventFiles(
  db: DeskDb,
  eventIds: readonly string[],
  uploadIds: readonly string[],
  onFiles: (files: EventFiles) => void,
  slices: readonly number[] = [],
): () => void {
  const subscription = liveQuery(async () => {
    const [sliced, stored, byEvent, byId] = await Promise.all([
      filesInSlices(db, slices, new Set(eventIds)),
      eventIds.length === 0 ? [] : db.attachments.where('eventId').anyOf([...eventIds]).toArray(),
      eventIds.length === 0 ? [] : db.uploads.where('eventId').anyOf([...eventIds]).toArray(),
      uploadIds.length === 0 ? [] : db.uploads.bulkGet([...uploadIds]),
    ]);
    // A record stored one by one (from the feed, or a fetched timeline) is the newer copy.
    const records = new Map<string, Attachment>();
    for (const r of [...sliced, ...stored]) records.set(r.id, r);
    const uploads = new Map<string, StoredUpload>();
    for (const u of [...byEvent, ...byId]) if (u) uploads.set(u.id, u);
    return { records: [...records.values()], uploads: [...uploads.values()] };
  }).subscribe({ next: onFiles, error: () => undefined });
  return () => subscription.unsubscribe();
}

/** Uploads the server has had for long enough (their notes are on every desk): their bytes can go. */
export async function pruneUploaded(db: DeskDb, olderThan: Date): Promise<void> {
  const cutoff = olderThan.toISOString();
  await db.uploads
    .where('state')
    .equals('uploaded')
    .filter((u) => u.createdAt < cutoff)
    .delete();
}
