/**
 * The customer centre's files: a customer's upload (the bytes as the body, checked like the desk's
 * upload — size, the type read from the bytes — and limited to the kinds a customer may attach),
 * then named in a new case or a reply (server/routes/centre.ts links it in the same transaction);
 * and the download of a file of the company's own case, on the registration or a public entry
 * only. An upload never named within `CENTRE_UPLOAD_KEEP_HOURS` is swept.
 */
import { createReadStream, existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ROUTES } from '../../shared/api';
import {
  CENTRE_UPLOAD_HEADERS,
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
import { AttachmentRefused, type AttachmentRow } from '../store/attachments';
import { acceptFileBodies, contentDisposition, refusedFile } from './attachments';

export const CENTRE_FILE = '/api/centre/files/:id';
const IdParam = z.object({ id: z.string().min(1).max(64) });
/** The declared type, believed only for plain text (store/attachments.ts sniffType). */
const DECLARED_TYPE = 'x-file-type';
/** How often stale uploads are looked for (besides at every upload). */
const SWEEP_EVERY_MS = 60 * 60_000;

const notFound = (): HttpError => new HttpError(404, 'not_found', 'file not found', 'id');

export async function centreFileRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const files = ctx.store.attachments;
  acceptFileBodies(app, files);

  const sweep = (): number => files.sweepCentreUploads(new Date(ctx.now().getTime() - CENTRE_UPLOAD_KEEP_HOURS * 3_600_000).toISOString());
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
    if (!Buffer.isBuffer(request.body)) throw new HttpError(415, 'unsupported_media_type', 'send the file as application/octet-stream', 'body');
    let name: string;
    try {
      name = decodeURIComponent(headers[CENTRE_UPLOAD_HEADERS.name]);
    } catch {
      throw new HttpError(400, 'invalid', 'the file name is not URI-encoded', CENTRE_UPLOAD_HEADERS.name);
    }
    const declared = request.headers[DECLARED_TYPE];
    let prepared;
    try {
      prepared = await files.prepare(request.body, name, typeof declared === 'string' ? declared : null, centreFileAllowed);
    } catch (error) {
      if (error instanceof AttachmentRefused) throw refusedFile(error);
      throw error;
    }
    const at = ctx.now().toISOString();
    const row: AttachmentRow = ctx.store.transaction(() => {
      sweep();
      const inserted = files.insert(prepared, { caseId: null, contactId: contact.id, uploadedBy: null, createdAt: at });
      ctx.store.audit.recordAction({ at, specialistId: null, action: 'centre_upload', route: ROUTES.centreUploads, contactId: contact.id, targetId: inserted.id });
      return inserted;
    });
    const upload: CentreUpload = { id: row.id, name: row.name, size: row.size, contentType: row.contentType };
    return reply.code(201).send({ upload });
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
    const path = files.blobPath(row.sha256);
    if (!existsSync(path)) throw new HttpError(410, 'gone', 'the file is no longer stored', 'id');
    ctx.store.audit.recordAction({ at: ctx.now().toISOString(), specialistId: null, action: 'centre_file_download', route: CENTRE_FILE, contactId: contact.id, targetId: row.id });
    const image = isPreviewable(row.contentType);
    void reply
      .header('content-type', row.contentType)
      .header('content-length', String(row.size))
      .header('content-disposition', contentDisposition(image ? 'inline' : 'attachment', row.name))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store');
    if (image) void reply.header('content-security-policy', "sandbox; default-src 'none'");
    return reply.send(createReadStream(path));
  });
}
