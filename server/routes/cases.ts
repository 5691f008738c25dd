import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PhoneLookupQuerySchema, ROUTES, SearchQuerySchema, type CaseDetail, type CallerInfo } from '../../shared/api';
import { Id } from '../../shared/contract';
import { parseCaseNumber } from '../../shared/numbers';
import { auditAccess } from '../audit';
import { callerInfo, phoneCandidates } from '../caller';
import { sessionOf } from '../auth';
import type { AppContext } from '../context';
import { HttpError, notFound, parseInput } from '../http';
import { prefixPattern } from '../store/json';
import { foldText } from '../store/store';

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

/** `LIKE` patterns for the start of an E.164 number, from what was typed: "+4670…", "0046…", "070…". */
function phonePrefixes(q: string): [string | null, string | null] {
  const compact = q.replace(/[\s\-().]/g, '');
  if (!/^\+?\d{3,}$/.test(compact)) return [null, null];
  if (compact.startsWith('+')) return [prefixPattern(compact), null];
  if (compact.startsWith('00')) return [prefixPattern(`+${compact.slice(2)}`), null];
  const full = phoneCandidates(compact);
  if (full.length > 0) return [prefixPattern(full[0] ?? ''), full[1] ? prefixPattern(full[1]) : null];
  // A national number still being typed: the trunk 0 becomes either country code.
  const national = compact.replace(/^0/, '');
  return [prefixPattern(`+46${national}`), prefixPattern(`+358${national}`)];
}

export function caseRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(CASE_BY_NUMBER, async (request): Promise<CaseDetail> => {
    const { n } = parseInput(NumberParam, request.params);
    const number = CASE_NUMBER_SHAPE.test(n.normalize('NFKC').trim().toLowerCase()) ? parseCaseNumber(n) : null;
    if (number === null) throw new HttpError(400, 'invalid', 'not a case number', 'n');
    const found = ctx.store.cases.getByNumber(number);
    if (!found) throw notFound(`case ${number}`, 'n');
    const customer = ctx.store.customers.get(found.customerId);
    if (!customer) throw notFound('customer');
    const contact = found.contactId ? ctx.store.contacts.get(found.contactId) : null;
    auditAccess(ctx.store, ctx.now(), sessionOf(request).specialist.id, [contact?.id], 'view', CASE_BY_NUMBER);
    return {
      case: found,
      customer,
      contact,
      events: ctx.store.events.forCase(found.id),
      grants: ctx.store.grants.forCustomer(customer.id),
    };
  });

  app.get(CASE_EVENTS, async (request) => {
    const { id } = parseInput(IdParam, request.params);
    const found = ctx.store.cases.get(id);
    if (!found) throw notFound('case', 'id');
    // A case's history (notes, calls) is about its contact: reading it is processing their data.
    auditAccess(ctx.store, ctx.now(), sessionOf(request).specialist.id, [found.contactId], 'view', CASE_EVENTS);
    return { events: ctx.store.events.forCase(id) };
  });

  app.get(ROUTES.phoneLookup, async (request): Promise<CallerInfo> => {
    const { number } = parseInput(PhoneLookupQuerySchema, request.query);
    const info = callerInfo(ctx.store, number);
    auditAccess(ctx.store, ctx.now(), sessionOf(request).specialist.id, [info.contact?.id], 'view', ROUTES.phoneLookup);
    return info;
  });

  app.get(ROUTES.customerSearch, async (request) => {
    const { q } = parseInput(SearchQuerySchema, request.query);
    const digits = q.replace(/[\s-]/g, '');
    const orgPattern = /^\d{2,}$/.test(digits) ? prefixPattern(digits) : null;
    const [phoneA, phoneB] = phonePrefixes(q);
    const folded = foldText(q);
    const customers = ctx.store.customers.search(folded, orgPattern, SEARCH_LIMIT);
    const contacts = ctx.store.contacts.search(folded, phoneA, phoneB, SEARCH_LIMIT);
    auditAccess(ctx.store, ctx.now(), sessionOf(request).specialist.id, contacts.map((c) => c.id), 'search', ROUTES.customerSearch);
    return { customers, contacts };
  });
}
