/**
 * Concurrent edits of one field from two desks, both made against the same case version: the
 * server applies whichever reaches it first, answers the other with `conflict` and the current
 * case (never overwriting silently), and once the second desk's specialist keeps their value the
 * case history holds both values in server order.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PushResponseSchema, ROUTES, type CaseDetail, type Mutation, type MutationResult } from '../../shared/api';
import type { Case, CaseEvent } from '../../shared/contract';
import { MODULE_IDS, PRODUCT_IDS } from '../../shared/modules';
import { caseArgs } from '../support/cases';
import { startTestServer, type TestServer } from '../support/server';
import { request } from '../support/http';
import { KNOBS, SEED } from './support/knobs';
import { reliabilityTally } from './support/summary';

const tally = reliabilityTally(import.meta.url);
afterAll(() => tally.finish());

type EditableField = 'title' | 'description' | 'module' | 'product';

class TwoDeskClient {
  readonly clientId = randomUUID();
  private nextId = 1;

  constructor(
    private readonly url: string,
    readonly token: string,
  ) {}

  mutation(body: Pick<Mutation, 'name' | 'args'>, baseVersion?: number): Mutation {
    return { clientId: this.clientId, mutationId: this.nextId++, ...body, ...(baseVersion === undefined ? {} : { baseVersion }) } as Mutation;
  }

  async push(mutation: Mutation): Promise<MutationResult> {
    const answer = await request(this.url, 'POST', ROUTES.push, { token: this.token, json: { mutations: [mutation] } });
    expect(answer.status).toBe(200);
    const result = PushResponseSchema.parse(answer.body).results[0];
    if (!result) throw new Error('no result');
    tally.add({ load: 1 });
    return result;
  }
}

/** Text as people type it, odd characters included (well-formed: lone surrogates are refused elsewhere). */
const oddText = fc.string({
  unit: fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: fc.constantFrom('\u0000', '\u200b', '\u200f', '\u202e', '\ufeff', '😀', '👩‍👩‍👧', 'e\u0301', "'; DROP TABLE cases; --", '%_\\') },
  ),
  minLength: 1,
  maxLength: 40,
});

const valueFor: Record<EditableField, fc.Arbitrary<string>> = {
  title: oddText.map((s) => s.trim()).filter((s) => s.length > 0 && s.length <= 300),
  description: oddText,
  module: fc.constantFrom(...MODULE_IDS),
  product: fc.constantFrom(...PRODUCT_IDS),
};

const fieldAndValues = fc
  .constantFrom<EditableField>('title', 'description', 'module', 'product')
  .chain((field) => fc.tuple(fc.constant(field), valueFor[field], valueFor[field]))
  .filter(([, a, b]) => a !== b);

describe('two desks edit the same field at once', () => {
  let server: TestServer;
  let deskA: TwoDeskClient;
  let deskB: TwoDeskClient;
  let caseNumbers: number[];

  beforeAll(async () => {
    server = await startTestServer({ cases: 60 });
    deskA = new TwoDeskClient(server.url, await server.login(server.specialistEmails[0]));
    deskB = new TwoDeskClient(server.url, await server.login(server.specialistEmails[1]));
    caseNumbers = server.store.db.prepare<[], number>(`SELECT number FROM cases WHERE status <> 'closed' ORDER BY number LIMIT 10`).pluck().all();
  });
  afterAll(() => server.close());

  const detail = async (number: number): Promise<CaseDetail> => {
    const answer = await request<CaseDetail>(server.url, 'GET', ROUTES.caseByNumber(number), { token: await tokenOfReader() });
    expect(answer.status).toBe(200);
    return answer.body;
  };
  let readerToken: string | null = null;
  const tokenOfReader = async (): Promise<string> => (readerToken ??= await server.login());

  it('lets one win by server order, answers the other with a conflict and the current case, and keeps both values in the history', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fieldAndValues, async ([field, valueA, valueB]) => {
        const number = caseNumbers[round++ % caseNumbers.length] ?? 0;
        const before = (await detail(number)).case;
        fc.pre(before[field] !== valueA && before[field] !== valueB);
        const base = before.version;
        const editA = deskA.mutation({ name: 'editFields', args: { caseId: before.id, fields: { [field]: valueA } } }, base);
        const editB = deskB.mutation({ name: 'editFields', args: { caseId: before.id, fields: { [field]: valueB } } }, base);
        const [resultA, resultB] = await Promise.all([deskA.push(editA), deskB.push(editB)]);

        // Exactly one applied; the other is a conflict on that field carrying the winner's case.
        expect([resultA.status, resultB.status].sort()).toEqual(['applied', 'conflict']);
        const aWon = resultA.status === 'applied';
        const [won, lost] = aWon ? [resultA, resultB] : [resultB, resultA];
        const [winnerValue, loserValue] = aWon ? [valueA, valueB] : [valueB, valueA];
        const [loserDesk, loserEdit] = aWon ? [deskB, editB] : [deskA, editA];
        if (won.status !== 'applied' || lost.status !== 'conflict') throw new Error('unreachable');
        expect(won.case?.[field]).toBe(winnerValue);
        expect(won.case?.version).toBe(base + 1);
        expect(lost.fields).toEqual([field]);
        expect(lost.case[field]).toBe(winnerValue);
        expect(lost.case.version).toBe(base + 1);

        // A retry of the refused mutation is not applied behind the desk's back.
        const replay = await loserDesk.push(loserEdit);
        expect(replay.status).toBe('conflict');

        // The specialist shown the conflict keeps their own value: a new edit on the current version.
        const keep = await loserDesk.push(loserDesk.mutation({ name: 'editFields', args: { caseId: before.id, fields: { [field]: loserValue } } }, lost.case.version));
        expect(keep.status).toBe('applied');

        const after = await detail(number);
        expect(after.case[field]).toBe(loserValue);
        expect(after.case.version).toBe(base + 2);
        const edits = after.events.filter((e: CaseEvent) => e.kind === 'edit' && e.data.field === field).slice(-2);
        expect(edits.map((e) => [e.data.before, e.data.after])).toEqual([
          [before[field], winnerValue],
          [winnerValue, loserValue],
        ]);
      }),
      { numRuns: KNOBS.conflictRounds, seed: SEED },
    );
  }, KNOBS.testTimeoutMs);

  it('detects conflicts per field: concurrent edits of different fields both apply', async () => {
    const before = (await detail(caseNumbers[0] ?? 0)).case;
    const [a, b] = await Promise.all([
      deskA.push(deskA.mutation({ name: 'editFields', args: { caseId: before.id, fields: { title: `A ${before.version}` } } }, before.version)),
      deskB.push(deskB.mutation({ name: 'editFields', args: { caseId: before.id, fields: { description: `B ${before.version}` } } }, before.version)),
    ]);
    expect([a.status, b.status]).toEqual(['applied', 'applied']);
    const after = (await detail(caseNumbers[0] ?? 0)).case;
    expect([after.title, after.description, after.version]).toEqual([`A ${before.version}`, `B ${before.version}`, before.version + 2]);
  });

  it('answers two desks taking the same case at once with one assignment and one conflict', async () => {
    // A fresh case, unassigned, that both desks see at version 1.
    const lease = await request<{ from: number }>(server.url, 'POST', ROUTES.numbers, { token: deskA.token, json: { clientId: deskA.clientId, size: 1 } });
    const contact = server.store.db.prepare<[], { id: string; customer_id: string }>('SELECT id, customer_id FROM contacts ORDER BY id LIMIT 1').get();
    const created = await deskA.push(
      deskA.mutation({
        name: 'createCase',
        args: caseArgs({ number: lease.body.from, customerId: contact?.customer_id ?? '', contactId: contact?.id ?? null, title: 'Två tar samma ärende' }),
      }),
    );
    if (created.status !== 'applied' || !created.case) throw new Error(`could not create a case: ${JSON.stringify(created)}`);
    const open: Case = created.case;
    const [meA, meB] = await Promise.all(
      [deskA, deskB].map(async (_d, i) => {
        const token = await server.login(server.specialistEmails[i]);
        return (await request<{ specialist: { id: string } }>(server.url, 'GET', ROUTES.me, { token })).body.specialist.id;
      }),
    );
    const [a, b] = await Promise.all([
      deskA.push(deskA.mutation({ name: 'assign', args: { caseId: open.id, assigneeId: meA } }, open.version)),
      deskB.push(deskB.mutation({ name: 'assign', args: { caseId: open.id, assigneeId: meB } }, open.version)),
    ]);
    expect([a.status, b.status].sort()).toEqual(['applied', 'conflict']);
    const after = (await detail(open.number)).case;
    expect(after.assigneeId).toBe(a.status === 'applied' ? meA : meB);
  });
});
