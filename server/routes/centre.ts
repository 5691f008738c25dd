/**
 * The digital customer centre's routes (`/api/centre/…`): a lead's invitation, the customer's
 * login, password links and logout, and the SuperUser's own company's cases: the list, one case
 * with its public history, registering a case and replying on one. Every customer route needs a
 * customer's session (`access: 'customer'`); every action writes an audit row naming the contact.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  CentreCaseRequestSchema,
  CentreInvitationRequestSchema,
  CentreLoginRequestSchema,
  CentreReplyRequestSchema,
  CentreResetRequestSchema,
  CentreSetPasswordRequestSchema,
  centreAckText,
  centreFileEvents,
  publicEntries,
  type CentreCaseResponse,
  type CentreCaseSummary,
} from '../../shared/centre';
import type { AuditActionName } from '../../shared/admin';
import type { Case, CaseEvent, Contact, Customer } from '../../shared/contract';
import { ROUTES } from '../../shared/api';
import { entitlement } from '../../shared/entitlement';
import { caseSubject } from '../../shared/mail';
import { createCase } from '../../shared/mutations';
import { handlingDeadline, resolutionTarget } from '../../shared/sla';
import { teamOfIndustry } from '../../shared/teams';
import { centreSessionOf, sessionOf } from '../auth/access-hook';
import type { AppContext } from '../http/context';
import { HttpError, parseInput } from '../http/errors';
import { requireJson } from '../http/json-only';
import { MailIntake, queueMail, REOPEN_DAYS } from '../mail/intake';
import { newMessageId } from '../mail/message-id';
import { RawMailStore } from '../mail/raw-store';
import type { MailRecord } from '../store/mail';

export const CENTRE_CASE = '/api/centre/cases/:id';
export const CENTRE_REPLIES = '/api/centre/cases/:id/replies';
const CaseIdParam = z.object({ id: z.string().min(1).max(64) });

/** Small bodies only: passwords, links, addresses. */
const SMALL = 16 * 1024;
/** A company's cases in the list, newest first. */
const LIST_LIMIT = 500;

const clientOf = (request: FastifyRequest): { address: string; userAgent: string | null } => {
  const agent = request.headers['user-agent'];
  return { address: request.ip, userAgent: typeof agent === 'string' && agent !== '' ? agent : null };
};

/** The case's expected handling and resolution (bugs with a service level), in the customer's office's hours. */
function summaryOf(c: Case, customer: Customer): CentreCaseSummary {
  let sla: CentreCaseSummary['sla'] = null;
  if (c.category === 'bug' && c.serviceLevel !== null) {
    const registered = new Date(c.registeredAt);
    const target = resolutionTarget(registered, c.serviceLevel, customer.country);
    sla = { handlingBy: handlingDeadline(registered, c.serviceLevel, customer.country).toISOString(), resolveBy: target.deadline.toISOString(), earliest: target.earliest?.toISOString() ?? null };
  }
  return {
    id: c.id,
    number: c.number,
    title: c.title,
    module: c.module,
    category: c.category,
    serviceLevel: c.serviceLevel,
    status: c.status,
    registeredAt: c.registeredAt,
    resolvedAt: c.resolvedAt,
    sla,
  };
}

/** A case of the session's company, else 404 (another company's case is not there for them). */
function ownCase(ctx: AppContext, customer: Customer, id: string): Case {
  const c = ctx.store.cases.get(id);
  if (!c || c.customerId !== customer.id) throw new HttpError(404, 'not_found', 'case not found', 'id');
  return c;
}

/** Whether a customer's reply may still go on the case: open, or closed within the reopening window. */
function replyable(c: Case, now: Date): boolean {
  if (c.status !== 'closed') return true;
  return c.resolvedAt !== null && now.getTime() - Date.parse(c.resolvedAt) <= REOPEN_DAYS * 24 * 3_600_000;
}

/** Refuses a case the customer may not register, saying plainly why (the desk's entitlement rule). */
function assertEntitled(ctx: AppContext, customer: Customer, contact: Contact, module: Case['module']): void {
  const { reasons } = entitlement(customer, contact, module, ctx.store.contacts.ofCustomerList(customer.id));
  for (const reason of reasons) {
    switch (reason.code) {
      case 'module_not_licensed':
        throw new HttpError(400, 'module_not_licensed', 'your company has no licence for this module', 'module');
      case 'overdue_payment':
        throw new HttpError(403, 'overdue_payment', 'your company has overdue payments: support is paused until they are settled');
      case 'not_trained':
        throw new HttpError(403, 'not_trained', 'you are not trained on this module: a SuperUser trained on it can register the case', 'module');
      case 'over_quota':
        throw new HttpError(403, 'over_quota', "you are beyond the number of SuperUsers your company's licence allows");
      default:
        throw new HttpError(403, 'not_superuser', 'only a SuperUser of your company can register cases');
    }
  }
}

export function centreRoutes(app: FastifyInstance, ctx: AppContext): void {
  const audit = (contactId: string, action: AuditActionName, route: string, targetId: string | null = null): void =>
    ctx.store.audit.recordAction({ at: ctx.now().toISOString(), specialistId: null, action, route, contactId, targetId });
  // Threading a customer's reply is the intake's step, with or without a configured mailbox.
  let ownIntake: MailIntake | null = null;
  const intake = (): MailIntake =>
    ctx.mail?.intake ??
    (ownIntake ??= new MailIntake({ store: ctx.store, raw: new RawMailStore(''), mailboxes: [], maxBytes: 0, autoRepliesPerHour: 0, now: ctx.now }));
  /** The customer's uploads onto the case's event, in the caller's transaction; a bad id refuses it all. */
  const linkFiles = (ids: readonly string[], contactId: string, caseId: string, eventId: string): void => {
    if (ids.length === 0) return;
    const problem = ctx.store.attachments.linkCentreUploads(ids, contactId, caseId, eventId);
    if (problem) throw new HttpError(400, 'file_not_found', problem.message, 'files');
  };
  const fromAddress = (office: Customer['country']): string => ctx.mail?.mailboxOf(office)?.address ?? (office === 'FI' ? 'tuki@softone.fi' : 'support@softone.se');

  // ---- A lead invites a SuperUser -----------------------------------------------------------

  app.post(ROUTES.centreInvitations, { config: { access: 'lead' }, bodyLimit: SMALL }, async (request) => {
    const lead = sessionOf(request);
    const { contactId } = parseInput(CentreInvitationRequestSchema, request.body);
    const invited = ctx.centre.invite(contactId, lead.specialist.id, ROUTES.centreInvitations);
    ctx.mail?.queued();
    return invited;
  });

  // ---- The customer's account ---------------------------------------------------------------

  app.post(ROUTES.centreLogin, { config: { access: 'public' }, bodyLimit: SMALL, onRequest: requireJson() }, async (request) => {
    const { email, password } = parseInput(CentreLoginRequestSchema, request.body);
    return ctx.centre.login(email, password, clientOf(request), ROUTES.centreLogin);
  });

  app.post(ROUTES.centrePassword, { config: { access: 'public' }, bodyLimit: SMALL, onRequest: requireJson() }, async (request) => {
    const { token, password } = parseInput(CentreSetPasswordRequestSchema, request.body);
    return ctx.centre.setPassword(token, password, clientOf(request), ROUTES.centrePassword);
  });

  app.post(
    ROUTES.centreReset,
    { config: { access: 'public', rateLimit: { max: 10, timeWindow: 60_000 } }, bodyLimit: SMALL, onRequest: requireJson() },
    async (request, reply) => {
      const { email } = parseInput(CentreResetRequestSchema, request.body);
      ctx.centre.requestReset(email, ROUTES.centreReset);
      ctx.mail?.queued();
      // The same answer whether or not the address has an account.
      return reply.code(202).send({ status: 'accepted' });
    },
  );

  app.post(ROUTES.centreLogout, { config: { access: 'customer' } }, async (request, reply) => {
    ctx.centre.logout(centreSessionOf(request), ROUTES.centreLogout);
    return reply.code(204).send();
  });

  app.get(ROUTES.centreMe, { config: { access: 'customer' } }, async (request) => {
    const { contact, customer, expiresAt } = centreSessionOf(request);
    return { me: ctx.centre.me(contact, customer), expiresAt };
  });

  // ---- The company's cases ------------------------------------------------------------------

  app.get(ROUTES.centreCases, { config: { access: 'customer' } }, async (request) => {
    const { contact, customer } = centreSessionOf(request);
    const cases = ctx.store.cases.ofCustomer(customer.id, LIST_LIMIT).map((c) => summaryOf(c, customer));
    audit(contact.id, 'centre_cases', ROUTES.centreCases);
    return { cases };
  });

  app.get(CENTRE_CASE, { config: { access: 'customer' } }, async (request): Promise<CentreCaseResponse> => {
    const { contact, customer } = centreSessionOf(request);
    const { id } = parseInput(CaseIdParam, request.params, { status: 404 });
    const c = ownCase(ctx, customer, id);
    audit(contact.id, 'centre_case_view', CENTRE_CASE, c.id);
    const events = ctx.store.events.forCase(c.id);
    const entries = publicEntries(events);
    const shown = centreFileEvents(events);
    const registration = new Set(events.filter((e) => e.kind === 'created').map((e) => e.id));
    const files = ctx.store.attachments
      .ofCase(c.id)
      .filter((f) => f.eventId !== null && shown.has(f.eventId))
      .map((f) => ({ id: f.id, entryId: f.eventId === null || registration.has(f.eventId) ? null : f.eventId, name: f.name, size: f.size, contentType: f.contentType }));
    return { case: { ...summaryOf(c, customer), description: c.description }, entries, replyable: replyable(c, ctx.now()), files };
  });

  app.post(ROUTES.centreCases, { config: { access: 'customer' }, bodyLimit: 64 * 1024 }, async (request, reply) => {
    const { contact, customer } = centreSessionOf(request);
    const input = parseInput(CentreCaseRequestSchema, request.body);
    assertEntitled(ctx, customer, contact, input.module);
    const at = ctx.now().toISOString();
    const language = customer.language;
    const created = ctx.store.transaction(() => {
      const number = ctx.store.numbers.take(1);
      const outcome = createCase(
        {
          id: randomUUID(),
          number,
          customerId: customer.id,
          contactId: contact.id,
          product: 'go',
          module: input.module,
          category: input.category,
          serviceLevel: input.serviceLevel,
          team: teamOfIndustry(customer.industry),
          title: input.title,
          description: input.description,
          channel: 'portal',
          callId: null,
        },
        at,
      );
      if (outcome.kind === 'rejected') throw new HttpError(400, outcome.code, outcome.message, outcome.field?.replace(/^args\./, ''));
      const c = outcome.case;
      ctx.store.cases.insert(c);
      ctx.store.changes.record('cases', c.id);
      for (const [index, e] of outcome.events.entries()) {
        const withFiles = index === 0 && input.files.length > 0;
        const event: CaseEvent = { id: randomUUID(), caseId: c.id, at, receivedAt: at, actorId: null, kind: e.kind, text: e.text, data: withFiles ? { ...e.data, attachments: input.files.length } : e.data };
        ctx.store.events.insert(event);
        ctx.store.changes.record('events', event.id);
        // The screenshots go on the case's first event, like a mail's files on its event.
        if (withFiles) linkFiles(input.files, contact.id, c.id, event.id);
      }
      // The acknowledgement with the number, through the outgoing queue, in the customer's language.
      if (contact.email !== null) {
        queueMail(ctx.store, {
          office: customer.country,
          from: fromAddress(customer.country),
          to: contact.email,
          subject: caseSubject(c.number, c.title, language),
          text: centreAckText(language, c.number, contact.name),
          caseId: c.id,
          event: { id: randomUUID(), actorId: null, data: { auto: true } },
          inReplyTo: null,
          refs: [],
          auto: true,
          attachmentIds: [],
          at,
        });
      }
      ctx.store.audit.recordAction({ at, specialistId: null, action: 'centre_case_create', route: ROUTES.centreCases, contactId: contact.id, targetId: c.id });
      return c;
    });
    // On the right team's desks at once: the poke makes every desk pull the new case.
    ctx.live.poke(ctx.store.changes.latestSeq());
    ctx.mail?.queued();
    return reply.code(201).send({ case: summaryOf(created, customer) });
  });

  app.post(CENTRE_REPLIES, { config: { access: 'customer' }, bodyLimit: 64 * 1024 }, async (request, reply) => {
    const { contact, customer } = centreSessionOf(request);
    const { id } = parseInput(CaseIdParam, request.params, { status: 404 });
    const { text, files } = parseInput(CentreReplyRequestSchema, request.body);
    const now = ctx.now();
    const at = now.toISOString();
    const eventId = randomUUID();
    ctx.store.transaction(() => {
      // Read inside the transaction: the case may have been closed a moment ago.
      const c = ownCase(ctx, customer, id);
      if (!replyable(c, now)) throw new HttpError(409, 'case_closed', 'the case was closed long ago: register a new case', 'id');
      const mailbox = fromAddress(customer.country);
      // As if the customer had mailed it: an inbound mail on the case's thread (reopening a recently closed case).
      const record: MailRecord = {
        id: randomUUID(),
        messageId: newMessageId(mailbox),
        direction: 'in',
        office: customer.country,
        mailbox,
        caseId: null,
        eventId: null,
        fromAddress: contact.email,
        fromName: contact.name,
        toAddress: mailbox,
        subject: caseSubject(c.number, c.title, customer.language),
        text,
        html: null,
        inReplyTo: null,
        refs: [],
        autoKind: null,
        rawHash: null,
        size: Buffer.byteLength(text),
        attachmentCount: files.length,
        at,
      };
      ctx.store.mail.insertMessage(record);
      intake().thread(c, c.status === 'closed', record, eventId, at);
      linkFiles(files, contact.id, c.id, eventId);
      ctx.store.audit.recordAction({ at, specialistId: null, action: 'centre_reply', route: CENTRE_REPLIES, contactId: contact.id, targetId: c.id });
    });
    ctx.live.poke(ctx.store.changes.latestSeq());
    return reply.code(201).send({ eventId });
  });
}
