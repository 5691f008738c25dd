/**
 * Files on notes and replies: the upload (the bytes as the body, idempotent by the id the desk
 * chose) and the download (signed-in specialists only, always as a download or, for raster images
 * a desk previews, inline in a sandbox). What a file is comes from its bytes (store/attachments.ts).
 */
import { createReadStream, existsSync } from 'node:fs';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  ATTACHMENT_HEADERS,
  AttachmentDownloadQuerySchema,
  AttachmentUploadHeadersSchema,
  ROUTES,
} from '../../shared/api';
import { Id } from '../../shared/contract';
import { isPreviewable } from '../../shared/mail';
import { sessionOf } from '../auth/access-hook';
import { auditAdmin } from '../http/access-audit';
import type { AppContext } from '../http/context';
import { HttpError, notFound, parseInput, sendError } from '../http/errors';
import { AttachmentRefused, AttachmentStore, toRecord, tooLarge, type AttachmentRow, type PreparedFile } from '../store/attachments';

export const ATTACHMENTS = ROUTES.attachments;
export const ATTACHMENT = '/api/attachments/:id';

const IdParam = z.object({ id: Id });
/** The declared type, used only when the bytes are plain text (never trusted otherwise). */
const DECLARED_TYPE = 'x-file-type';

/** RFC 6266/5987: an ASCII fallback and the exact name in UTF-8. */
export function contentDisposition(kind: 'attachment' | 'inline', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

const refused = (error: AttachmentRefused): HttpError => new HttpError(error.status, error.code, error.message, 'body');

/**
 * A file's bytes as the body (`application/octet-stream`, up to the size limit) in this scope,
 * the body limit's refusal naming the limit: the desk's upload and the customer centre's.
 */
export function acceptFileBodies(app: FastifyInstance, files: AttachmentStore): void {
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: files.maxBytes }, (_request, body, done) => done(null, body));
  // The body limit's refusal names the limit; everything else goes to the app's error handler.
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, refused(tooLarge(files.maxBytes)));
    throw error;
  });
}

/** A refusal of the store's rules (size, emptiness, kind) as the route's answer. */
export const refusedFile = (error: AttachmentRefused): HttpError => refused(error);

/** An upload as the body carries it: the bytes, the name decoded, and the declared type. */
export interface Upload {
  bytes: Buffer;
  name: string;
  /** `x-file-type`, believed only for plain text (store/attachments.ts sniffType). */
  declaredType: string | null;
}

/**
 * The desk's and the centre's upload: the bytes as the body (else 415) and the URI-encoded name
 * (`encodedName`, the validated header `nameHeader`; not URI-encoded: 400 naming it).
 */
export function readUpload(request: FastifyRequest, encodedName: string, nameHeader: string): Upload {
  if (!Buffer.isBuffer(request.body)) throw new HttpError(415, 'unsupported_media_type', 'send the file as application/octet-stream', 'body');
  let name: string;
  try {
    name = decodeURIComponent(encodedName);
  } catch {
    throw new HttpError(400, 'invalid', 'the file name is not URI-encoded', nameHeader);
  }
  const declared = request.headers[DECLARED_TYPE];
  return { bytes: request.body, name, declaredType: typeof declared === 'string' ? declared : null };
}

/** `prepare` of an upload (type, hash, blob), the store's refusals as the route's answers. */
export async function prepareUpload(files: AttachmentStore, upload: Upload, allowed?: (contentType: string) => boolean): Promise<PreparedFile> {
  try {
    return await files.prepare(upload.bytes, upload.name, upload.declaredType, allowed);
  } catch (error) {
    if (error instanceof AttachmentRefused) throw refused(error);
    throw error;
  }
}

/** Where a row's bytes are; 410 when they are no longer stored. */
export function storedPath(files: AttachmentStore, row: AttachmentRow): string {
  const path = files.blobPath(row.sha256);
  if (!existsSync(path)) throw new HttpError(410, 'gone', 'the file is no longer stored', 'id');
  return path;
}

/**
 * A stored file's download: its sniffed type, never sniffed again by the browser, never cached;
 * `inline` (a previewable picture) in a sandbox that runs nothing, else as a download.
 */
export function sendStoredFile(reply: FastifyReply, row: AttachmentRow, path: string, inline: boolean): FastifyReply {
  void reply
    .header('content-type', row.contentType)
    .header('content-length', String(row.size))
    .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', row.name))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store');
  if (inline) void reply.header('content-security-policy', "sandbox; default-src 'none'");
  return reply.send(createReadStream(path));
}

export async function attachmentRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const files = ctx.store.attachments;
  acceptFileBodies(app, files);

  /** The same id again: the same answer for the same file, a refusal for another. */
  const again = (row: AttachmentRow, sha256: string, caseId: string, by: string): { attachment: ReturnType<typeof toRecord> } => {
    if (row.sha256 !== sha256 || row.caseId !== caseId || row.uploadedBy !== by) {
      throw new HttpError(409, 'id_taken', 'another file was uploaded under this id', ATTACHMENT_HEADERS.id);
    }
    return { attachment: toRecord(row) };
  };

  app.post(ATTACHMENTS, { bodyLimit: files.maxBytes }, async (request) => {
    const session = sessionOf(request);
    const headers = parseInput(AttachmentUploadHeadersSchema, request.headers);
    const upload = readUpload(request, headers[ATTACHMENT_HEADERS.name], ATTACHMENT_HEADERS.name);
    const bytes = upload.bytes;
    const caseId = headers[ATTACHMENT_HEADERS.caseId];
    const id = headers[ATTACHMENT_HEADERS.id];
    const by = session.specialist.id;
    if (!ctx.store.cases.get(caseId)) throw notFound('case', ATTACHMENT_HEADERS.caseId);
    const known = files.get(id);
    // A repeat (the desk retrying after a lost answer) writes nothing, unless the blob went missing.
    if (known) {
      const answer = again(known, AttachmentStore.hash(bytes), caseId, by);
      files.ensureBlob(known.sha256, bytes);
      return answer;
    }
    const prepared = await prepareUpload(files, upload);
    const createdAt = ctx.now().toISOString();
    return ctx.store.transaction(() => {
      // Two attempts of one upload may overlap: the second finds the first's row here.
      const raced = files.get(id);
      if (raced) {
        const answer = again(raced, prepared.sha256, caseId, by);
        files.ensureBlob(raced.sha256, bytes);
        return answer;
      }
      return { attachment: toRecord(files.insert(prepared, { id, caseId, uploadedBy: by, createdAt })) };
    });
  });

  app.get(ATTACHMENT, async (request, reply) => {
    const { id } = parseInput(IdParam, request.params);
    const { inline } = parseInput(AttachmentDownloadQuerySchema, request.query);
    const session = sessionOf(request);
    const row = files.get(id);
    // An upload not yet on a note is its uploader's alone.
    if (!row || (row.eventId === null && row.uploadedBy !== session.specialist.id)) throw notFound('attachment', 'id');
    const preview = inline === '1';
    if (preview && !isPreviewable(row.contentType)) {
      throw new HttpError(415, 'not_previewable', 'only PNG, JPEG, GIF and WebP images are shown inline: download the file instead', 'inline');
    }
    const path = storedPath(files, row);
    const contactId = row.contactId ?? (row.caseId === null ? null : ctx.store.cases.get(row.caseId)?.contactId) ?? null;
    auditAdmin(ctx.store, ctx.now(), session.specialist.id, 'attachment_download', ATTACHMENT, { targetId: row.id, contactId, detail: preview ? { inline: true } : null });
    return sendStoredFile(reply, row, path, preview);
  });
}
