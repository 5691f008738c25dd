/**
 * Files on notes, for the desk: a note with files keeps their bytes in the cache before the note
 * enters the outbox (so nothing is lost offline; the sync engine uploads them before it pushes the
 * note, sync/uploads.ts), the files of events as the cache knows them, and the bytes of a file
 * fetched with this session's token (for a preview or a download).
 */
import { ROUTES, type Attachment, type MutationBody } from '../../../shared/index';
import type { ApiClient } from '../api/client';
import type { DeskDb, StoredUpload, UploadRefusal } from '../cache/db';
import { keepUploads, watchEventFiles, type DraftFile, type EventFiles } from '../cache/uploads';
import type { OutboxEntry } from '../model/edits';

export type { Attachment, DraftFile, EventFiles, StoredUpload, UploadRefusal };

export class SessionAttachments {
  constructor(
    private readonly db: DeskDb,
    private readonly api: ApiClient,
    private readonly enqueue: (body: MutationBody) => Promise<OutboxEntry>,
    /** The event slices of a case's timeline (the store's), where the bootstrap's file records are. */
    private readonly slicesOf: (caseId: string) => readonly number[] = () => [],
  ) {}

  /** Saves a note with its files: the bytes first, then the note naming them. */
  async addNote(caseId: string, text: string, files: readonly DraftFile[]): Promise<OutboxEntry> {
    const eventId = crypto.randomUUID();
    if (files.length === 0) return this.enqueue({ name: 'addNote', args: { caseId, eventId, text } });
    await keepUploads(this.db, caseId, eventId, files);
    return this.enqueue({ name: 'addNote', args: { caseId, eventId, text, attachmentIds: files.map((f) => f.id) } });
  }

  /** Sends a reply with its files (the composer's reply mode): as `addNote`, the bytes first. */
  async sendReply(caseId: string, text: string, quote: boolean, files: readonly DraftFile[]): Promise<OutboxEntry> {
    const eventId = crypto.randomUUID();
    if (files.length > 0) await keepUploads(this.db, caseId, eventId, files);
    return this.enqueue({ name: 'sendReply', args: { caseId, eventId, text, quote, attachmentIds: files.map((f) => f.id) } });
  }

  /** Follows the files of these events (of the case `caseId`) and of these uploads (a note still in the outbox). */
  watch(eventIds: readonly string[], uploadIds: readonly string[], onFiles: (files: EventFiles) => void, caseId?: string): () => void {
    return watchEventFiles(this.db, eventIds, uploadIds, onFiles, caseId === undefined ? [] : this.slicesOf(caseId));
  }

  /** The event slices of the case's timeline: a watch follows them (see `watch`). */
  slicesOfCase(caseId: string): readonly number[] {
    return this.slicesOf(caseId);
  }

  /** The file's bytes from the server; `inline` only for raster images (a preview). */
  fetch(id: string, inline: boolean): Promise<Blob> {
    return this.api.getBlob(ROUTES.attachment(id), inline ? { inline: 1 } : undefined);
  }
}
