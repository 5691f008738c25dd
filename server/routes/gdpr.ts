/**
 * The data subject's rights (docs/domain.md, "Privacy"): one overview of everything about a person,
 * the same as a JSON download, rectification, anonymisation (cases stay, identity goes), and
 * for leads the access log of the person's data.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { UpdateContactRequestSchema, type GdprOverview } from '../../shared/api';
import { Id, type Contact } from '../../shared/contract';
import { auditAccess, auditAdmin, contactsInEvents, type AuditAction } from '../http/access-audit';
import { AnonymisationList } from '../store/anonymisation-list';
import { anonymiseContact, sweepAnonymised } from '../store/anonymise';
import { toRecord } from '../store/attachments';
import { truncateWal } from '../store/checkpointer';
import { sessionOf } from '../auth/access-hook';
import { applyContactToCentre } from '../centre/contact-change';
import type { AppContext } from '../http/context';
import { HttpError, notFound, parseInput } from '../http/errors';
import { gdprLeadRoutes } from './gdpr-lead';

export const GDPR_CONTACT = '/api/gdpr/contacts/:id';
export const GDPR_EXPORT = '/api/gdpr/contacts/:id/export';
export const GDPR_ANONYMISE = '/api/gdpr/contacts/:id/anonymise';
export const GDPR_ACCESS_LOG = '/api/gdpr/contacts/:id/access-log';

const IdParam = z.object({ id: Id });
const AccessLogQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(500) });

export function gdprRoutes(app: FastifyInstance, ctx: AppContext): void {
  const anonymisations = AnonymisationList.of(ctx.store);
  const contactOf = (request: FastifyRequest): Contact => {
    const { id } = parseInput(IdParam, request.params);
    const contact = ctx.store.contacts.get(id);
    if (!contact) throw notFound('contact', 'id');
    return contact;
  };

  const overview = (request: FastifyRequest, action: AuditAction, route: string): GdprOverview =>
    gdprOverview(ctx, contactOf(request), sessionOf(request).specialist.id, action, route);

  app.get(GDPR_CONTACT, async (request) => overview(request, 'gdpr_overview', GDPR_CONTACT));

  app.get(GDPR_EXPORT, async (request, reply) => {
    const data = overview(request, 'gdpr_export', GDPR_EXPORT);
    // The person's files travel in the one download, their bytes as base64.
    data.attachments = data.attachments.map((a) => {
      const row = ctx.store.attachments.get(a.id);
      const path = row ? ctx.store.attachments.blobPath(row.sha256) : null;
      return path && existsSync(path) ? { ...a, contentBase64: readFileSync(path).toString('base64') } : a;
    });
    return reply
      .header('content-disposition', `attachment; filename="contact-${encodeURIComponent(data.contact.id)}.json"`)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2));
  });

  app.patch(GDPR_CONTACT, async (request) => {
    const contact = contactOf(request);
    const patch = parseInput(UpdateContactRequestSchema, request.body);
    if (contact.anonymisedAt !== null) throw new HttpError(409, 'anonymised', 'an anonymised contact cannot be changed');
    const now = ctx.now();
    const becomesSuperUser = patch.superUser === true && !contact.superUser;
    const updated: Contact = {
      ...contact,
      ...patch,
      superUserSince: patch.superUser === false ? null : becomesSuperUser ? now.toISOString() : contact.superUserSince,
    };
    ctx.store.transaction(() => {
      ctx.store.contacts.update(updated);
      ctx.store.changes.record('contacts', contact.id);
      applyContactToCentre(ctx.store, updated, now.toISOString());
      // Which fields were rectified; their values are the person's data and stay out of the log.
      const fields = Object.keys(patch).filter((k) => JSON.stringify(updated[k as keyof Contact]) !== JSON.stringify(contact[k as keyof Contact]));
      auditAdmin(ctx.store, now, sessionOf(request).specialist.id, 'update', GDPR_CONTACT, { contactId: contact.id, detail: { fields: fields.sort() } });
    });
    ctx.live.poke(ctx.store.changes.latestSeq());
    return { contact: updated };
  });

  app.post(GDPR_ANONYMISE, { config: { access: 'lead' } }, async (request) => {
    const contact = contactOf(request);
    if (contact.anonymisedAt !== null) return { contact };
    const now = ctx.now();
    // On the list (outside the database and its backups) before the database changes: a restore
    // of an older backup, or a crash right after this line, is anonymised again at the next start.
    anonymisations.append(contact, now.toISOString());
    const outcome = ctx.store.transaction(() => {
      const done = anonymiseContact(ctx.store, contact, now);
      auditAdmin(ctx.store, now, sessionOf(request).specialist.id, 'anonymise', GDPR_ANONYMISE, {
        contactId: contact.id,
        detail: { calls: done.calls, events: done.events, cases: done.cases, attachments: done.attachments, mails: done.mails },
      });
      return done;
    });
    // The person's files, now that no row names them (a file someone else also sent stays).
    sweepAnonymised(ctx.store, outcome);
    ctx.live.poke(ctx.store.changes.latestSeq());
    // The WAL still holds older copies of the changed pages: copy it into the database (whose
    // pages secure_delete has overwritten) and empty it.
    if (!(await truncateWal(ctx.store.db))) request.log.warn('the WAL could not be emptied after an anonymisation; older page copies stay until it is reused');
    return { contact: outcome.contact };
  });

  app.get(GDPR_ACCESS_LOG, { config: { access: 'lead' } }, async (request) => {
    const contact = contactOf(request);
    const { limit } = parseInput(AccessLogQuery, request.query);
    return { entries: ctx.store.audit.query({ contactId: contact.id, limit }) };
  });

  gdprLeadRoutes(app, ctx, contactOf);
}

/** Everything about one person (the overview, the export's JSON), audited for them and the callers their cases' calls name. */
export function gdprOverview(ctx: AppContext, contact: Contact, specialistId: string, action: AuditAction, route: string): GdprOverview {
  const customer = ctx.store.customers.get(contact.customerId);
  if (!customer) throw notFound('customer');
  const cases = ctx.store.cases.byContact(contact.id);
  const now = ctx.now();
  const events = ctx.store.events.forCases(cases.map((c) => c.id));
  // The person's, and the other callers' whose calls were logged on the person's cases.
  auditAccess(ctx.store, now, specialistId, [contact.id, ...contactsInEvents(events)], action, route);
  return {
    generatedAt: now.toISOString(),
    contact,
    customer,
    cases,
    events,
    calls: ctx.store.calls.ofContact(contact.id, contact.phone),
    grants: ctx.store.grants.grantedBy(contact.id),
    attachments: ctx.store.attachments.ofContact(contact.id).map(toRecord),
    ...centreOf(ctx, contact.id),
  };
}

/** The person's customer-centre account and sessions, as they may see them. */
function centreOf(ctx: AppContext, contactId: string): Pick<GdprOverview, 'centreAccount' | 'centreSessions'> {
  const account = ctx.store.centre.record(contactId);
  if (!account) return { centreAccount: null, centreSessions: [] };
  const inviter = account.invitedBy === null ? null : { id: account.invitedBy, name: ctx.store.specialists.get(account.invitedBy)?.name ?? null };
  return {
    centreAccount: { email: account.email, createdAt: account.createdAt, invitedBy: inviter, passwordChangedAt: account.passwordChangedAt },
    centreSessions: ctx.store.centre.sessionRecordsOf(contactId),
  };
}
