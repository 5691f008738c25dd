import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PhoneLookupQuerySchema, ROUTES, SearchQuerySchema, type CaseDetail, type CallerInfo } from '../../shared/api';
import { Id, type CaseEvent } from '../../shared/contract';
import { parseCaseNumber } from '../../shared/numbers';
import { foldText, orgNumberPrefix, phonePrefixes } from '../../shared/search';
import { auditAccess, contactsInEvents } from '../http/access-audit';
import { callerInfo } from '../calls/caller-info';
import { sessionOf } from '../auth/access-hook';
import { toRecord } from '../store/attachments';
import type { AppContext } from '../http/context';
import { HttpError, notFound, parseInput } from '../http/errors';
import { prefixPattern } from '../store/json';

const SEARCH_LIMIT = 20;

/** Path patterns of the parameterised ROUTES. */
export const CASE_BY_NUMBER = '/api/cases/by-number/:n';
export const CASE_EVENTS = '/api/cases/:id/events';

const NumberParam = z.object({ n: z.string().max(40) });

/**
 * The shape `parseCaseNumber` (shared/numbers.ts) accepts, written without nested quantifiers:
 * its own pattern backtracks exponentially on text such as 30 dots and a "!", which would hold
 * the server's one thread for hours. Text of any other shape is not a case number anyway, so it
 * is refused before it reaches that pattern.
 */
const CASE_NUMBER_SHAPE = /^(?:[\p{L}.#:][\p{L}.#:\s-]*)?\d[\d\s\-\u00a0\u2009\u202f.]*$/u;
const IdParam = z.object({ id: Id });

/** `LIKE` patterns for the readings of a phone number being typed; a national one has two. */
function phonePatterns(q: string): [string | null, string | null] {
  const [first, second] = phonePrefixes(q).map(prefixPattern);
  return [first ?? null, second ?? null];
}

export function caseRoutes(app: FastifyInstance, ctx: AppContext): void {
  // A mail in a case's history carries its sender's or recipient's address.
  const mailContacts = (events: readonly CaseEvent[]): string[] => ctx.store.events.mailContactsOf(events.filter((e) => e.kind === 'mail').map((e) => e.id));

  app.get(CASE_BY_NUMBER, async (request): Promise<CaseDetail> => {
    const { n } = parseInput(NumberParam, request.params);
    const number = CASE_NUMBER_SHAPE.test(n.normalize('NFKC').trim().toLowerCase()) ? parseCaseNumber(n) : null;
    if (number === null) throw new HttpError(400, 'invalid', 'not a case number', 'n');
    const found = ctx.store.cases.getByNumber(number);
    if (!found) throw notFound(`case ${number}`, 'n');
    const customer = ctx.store.customers.get(found.customerId);
    if (!customer) throw notFound('customer');
    const contact = found.contactId ? ctx.store.contacts.get(found.contactId) : null;
    const events = ctx.store.events.forCase(found.id);
    auditAccess(ctx.store, ctx.now(), sessionOf(request).specialist.id, [contact?.id, ...contactsInEvents(events), ...mailContacts(events)], 'view', CASE_BY_NUMBER);
    return {
      case: found,
      customer,
      contact,
      events,
      grants: ctx.store.grants.forCustomer(customer.id),
      attachments: ctx.store.attachments.ofCase(found.id).map(toRecord),
    };
  });

  app.get(CASE_EVENTS, async (request) => {
    const { id } = parseInput(IdParam, request.params);
    const found = ctx.store.cases.get(id);
    if (!found) throw notFound('case', 'id');
    // A case's history (notes, calls) is about its contact, and each logged call about its
    // caller (name and number): reading it is processing their data.
    const events = ctx.store.events.forCase(id);
    auditAccess(ctx.store, ctx.now(), sessionOf(request).specialist.id, [found.contactId, ...contactsInEvents(events), ...mailContacts(events)], 'view', CASE_EVENTS);
    return { events, attachments: ctx.store.attachments.ofCase(id).map(toRecord) };
  });

  app.get(ROUTES.phoneLookup, async (request): Promise<CallerInfo> => {
    const { number } = parseInput(PhoneLookupQuerySchema, request.query);
    const info = callerInfo(ctx.store, number);
    auditAccess(ctx.store, ctx.now(), sessionOf(request).specialist.id, [info.contact?.id], 'view', ROUTES.phoneLookup);
    return info;
  });

  app.get(ROUTES.customerSearch, async (request) => {
    const { q } = parseInput(SearchQuerySchema, request.query);
    const org = orgNumberPrefix(q);
    const orgPattern = org === null ? null : prefixPattern(org);
    const [phoneA, phoneB] = phonePatterns(q);
    const folded = foldText(q);
    const customers = ctx.store.customers.search(folded, orgPattern, SEARCH_LIMIT);
    const contacts = ctx.store.contacts.search(folded, phoneA, phoneB, SEARCH_LIMIT);
    auditAccess(ctx.store, ctx.now(), sessionOf(request).specialist.id, contacts.map((c) => c.id), 'search', ROUTES.customerSearch);
    return { customers, contacts };
  });
}
