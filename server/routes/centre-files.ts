/**
 * The customer centre's files: a customer's upload (the bytes as the body, checked like the desk's
 * upload — size, the type read from the bytes — and limited to the kinds a customer may attach),
 * then named in a new case or a reply (server/routes/centre.ts links it in the same transaction);
 * and the download of a file of the company's own case, on the registration or a public entry
 * only. An upload never named within `CENTRE_UPLOAD_KEEP_HOURS` is swept (the rows, then after
 * the commit the bytes); a person may have only so many waiting (`CENTRE_PENDING_UPLOADS_MAX`, and
 * `CENTRE_PENDING_UPLOAD_FILES_OF_MAX_SIZE` times the size limit in bytes), so uploads never named
 * cannot fill the disk.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ROUTES } from '../../shared/api';
import {
  CENTRE_UPLOAD_HEADERS,
  CENTRE_PENDING_UPLOAD_FILES_OF_MAX_SIZE,
  CENTRE_PENDING_UPLOADS_MAX,
  CENTRE_UPLOAD_KEEP_HOURS,
  CentreUploadHeadersSchema,
  centreFileAllowed,
  centreFileEvents,
  type CentreUpload,
} from '../../shared/centre';
import { isPreviewable } from '../../shared/mail';
import { centreSessionOf } from '../auth/access-hook';
import type { AppContext } from '../http/context';
import { HttpError, parseInput } from '../http/errors';
import type { AttachmentRow } from '../store/attachments';
import { acceptFileBodies, prepareUpload, readUpload, sendStoredFile, storedPath } from './attachments';

export const CENTRE_FILE = '/api/centre/files/:id';
const IdParam = z.object({ id: z.string().min(1).max(64) });
/** How often stale uploads are looked for (besides at every upload). */
const SWEEP_EVERY_MS = 60 * 60_000;

const notFound = (): HttpError => new HttpError(404, 'not_found', 'file not found', 'id');

export async function centreFileRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const files = ctx.store.attachments;
  acceptFileBodies(app, files);

  const keptSince = (): string => new Date(ctx.now().getTime() - CENTRE_UPLOAD_KEEP_HOURS * 3_600_000).toISOString();
  /** Its own transaction, the bytes after its commit (never inside an upload's: see the store). */
  const sweep = (): number => files.sweepCentreUploads(keptSince());
  /** Refuses an upload of `size` bytes over the person's allowance of uploads waiting to be named. */
  const checkPending = (contactId: string, size: number): void => {
    const pending = files.pendingCentreUploads(contactId, keptSince());
    if (pending.count >= CENTRE_PENDING_UPLOADS_MAX || pending.bytes + size > CENTRE_PENDING_UPLOAD_FILES_OF_MAX_SIZE * files.maxBytes) {
      throw new HttpError(
        429,
        'too_many_uploads',
        `too many files wait to be sent (at most ${CENTRE_PENDING_UPLOADS_MAX} files or ${CENTRE_PENDING_UPLOAD_FILES_OF_MAX_SIZE} times the size limit): send the case or reply with the files first`,
        'body',
      );
    }
  };
  const timer = setInterval(() => {
    try {
      sweep();
    } catch (error) {
      app.log.error({ err: error }, 'sweeping the customer centre’s unused uploads failed');
    }
  }, SWEEP_EVERY_MS);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));

  app.post(ROUTES.centreUploads, { config: { access: 'customer' }, bodyLimit: files.maxBytes }, async (request, reply) => {
    const { contact } = centreSessionOf(request);
    const headers = parseInput(CentreUploadHeadersSchema, request.headers);
    const upload = readUpload(request, headers[CENTRE_UPLOAD_HEADERS.name], CENTRE_UPLOAD_HEADERS.name);
    sweep();
    // Before anything is written; again below, where two uploads at once cannot both slip through.
    checkPending(contact.id, upload.bytes.byteLength);
    const prepared = await prepareUpload(files, upload, centreFileAllowed);
    const at = ctx.now().toISOString();
    let row: AttachmentRow;
    try {
      row = ctx.store.transaction(() => {
        checkPending(contact.id, prepared.size);
        const inserted = files.insert(prepared, { caseId: null, contactId: contact.id, uploadedBy: null, createdAt: at });
        ctx.store.audit.recordAction({ at, specialistId: null, action: 'centre_upload', route: ROUTES.centreUploads, contactId: contact.id, targetId: inserted.id });
        return inserted;
      });
    } catch (error) {
      // The bytes `prepare` wrote go again unless a row names them.
      files.sweep([prepared.sha256]);
      throw error;
    }
    const answer: CentreUpload = { id: row.id, name: row.name, size: row.size, contentType: row.contentType };
    return reply.code(201).send({ upload: answer });
  });

  app.get(CENTRE_FILE, { config: { access: 'customer' } }, async (request, reply) => {
    const { contact, customer } = centreSessionOf(request);
    const { id } = parseInput(IdParam, request.params, { status: 404 });
    const row = files.get(id);
    // Only a file on the company's own case, on the registration or a public entry (never a note's).
    if (!row || row.caseId === null || row.eventId === null) throw notFound();
    const c = ctx.store.cases.get(row.caseId);
    if (!c || c.customerId !== customer.id) throw notFound();
    if (!centreFileEvents(ctx.store.events.forCase(c.id)).has(row.eventId)) throw notFound();
    const path = storedPath(files, row);
    ctx.store.audit.recordAction({ at: ctx.now().toISOString(), specialistId: null, action: 'centre_file_download', route: CENTRE_FILE, contactId: contact.id, targetId: row.id });
    return sendStoredFile(reply, row, path, isPreviewable(row.contentType));
  });
}
