/**
 * Files go up before the note naming them: the engine calls `uploadBefore` with each push batch,
 * and only then sends the batch. Each waiting file is sent once (idempotent by its id, so a
 * retry after a lost answer is harmless) and marked uploaded. A network failure stops the push
 * like any other (the engine retries, the note waits with its files, offline included). A file
 * the server refuses (too large, empty, a case it does not know) is marked refused with the
 * reason, and the note goes without it: the specialist's text is never held back by a file.
 */
import { ATTACHMENT_HEADERS, AttachmentResponseSchema, ROUTES } from '../../../shared/index';
import { ApiError, isAuthError, isRetryable, type ApiClient } from '../api/client';
import type { DeskDb, UploadRefusal } from '../cache/db';
import { markRefused, markUploaded, uploadsByIds } from '../cache/uploads';
import type { OutboxEntry } from '../model/edits';

const idsOf = (e: OutboxEntry): readonly string[] =>
  e.envelope.name === 'addNote' || e.envelope.name === 'sendReply' ? (e.envelope.args.attachmentIds ?? []) : [];

/** The refusal of a file as the desk shows it: the code, the server's words, and the size limit when it said one. */
export function refusalOf(e: ApiError): UploadRefusal {
  const limit = e.code === 'too_large' ? /([\d.]+)\s*MB/.exec(e.message)?.[1] : undefined;
  return { code: e.code, message: e.message, ...(limit === undefined ? {} : { limitMb: Number(limit) }) };
}

/** Uploads the files the batch's notes name; drops refused files from their notes. Throws on network and auth failures. */
export async function uploadBefore(db: DeskDb, api: ApiClient, batch: OutboxEntry[], rewrite: (entry: OutboxEntry) => Promise<void>): Promise<void> {
  for (const entry of batch) {
    const ids = idsOf(entry);
    if (ids.length === 0) continue;
    const uploads = await uploadsByIds(db, ids);
    const refused = new Set<string>();
    for (const [i, upload] of uploads.entries()) {
      // Not here (a cache rebuilt since): the server may have it; it says so if not.
      if (!upload || upload.state === 'uploaded') continue;
      if (upload.state === 'refused') {
        refused.add(upload.id);
        continue;
      }
      try {
        await api.postBytes(
          ROUTES.attachments,
          upload.blob,
          {
            [ATTACHMENT_HEADERS.id]: upload.id,
            [ATTACHMENT_HEADERS.name]: encodeURIComponent(upload.name),
            [ATTACHMENT_HEADERS.caseId]: upload.caseId,
            'x-file-type': upload.type || 'application/octet-stream',
          },
          AttachmentResponseSchema,
        );
        await markUploaded(db, upload.id);
      } catch (e) {
        if (!(e instanceof ApiError) || isRetryable(e) || isAuthError(e)) throw e;
        await markRefused(db, upload.id, refusalOf(e));
        refused.add(ids[i] as string);
      }
    }
    if (refused.size > 0 && (entry.envelope.name === 'addNote' || entry.envelope.name === 'sendReply')) {
      const kept = ids.filter((id) => !refused.has(id));
      // Not sent yet in this form: the server has never seen it, so changing it is safe.
      entry.envelope = { ...entry.envelope, args: { ...entry.envelope.args, attachmentIds: kept } } as OutboxEntry['envelope'];
      await rewrite(entry);
    }
  }
}
