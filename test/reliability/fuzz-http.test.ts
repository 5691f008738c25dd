/**
 * Bad input on every route of the contract (and the phone-switch webhook): property-based
 * fuzzing with fast-check. Whatever arrives, the answer is never a 5xx; a refusal is a 4xx in the
 * contract's shape, naming the field when one field is broken; a refused request — and any GET —
 * leaves the data exactly as it was (a checksum of every data table before and after); and the
 * server is still up afterwards.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type PushResponse } from '../../shared/api';
import { startTestServer, type TestServer } from '../support/server';
import { isErrorBody, request, type Reply } from '../support/http';
import { dataChecksum } from './support/db';
import { brokenFieldRequests, garbageRequests, pathParamRequests, type FuzzRequest } from './support/fuzz-requests';
import { hasLoneSurrogate, oddText } from './support/hostile';
import { KNOBS, SEED } from './support/knobs';
import { fixturesOf, PLACEHOLDER_FIXTURES, ROUTE_SPECS, type Fixtures, type RouteSpec } from './support/routes';
import { reliabilityTally } from './support/summary';
import { leadWithTwoFactor } from '../support/two-factor';

const tally = reliabilityTally(import.meta.url);
afterAll(() => tally.finish());

describe('fuzzing every route', () => {
  let server: TestServer;
  let fixtures: Fixtures;
  let lead: string;
  let baseline: string;

  beforeAll(async () => {
    // The fuzzer checks how input is handled, not the rate limits (attack-http.test.ts does): a soak run sends more.
    server = await startTestServer({ cases: 40, server: { ctiOptions: '1=hantverk;2=handel', limits: { ctiPerMinute: 1_000_000, leasesPerMinute: 1_000_000 } } });
    fixtures = fixturesOf(server.store.db, server.ctiToken);
    // A lead whose session passed a second factor: the lead routes' inputs are reached too.
    lead = (await leadWithTwoFactor(server)).token;
    baseline = dataChecksum(server.store.db);
  });
  afterAll(() => server.close());

  /** Sends one fuzzed request and checks everything a refusal must satisfy. */
  async function check(spec: RouteSpec, req: FuzzRequest): Promise<Reply> {
    tally.add({ badInputs: 1 });
    // The logout route would end the session the fuzzer uses: it gets garbage tokens only.
    const token = spec.access === 'public' || spec.access === 'secret-url' || spec.key === 'logout' ? 'garbage-token' : lead;
    const answer = await request(server.url, req.method, req.path, {
      token,
      ...(req.raw === undefined ? {} : { raw: req.raw as string }),
      ...(req.contentType === undefined ? {} : { contentType: req.contentType }),
    });
    const what = `${req.method} ${req.path.slice(0, 200)} ${typeof req.raw === 'string' ? req.raw.slice(0, 300) : ''} → ${answer.status} ${answer.text.slice(0, 300)}`;
    expect(answer.status, what).toBeLessThan(500);
    const after = dataChecksum(server.store.db);
    if (answer.status >= 400) {
      expect(isErrorBody(answer.body), what).toBe(true);
      expect(after, `a refused request changed data: ${what}`).toBe(baseline);
    } else if (!spec.writes) {
      expect(after, `a read changed data: ${what}`).toBe(baseline);
    }
    baseline = after;
    // Too large to read (the body, or the URL and headers): refused before any field is parsed.
    const tooLarge = answer.status === 413 || answer.status === 431;
    if (req.broken && !tooLarge) {
      expect(answer.status, what).toBe(req.broken.status);
      const field = isErrorBody(answer.body) ? answer.body.error.field : undefined;
      expect(field === req.broken.field || field?.startsWith(`${req.broken.field}.`), `expected the field ${req.broken.field}: ${what}`).toBe(true);
    }
    if (req.param) {
      expect(answer.status, what).toBeGreaterThanOrEqual(400);
      const field = isErrorBody(answer.body) ? answer.body.error.field : undefined;
      expect([undefined, req.param], what).toContain(field);
    }
    return answer;
  }

  const runs = KNOBS.fuzzRunsPerRoute;

  // Routes that take input: a body, a query or a path parameter.
  const withInput = ROUTE_SPECS.filter((spec) => (brokenFieldRequests(spec, PLACEHOLDER_FIXTURES) ?? pathParamRequests(spec, PLACEHOLDER_FIXTURES)) !== null);

  it.each(withInput.map((spec) => [`${spec.method} ${spec.key}`, spec] as const))('%s: one broken field is a 4xx naming it', async (_name, spec) => {
    const arbitrary = brokenFieldRequests(spec, fixtures) ?? pathParamRequests(spec, fixtures);
    if (!arbitrary) throw new Error('a route with input has no generator');
    await fc.assert(fc.asyncProperty(arbitrary, async (req) => void (await check(spec, req))), { numRuns: runs, seed: SEED });
  }, KNOBS.testTimeoutMs);

  it.each(ROUTE_SPECS.map((spec) => [`${spec.method} ${spec.key}`, spec] as const))('%s: hostile path parameters and garbage bodies are 4xx, never 5xx', async (_name, spec) => {
    const params = pathParamRequests(spec, fixtures);
    const arbitrary = params ? fc.oneof(params, garbageRequests(spec, fixtures)) : garbageRequests(spec, fixtures);
    await fc.assert(fc.asyncProperty(arbitrary, async (req) => void (await check(spec, req))), { numRuns: runs, seed: SEED });
    expect((await request(server.url, 'GET', ROUTES.health)).status).toBe(200);
  }, KNOBS.testTimeoutMs);

  it('stores odd but valid text exactly as sent, and refuses text it could not store faithfully', async () => {
    const desk = { clientId: randomUUID(), next: 1 };
    // Spread over the cases, so no case's history grows long enough to slow the read-back.
    const caseIds = server.store.db.prepare<[], string>('SELECT id FROM cases').pluck().all();
    await fc.assert(
      fc.asyncProperty(oddText.filter((t) => t.trim().length > 0), async (text) => {
        tally.add({ badInputs: 1 });
        const eventId = randomUUID();
        const caseId = caseIds[desk.next % caseIds.length] ?? fixtures.caseId;
        const answer = await request<PushResponse>(server.url, 'POST', ROUTES.push, {
          token: lead,
          json: { mutations: [{ clientId: desk.clientId, mutationId: desk.next++, name: 'addNote', args: { caseId, eventId, text } }] },
        });
        if (hasLoneSurrogate(text)) {
          expect(answer.status).toBe(400);
          expect(answer.body).toMatchObject({ error: { field: 'mutations.0.args.text' } });
          return;
        }
        expect(answer.status).toBe(200);
        expect(answer.body.results[0]?.status).toBe('applied');
        const events = await request<{ events: Array<{ id: string; text: string | null }> }>(server.url, 'GET', ROUTES.caseEvents(caseId), { token: lead });
        // The contract trims a note; everything inside it comes back byte for byte.
        expect(events.body.events.find((e) => e.id === eventId)?.text).toBe(text.trim());
      }),
      { numRuns: runs * 3, seed: SEED },
    );
    baseline = dataChecksum(server.store.db);
  }, KNOBS.testTimeoutMs);

  it('is still up and serving after all of it', async () => {
    expect((await request(server.url, 'GET', ROUTES.health)).body).toEqual({ status: 'ok' });
    expect((await request(server.url, 'GET', ROUTES.me, { token: lead })).status).toBe(200);
  });
});
