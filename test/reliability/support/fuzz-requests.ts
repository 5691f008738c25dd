/**
 * Requests for fuzzing every route: valid templates with exactly one field broken (the answer
 * must be a 4xx naming that field), path parameters of every kind, and unstructured garbage
 * (malformed JSON, forms, bytes, wrong content types, huge bodies, odd query strings).
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { z } from 'zod';
import {
  AuditQuerySchema,
  BootstrapQuerySchema,
  CallsQuerySchema,
  ChangesQuerySchema,
  CreateSpecialistRequestSchema,
  CtiEventSchema,
  LoginRequestSchema,
  MutationSchema,
  NumberBlockRequestSchema,
  PhoneLookupQuerySchema,
  SearchQuerySchema,
  UpdateContactRequestSchema,
  UpdateSpecialistRequestSchema,
} from '../../../shared/api';
import { Id } from '../../../shared/contract';
import { caseArgs } from '../../support/cases';
import { brokenEncoding, contentTypes, encodeSegment, hasLoneSurrogate, hostileString, hostileValue, loneSurrogate, longText } from './hostile';
import type { Fixtures, RouteSpec } from './routes';

export interface FuzzRequest {
  method: string;
  path: string;
  raw?: string | Uint8Array;
  contentType?: string;
  /** Exactly one field is broken: the answer is this status and names this field (or one inside it). */
  broken?: { status: number; field: string };
  /** A fuzzed path parameter: 4xx, naming at most this parameter. */
  param?: string;
}

/** Counterexamples can be megabytes long: fast-check prints this summary instead. */
export function summarised(req: FuzzRequest): FuzzRequest {
  const body = typeof req.raw === 'string' ? req.raw : req.raw ? `<${req.raw.length} bytes>` : '';
  const clip = (t: string): string => (t.length > 300 ? `${t.slice(0, 300)}…(${t.length} chars)` : t);
  return Object.defineProperty(req, fc.toStringMethod, { value: () => `${req.method} ${clip(req.path)} [${req.contentType ?? '-'}] ${clip(body)}`, enumerable: false });
}

type Shape = Record<string, z.ZodType>;
const shapeOf = (schema: unknown): Shape => (schema as { shape: Shape }).shape;

/** Values the field's schema refuses — and text the server refuses on top (lone surrogates). */
function invalidFor(schema: z.ZodType): fc.Arbitrary<unknown> {
  return fc
    .oneof(hostileValue, hostileString, longText, loneSurrogate.map((s) => `ok${s}ok`))
    .filter((v) => {
      // A "__proto__" key is refused as a whole (prototype poisoning), before any field is looked at.
      if (v === undefined || /"(__proto__|constructor)"/.test(JSON.stringify(v))) return false;
      // Judged as the server gets it: NaN and Infinity travel as null, which a nullable field takes.
      const parsed = schema.safeParse(JSON.parse(JSON.stringify(v)));
      return !parsed.success || hasLoneSurrogate(parsed.data);
    });
}

/** Query values as the server sees them: one string, or a list when the key repeats. */
function invalidQueryValue(schema: z.ZodType): fc.Arbitrary<string | string[]> {
  const text = fc.oneof(hostileString, longText, fc.constantFrom('', ' ', '-1', '0', '1.5', '1e3', '99999999999999999999', 'true', '[]', '{}'));
  return fc
    .oneof({ weight: 4, arbitrary: text }, { weight: 1, arbitrary: fc.array(text, { minLength: 2, maxLength: 3 }) })
    .filter((v) => !hasLoneSurrogate(v) && !schema.safeParse(v).success);
}

const setPath = (target: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> => {
  const copy = structuredClone(target);
  let node: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path[path.length - 1] ?? ''] = value;
  return copy;
};

interface BodyTemplate {
  valid: Record<string, unknown>;
  /** Dotted path → the schema of that field. */
  fields: Record<string, z.ZodType>;
  status: number;
}

const ARGS: Record<string, Shape> = Object.fromEntries(
  MutationSchema.options.map((option) => {
    const shape = shapeOf(option);
    return [(shape.name as unknown as { value: string }).value, shapeOf(shape.args)];
  }),
);

function mutationTemplate(name: string): Record<string, unknown> {
  // Ids of nothing: a template that happened to pass validation would change no data.
  const caseId = `fuzz-${randomUUID()}`;
  const args: Record<string, Record<string, unknown>> = {
    createCase: caseArgs({ number: 999_999_001, customerId: 'no-such-customer', title: 'Fuzz' }),
    editFields: { caseId, fields: { title: 'Fuzz' } },
    transition: { caseId, to: 'closed' },
    assign: { caseId, assigneeId: null },
    transfer: { caseId, toTeam: 2, reason: 'Fuzz' },
    addNote: { caseId, eventId: randomUUID(), text: 'Fuzz' },
    logMinutes: { caseId, minutes: 5 },
    markBillingInformed: { caseId },
    logCall: { caseId, callId: 'no-such-call', eventId: randomUUID() },
    recordGrant: { grantId: randomUUID(), customerId: 'no-such-customer', kind: 'support', grantedByContactId: 'no-such-contact', grantedAt: new Date().toISOString() },
    revokeGrant: { grantId: 'no-such-grant' },
    markCallDone: { callId: 'no-such-call' },
    logCallback: { caseId, callId: 'no-such-call', eventId: randomUUID() },
    sendReply: { caseId, eventId: randomUUID(), text: 'Fuzz' },
    // Someone else's personal template, an article of nobody's: refused or harmless if one got through.
    saveTemplate: { id: randomUUID(), language: 'sv', scope: { kind: 'personal', ownerId: 'no-such-specialist' }, title: 'Fuzz', body: 'Fuzz' },
    deleteTemplate: { id: 'no-such-template' },
    saveArticle: { id: randomUUID(), language: 'sv', module: 'finance', title: 'Fuzz', body: 'Fuzz', public: false },
    deleteArticle: { id: 'no-such-article' },
  };
  return { clientId: randomUUID(), mutationId: 1, baseVersion: 1, name, args: args[name] };
}

const ENVELOPE: Shape = { clientId: Id, mutationId: z.number().int().min(1), baseVersion: z.number().int().min(1), name: z.enum(Object.keys(ARGS) as [string, ...string[]]) };

function bodyTemplates(spec: RouteSpec): BodyTemplate[] {
  const fieldsOf = (shape: Shape, prefix = ''): Record<string, z.ZodType> => Object.fromEntries(Object.entries(shape).map(([k, v]) => [`${prefix}${k}`, v]));
  switch (`${spec.method} ${spec.key}`) {
    case 'POST login':
      return [{ valid: { email: 'nobody@softone.se', password: 'not the password' }, fields: fieldsOf(shapeOf(LoginRequestSchema)), status: 400 }];
    case 'POST numbers':
      return [{ valid: { clientId: randomUUID(), size: 1 }, fields: fieldsOf(shapeOf(NumberBlockRequestSchema)), status: 400 }];
    case 'POST push':
      return Object.keys(ARGS).map((name) => ({
        valid: { mutations: [mutationTemplate(name)] },
        fields: {
          ...fieldsOf(ENVELOPE, 'mutations.0.'),
          ...fieldsOf(ARGS[name] ?? {}, 'mutations.0.args.'),
          ...(name === 'editFields' ? fieldsOf(shapeOf(ARGS.editFields?.fields), 'mutations.0.args.fields.') : {}),
        },
        status: 400,
      }));
    case 'POST specialists':
      return [
        {
          valid: { email: `fuzz-${randomUUID()}@softone.se`, name: 'Fuzz', role: 'specialist', teams: [1], office: 'SE', language: 'sv', password: 'a long enough password' },
          fields: fieldsOf(shapeOf(CreateSpecialistRequestSchema)),
          status: 400,
        },
      ];
    case 'PATCH specialist':
      return [{ valid: { name: 'Fuzz' }, fields: fieldsOf(shapeOf(UpdateSpecialistRequestSchema)), status: 400 }];
    case 'PATCH gdprContact':
      return [{ valid: { name: 'Fuzz' }, fields: fieldsOf(shapeOf(UpdateContactRequestSchema)), status: 400 }];
    case 'POST cti':
      return [{ valid: { event: 'newCall', from: '+46701234567', to: '', direction: 'in', callId: 'fuzz' }, fields: fieldsOf(shapeOf(CtiEventSchema)), status: 422 }];
    default:
      return [];
  }
}

interface QueryTemplate {
  valid: Record<string, string>;
  fields: Shape;
}

function queryTemplate(spec: RouteSpec): QueryTemplate | null {
  switch (`${spec.method} ${spec.key}`) {
    case 'GET bootstrap':
      // Any text that is not a cursor this server wrote is refused, naming `page`.
      return { valid: { teams: '1,2', limit: '5' }, fields: { ...shapeOf(BootstrapQuerySchema), page: z.never() } };
    case 'GET changes':
      return { valid: { after: '0', limit: '5' }, fields: shapeOf(ChangesQuerySchema) };
    case 'GET calls':
      return { valid: { filter: 'all', limit: '5' }, fields: shapeOf(CallsQuerySchema) };
    case 'GET audit':
      return { valid: { limit: '5' }, fields: shapeOf(AuditQuerySchema) };
    case 'GET gdprAccessLog':
      return { valid: { limit: '5' }, fields: { limit: z.coerce.number().int().min(1).max(1000) } };
    case 'GET phoneLookup':
      return { valid: { number: '0701234567' }, fields: shapeOf(PhoneLookupQuerySchema) };
    case 'GET customerSearch':
      return { valid: { q: 'ab' }, fields: shapeOf(SearchQuerySchema) };
    default:
      return null;
  }
}

const queryString = (values: Record<string, string | string[]>): string => {
  const parts = Object.entries(values).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((item) => `${encodeSegment(k)}=${encodeSegment(item)}`));
  return parts.length > 0 ? `?${parts.join('&')}` : '';
};

/** Requests with exactly one field broken; empty when the route takes no input. */
export function brokenFieldRequests(spec: RouteSpec, f: Fixtures): fc.Arbitrary<FuzzRequest> | null {
  const bodies = bodyTemplates(spec);
  const query = queryTemplate(spec);
  const options: Array<fc.Arbitrary<FuzzRequest>> = [];
  for (const template of bodies) {
    for (const [field, schema] of Object.entries(template.fields)) {
      options.push(
        invalidFor(schema).map((value) => ({
          method: spec.method,
          path: spec.path(f),
          raw: JSON.stringify(setPath(template.valid, field.split('.'), value)),
          contentType: 'application/json',
          broken: { status: template.status, field },
        })),
      );
      // The phone switch also posts forms (Zammad): one field broken there too.
      if (spec.key === 'cti' && !field.startsWith('user')) {
        options.push(
          invalidQueryValue(schema).map((value) => ({
            method: spec.method,
            path: spec.path(f),
            raw: queryString({ ...(template.valid as Record<string, string>), [field]: value }).slice(1),
            contentType: 'application/x-www-form-urlencoded',
            broken: { status: template.status, field },
          })),
        );
      }
    }
  }
  if (query) {
    for (const [field, schema] of Object.entries(query.fields)) {
      options.push(
        invalidQueryValue(schema).map((value) => ({
          method: spec.method,
          path: `${spec.path(f)}${queryString({ ...query.valid, [field]: value })}`,
          broken: { status: 400, field },
        })),
      );
    }
  }
  return options.length > 0 ? fc.oneof(...options).map(summarised) : null;
}

const PARAMS: Partial<Record<RouteSpec['key'], string>> = {
  caseByNumber: 'n',
  caseEvents: 'id',
  callDone: 'id',
  cti: 'token',
  specialist: 'id',
  gdprContact: 'id',
  gdprExport: 'id',
  gdprAnonymise: 'id',
  gdprAccessLog: 'id',
};

/** The route with its path parameter replaced by hostile text (or broken percent-encoding). */
export function pathParamRequests(spec: RouteSpec, f: Fixtures): fc.Arbitrary<FuzzRequest> | null {
  const param = PARAMS[spec.key];
  if (param === undefined) return null;
  const marker = 'PARAM-MARKER';
  const withMarker = spec.path({ ...f, caseNumber: 1, caseId: marker, callId: marker, specialistId: marker, contactId: marker, ctiToken: marker });
  return fc.oneof(hostileString.map(encodeSegment), brokenEncoding, fc.tuple(hostileString, brokenEncoding).map(([a, b]) => `${encodeSegment(a)}${b}`)).map((segment) => ({
    method: spec.method,
    path: spec.key === 'caseByNumber' ? withMarker.replace(/\/1$/, `/${segment}`) : withMarker.replace(marker, segment),
    raw: spec.method === 'GET' ? undefined : '{}',
    contentType: spec.method === 'GET' ? undefined : 'application/json',
    param,
  })).map(summarised);
}

const bytes = fc.uint8Array({ maxLength: 300 }).map((b) => new Uint8Array(b));

/** Anything at all: malformed JSON, forms, bytes, huge bodies, any content type, odd query strings. */
export function garbageRequests(spec: RouteSpec, f: Fixtures): fc.Arbitrary<FuzzRequest> {
  const jsonText = hostileValue.map((v) => JSON.stringify(v) ?? 'undefined');
  const brokenJson = fc.oneof(
    jsonText.chain((t) => fc.integer({ min: 0, max: Math.max(0, t.length - 1) }).map((cut) => t.slice(0, cut))),
    fc.constantFrom('{', '[', '{"a":', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', 'nul', 'tru', '"\\ud800"', '{"a":"\\u0000"}', '\u0000', '{}{}', '[1,]', "{'a':1}", 'NaN', '1e999999'),
    fc.integer({ min: 1, max: 50_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
    fc.integer({ min: 1, max: 20_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
  );
  const form = fc.dictionary(hostileString, fc.oneof(hostileString, fc.array(hostileString, { maxLength: 3 })), { maxKeys: 5 }).map((d) => queryString(d).slice(1));
  const huge = fc.constantFrom(1_100_000, 5_300_000).map((n) => `{"x":"${'x'.repeat(n)}"}`);
  const body: fc.Arbitrary<string | Uint8Array | undefined> = fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: jsonText },
    { weight: 3, arbitrary: brokenJson },
    { weight: 2, arbitrary: form },
    { weight: 1, arbitrary: bytes },
    { weight: 1, arbitrary: hostileString },
    { weight: 1, arbitrary: huge },
  );
  const query = fc.option(fc.dictionary(fc.oneof(hostileString, fc.constantFrom('after', 'limit', 'teams', 'page', 'q', 'number', 'filter', '__proto__')), fc.oneof(hostileString, fc.array(hostileString, { maxLength: 3 })), { maxKeys: 4 }), { nil: undefined });
  return fc.record({ body, contentType: fc.option(contentTypes, { nil: undefined }), query }).map(({ body: raw, contentType, query: q }) => ({
    method: spec.method,
    path: `${spec.path(f)}${q ? queryString(q) : ''}`,
    ...(raw === undefined || spec.method === 'GET' ? {} : { raw }),
    ...(contentType === undefined ? {} : { contentType }),
  })).map(summarised);
}
