/**
 * The mail channel's routes for signed-in specialists: a mail's HTML part (as JSON, never served
 * as a page from our origin; the desk sanitises it), and the office's review list of mail that
 * did not become (part of) a case by itself: link it to a contact, create the contact, or dismiss
 * it. Every answer that carries a person's data is audited.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  MailReviewContactRequestSchema,
  MailReviewLinkRequestSchema,
  MailReviewQuerySchema,
  ROUTES,
  type MailReviewLinkResponseSchema,
  type MailReviewResponseSchema,
} from '../../shared/api';
import { Id, type Contact } from '../../shared/contract';
import { normalizePhone } from '../../shared/numbers';
import { sessionOf } from '../auth/access-hook';
import { auditAccess, auditAdmin } from '../http/access-audit';
import type { AppContext } from '../http/context';
import { HttpError, notFound, parseInput } from '../http/errors';
import type { MailRecord } from '../store/mail';

export const MAIL_HTML = '/api/mail/:eventId/html';
export const MAIL_REVIEW_LINK = '/api/mail/review/:id/link';
export const MAIL_REVIEW_CONTACT = '/api/mail/review/:id/contact';
export const MAIL_REVIEW_DISMISS = '/api/mail/review/:id/dismiss';

const EventParam = z.object({ eventId: Id });
const IdParam = z.object({ id: Id });
const REVIEW_LIMIT = 500;

type LinkResponse = z.infer<typeof MailReviewLinkResponseSchema>;

export function mailRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { store } = ctx;

  /** The contacts a sender's address belongs to (whose data a review item shows). */
  const contactsOf = (address: string | null): string[] => (address === null ? [] : store.contacts.byEmail(address).map((c) => c.id));

  app.get(MAIL_HTML, async (request) => {
    const { eventId } = parseInput(EventParam, request.params);
    const event = store.events.get(eventId);
    if (!event || event.kind !== 'mail') throw notFound('mail', 'eventId');
    const mail = store.mail.messageOfEvent(eventId);
    if (!mail || mail.html === null) throw new HttpError(404, 'no_html', 'this mail has no HTML part', 'eventId');
    const owner = store.cases.get(event.caseId);
    auditAccess(store, ctx.now(), sessionOf(request).specialist.id, [owner?.contactId, ...contactsOf(mail.fromAddress)], 'view', MAIL_HTML);
    return { html: mail.html };
  });

  app.get(ROUTES.mailReview, async (request): Promise<z.infer<typeof MailReviewResponseSchema>> => {
    const { office } = parseInput(MailReviewQuerySchema, request.query);
    const rows = store.mail.openReview(office, REVIEW_LIMIT);
    auditAccess(store, ctx.now(), sessionOf(request).specialist.id, rows.flatMap((r) => contactsOf(r.mail.fromAddress)), 'view', ROUTES.mailReview);
    return { items: rows.map((r) => r.item) };
  });

  /** The open review item and its mail, or the reason it cannot be acted on. */
  function openItem(id: string): { office: MailRecord['office']; mail: MailRecord; caseNumber: number | null } {
    const item = store.mail.review(id);
    if (!item) throw notFound('review item', 'id');
    if (item.state !== 'open') throw new HttpError(409, 'already_resolved', 'someone has already handled this mail', 'id');
    const mail = store.mail.message(item.mailId);
    if (!mail) throw notFound('mail', 'id');
    return { office: item.office, mail, caseNumber: item.caseNumber };
  }

  /** Links the item's mail to the contact, in the caller's transaction. */
  function link(reviewId: string, contact: Contact, specialistId: string): LinkResponse & { autoReply: boolean; office: MailRecord['office'] } {
    const channel = ctx.mail;
    if (!channel) throw new HttpError(409, 'mail_not_configured', 'the mail channel is not configured on this server');
    const { office, mail, caseNumber } = openItem(reviewId);
    if (contact.anonymisedAt !== null) throw new HttpError(409, 'anonymised', 'the contact has been anonymised', 'contactId');
    const customer = store.customers.get(contact.customerId);
    if (!customer) throw notFound('customer', 'contactId');
    const named = caseNumber === null ? null : store.cases.getByNumber(caseNumber);
    const now = ctx.now();
    const linked = channel.intake.link(mail, named, contact, customer, now);
    if (!store.mail.resolveReview(reviewId, 'linked', specialistId, now.toISOString(), linked.caseId)) {
      throw new HttpError(409, 'already_resolved', 'someone has already handled this mail', 'id');
    }
    auditAccess(store, now, specialistId, [contact.id], 'update', MAIL_REVIEW_LINK);
    return { ...linked, office };
  }

  function after(result: { autoReply: boolean; office: MailRecord['office'] }): void {
    ctx.mail?.changed();
    ctx.mail?.reviewChanged(result.office);
    if (result.autoReply) ctx.mail?.queued();
  }

  app.post(MAIL_REVIEW_LINK, async (request): Promise<LinkResponse> => {
    const { id } = parseInput(IdParam, request.params);
    const { contactId } = parseInput(MailReviewLinkRequestSchema, request.body);
    const contact = store.contacts.get(contactId);
    if (!contact) throw notFound('contact', 'contactId');
    const result = store.transaction(() => link(id, contact, sessionOf(request).specialist.id));
    after(result);
    return { caseId: result.caseId, caseNumber: result.caseNumber };
  });

  app.post(MAIL_REVIEW_CONTACT, async (request): Promise<LinkResponse> => {
    const { id } = parseInput(IdParam, request.params);
    const body = parseInput(MailReviewContactRequestSchema, request.body);
    const customer = store.customers.get(body.customerId);
    if (!customer) throw notFound('customer', 'customerId');
    const { mail } = openItem(id);
    if (mail.fromAddress === null) throw new HttpError(409, 'no_sender', 'this mail has no sender address to make a contact of', 'id');
    let phone: string | null = null;
    if (body.phone) {
      phone = normalizePhone(body.phone, customer.country);
      if (phone === null) throw new HttpError(400, 'invalid', 'not a phone number', 'phone');
    }
    const specialistId = sessionOf(request).specialist.id;
    const contact: Contact = {
      id: randomUUID(),
      customerId: customer.id,
      name: body.name,
      email: mail.fromAddress,
      phone,
      superUser: false,
      superUserSince: null,
      trainedModules: [],
      anonymisedAt: null,
    };
    const result = store.transaction(() => {
      store.contacts.insert(contact);
      store.changes.record('contacts', contact.id);
      auditAdmin(store, ctx.now(), specialistId, 'update', MAIL_REVIEW_CONTACT, { contactId: contact.id, detail: { created: true, from: 'mail_review' } });
      return link(id, contact, specialistId);
    });
    after(result);
    return { caseId: result.caseId, caseNumber: result.caseNumber };
  });

  app.post(MAIL_REVIEW_DISMISS, async (request) => {
    const { id } = parseInput(IdParam, request.params);
    const { office, mail } = openItem(id);
    const specialistId = sessionOf(request).specialist.id;
    store.transaction(() => {
      if (!store.mail.resolveReview(id, 'dismissed', specialistId, ctx.now().toISOString(), null)) {
        throw new HttpError(409, 'already_resolved', 'someone has already handled this mail', 'id');
      }
      auditAccess(store, ctx.now(), specialistId, contactsOf(mail.fromAddress), 'update', MAIL_REVIEW_DISMISS);
    });
    ctx.mail?.reviewChanged(office);
    return { ok: true };
  });
}
