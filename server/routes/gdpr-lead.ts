/**
 * The lead's GDPR screen's routes (lead only, audited): find a person by name, e-mail or phone;
 * what an anonymisation would take (the anonymiser run and rolled back, so the dialog names what
 * the real one then does); the export as a ZIP with the JSON and the person's files, streamed
 * (read in chunks, the event loop free between them) and one at a time.
 */
import { createReadStream, existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { Zip, ZipDeflate, ZipPassThrough, strToU8 } from 'fflate';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GDPR_ZIP_MAX_BYTES, GdprSearchQuerySchema, type AnonymisePreview, type GdprSearchResult } from '../../shared/admin';
import type { Call, Contact } from '../../shared/contract';
import { sessionOf } from '../auth/access-hook';
import { auditAccess, auditAdmin } from '../http/access-audit';
import type { AppContext } from '../http/context';
import { HttpError, parseInput } from '../http/errors';
import { foldText } from '../../shared/search';
import { anonymiseContact, type AnonymiseOutcome } from '../store/anonymise';
import { gdprOverview } from './gdpr';

export const GDPR_SEARCH = '/api/gdpr/search';
export const GDPR_ANONYMISE_PREVIEW = '/api/gdpr/contacts/:id/anonymise/preview';
export const GDPR_EXPORT_ZIP = '/api/gdpr/contacts/:id/export/zip';

/** At most this many people (contacts, and numbers without one) per search. */
const SEARCH_LIMIT = 50;
/** A phone search needs this many digits (fewer would match half the call log). */
const MIN_PHONE_DIGITS = 5;

class Rollback extends Error {}

/** A file name safe inside a ZIP on every system (no folders, no control characters). */
const safeName = (name: string): string => name.replace(/[\\/:*?"<>|\p{Cc}]/gu, '_').slice(0, 150) || 'file';

export function gdprLeadRoutes(app: FastifyInstance, ctx: AppContext, contactOf: (request: FastifyRequest) => Contact): void {
  const { db } = ctx.store;
  const findContacts = db.prepare<Record<string, unknown>, { id: string; customer: string }>(
    `SELECT co.id, cu.name AS customer FROM contacts co JOIN customers cu ON cu.id = co.customer_id
     WHERE instr(desk_fold(co.name), @text) > 0 OR instr(desk_fold(coalesce(co.email, '')), @text) > 0
        OR (@digits IS NOT NULL AND instr(replace(coalesce(co.phone, ''), '+', ''), @digits) > 0)
     ORDER BY co.anonymised_at IS NOT NULL, co.name, co.id LIMIT @limit`,
  );
  // Calls whose number no contact has: the number is the only thing Desk knows of that person.
  const numberCalls = db
    .prepare<Record<string, unknown>, string>(
      `SELECT ca.id FROM calls ca
       WHERE ca.contact_id IS NULL
         AND instr(replace(replace(replace(replace(CASE ca.direction WHEN 'in' THEN ca.from_raw ELSE ca.to_number END, '+', ''), ' ', ''), '-', ''), '(', ''), @digits) > 0
         AND NOT EXISTS (SELECT 1 FROM contacts co WHERE co.phone IN (ca.from_e164, ca.from_raw, ca.to_number))
       ORDER BY ca.started_at DESC LIMIT 500`,
    )
    .pluck();

  app.get(GDPR_SEARCH, { config: { access: 'lead' } }, async (request): Promise<GdprSearchResult> => {
    const { q } = parseInput(GdprSearchQuerySchema, request.query);
    const allDigits = q.replace(/\D/g, '');
    // A national number (070…) and an international one (+46 70…) share the digits after the 0 or the country code.
    const digits = allDigits.length >= MIN_PHONE_DIGITS && /^[\d\s+()-]+$/.test(q) ? allDigits.replace(/^0+/, '') : null;
    const contacts = findContacts
      // desk_fold (the store's SQL function) and foldText read names alike: "ake" and "åke" find "Åke".
      .all({ text: foldText(q), digits, limit: SEARCH_LIMIT })
      .flatMap(({ id, customer }) => {
        const contact = ctx.store.contacts.get(id);
        return contact ? [{ contact, customerName: customer }] : [];
      });
    const numbers = new Map<string, Call[]>();
    if (digits !== null) {
      for (const id of numberCalls.all({ digits })) {
        const call = ctx.store.calls.get(id);
        if (!call) continue;
        const number = call.direction === 'in' ? (call.from ?? call.fromRaw) : call.to;
        if (number === '') continue;
        const calls = numbers.get(number) ?? [];
        calls.push(call);
        numbers.set(number, calls);
        if (numbers.size > SEARCH_LIMIT) break;
      }
    }
    const now = ctx.now();
    const lead = sessionOf(request).specialist.id;
    ctx.store.transaction(() => {
      auditAccess(ctx.store, now, lead, contacts.map((c) => c.contact.id), 'search', GDPR_SEARCH);
      // The query itself is personal data: only what was found is logged.
      auditAdmin(ctx.store, now, lead, 'gdpr_search', GDPR_SEARCH, { detail: { contacts: contacts.length, numbers: numbers.size } });
    });
    return { contacts, numbers: [...numbers].slice(0, SEARCH_LIMIT).map(([number, calls]) => ({ number, calls })) };
  });

  app.get(GDPR_ANONYMISE_PREVIEW, { config: { access: 'lead' } }, async (request): Promise<AnonymisePreview> => {
    const contact = contactOf(request);
    const now = ctx.now();
    let outcome: AnonymiseOutcome | null = null;
    if (contact.anonymisedAt === null) {
      try {
        ctx.store.transaction(() => {
          outcome = anonymiseContact(ctx.store, contact, now);
          // Nothing of it stays: the counts are the plan.
          throw new Rollback();
        });
      } catch (e) {
        if (!(e instanceof Rollback)) throw e;
      }
    }
    const done = outcome as AnonymiseOutcome | null;
    auditAccess(ctx.store, now, sessionOf(request).specialist.id, [contact.id], 'gdpr_overview', GDPR_ANONYMISE_PREVIEW);
    const fields = (['name', 'email', 'phone', 'superUser', 'trainedModules', 'centreAccount'] as const).filter((f) =>
      f === 'name'
        ? true
        : f === 'superUser'
          ? contact.superUser
          : f === 'trainedModules'
            ? contact.trainedModules.length > 0
            : // The anonymisation deletes their customer-centre account (address, password, sessions).
              f === 'centreAccount'
              ? ctx.store.centre.get(contact.id) !== null
              : contact[f] !== null,
    );
    return {
      contactId: contact.id,
      fields: contact.anonymisedAt === null ? fields : [],
      casesKept: ctx.store.cases.byContact(contact.id).length,
      casesChanged: done?.cases ?? 0,
      events: done?.events ?? 0,
      calls: done?.calls ?? 0,
      attachments: done?.attachments ?? 0,
      mails: done?.mails ?? 0,
      alreadyAnonymised: contact.anonymisedAt !== null,
    };
  });

  // One export at a time: each reads up to GDPR_ZIP_MAX_BYTES of files.
  let exporting = false;

  app.get(GDPR_EXPORT_ZIP, { config: { access: 'lead' } }, async (request, reply) => {
    const contact = contactOf(request);
    const rows = ctx.store.attachments.ofContact(contact.id);
    const total = rows.reduce((sum, row) => sum + row.size, 0);
    if (total > GDPR_ZIP_MAX_BYTES) {
      throw new HttpError(413, 'too_large', `the person's files take ${total} bytes, more than the export's ${GDPR_ZIP_MAX_BYTES}`);
    }
    if (exporting) throw new HttpError(429, 'export_busy', 'another GDPR export is being built: try again when it is done');
    const data = gdprOverview(ctx, contact, sessionOf(request).specialist.id, 'gdpr_export', GDPR_EXPORT_ZIP);
    const files: Array<{ name: string; path: string }> = [];
    const missing: string[] = [];
    rows.forEach((row, i) => {
      const path = ctx.store.attachments.blobPath(row.sha256);
      if (!existsSync(path)) {
        missing.push(row.id);
        return;
      }
      files.push({ name: `attachments/${String(i + 1).padStart(3, '0')}-${safeName(row.name)}`, path });
    });
    const json = JSON.stringify({ ...data, missingFiles: missing }, null, 2);

    exporting = true;
    const out = new PassThrough();
    out.once('close', () => {
      exporting = false;
    });
    const zip = new Zip((error, chunk, final) => {
      if (error) {
        out.destroy(error);
        return;
      }
      out.write(chunk);
      if (final) out.end();
    });
    // Waits while the client reads slower than the files are read; false once the download is gone.
    const drained = (): Promise<boolean> =>
      new Promise((resolve) => {
        const done = (): void => {
          out.off('drain', done);
          out.off('close', done);
          resolve(!out.destroyed);
        };
        out.on('drain', done);
        out.on('close', done);
      });
    const pump = async (): Promise<void> => {
      const entry = new ZipDeflate(`contact-${contact.id}.json`, { level: 6 });
      zip.add(entry);
      entry.push(strToU8(json), true);
      for (const file of files) {
        // Files are mostly compressed already (images, PDFs): stored as they are, chunk by chunk.
        const stored = new ZipPassThrough(file.name);
        zip.add(stored);
        const stream = createReadStream(file.path);
        try {
          for await (const chunk of stream as AsyncIterable<Buffer>) {
            if (out.destroyed) return;
            stored.push(chunk);
            if (out.writableNeedDrain && !(await drained())) return;
          }
        } finally {
          stream.destroy();
        }
        stored.push(new Uint8Array(0), true);
      }
      zip.end();
    };
    pump().catch((error: unknown) => {
      request.log.warn({ err: error }, 'the GDPR export could not be built');
      out.destroy(error instanceof Error ? error : new Error(String(error)));
    });
    return reply
      .header('content-disposition', `attachment; filename="contact-${encodeURIComponent(contact.id)}.zip"`)
      .type('application/zip')
      .send(out);
  });
}
