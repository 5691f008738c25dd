/**
 * Authorisation by outcome: whatever edits a specialist sends, in whatever batches, they never
 * end up holding a case a colleague held, unless a lead steps in. Random sequences of assigns,
 * transfers and transitions, pushed to a real server in random batches (the known attack is
 * transfer, transfer back, assign, in one push).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type Case, type Customer, type MutationBody, type Specialist, type TeamId } from '../../../shared/index';
import { startTestServer, type TestServer } from '../../support/server';
import { Desk } from '../../support/cases';
import { api } from '../../support/http';

type Step = { name: 'assign'; pick: number } | { name: 'transfer'; toTeam: TeamId } | { name: 'transition'; to: 'line1' | 'new' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ name: fc.constant('assign' as const), pick: fc.nat(5) }) },
  { weight: 3, arbitrary: fc.record({ name: fc.constant('transfer' as const), toTeam: fc.constantFrom<TeamId>(1, 2) }) },
  { weight: 1, arbitrary: fc.record({ name: fc.constant('transition' as const), to: fc.constantFrom('line1' as const, 'new' as const) }) },
);

const scenario = fc.record({
  team: fc.constantFrom<TeamId>(1, 2),
  /** Who holds the case when the specialist starts: nobody, they, or a colleague (by index). */
  holder: fc.nat(4),
  steps: fc.array(step, { minLength: 1, maxLength: 10 }),
  /** Where the steps are cut into pushes: several edits in one push, as the attack sends them. */
  cuts: fc.array(fc.nat(10), { maxLength: 3 }),
  /** With the version the desk saw, or none (an attacker leaves it out to dodge conflicts). */
  withBase: fc.boolean(),
});

describe('assignment is authorised by its outcome', () => {
  let server: TestServer;
  let me: Specialist;
  let colleagues: Specialist[];
  let customer: Customer;
  let mine: Desk;
  let leads: Desk;

  beforeAll(async () => {
    server = await startTestServer({ cases: 0 });
    const http = api(server, await server.login(server.specialistEmails[0]));
    me = (await http.get<{ specialist: Specialist }>(ROUTES.me)).body.specialist;
    mine = new Desk(http);
    leads = new Desk(api(server, await server.login()));
    const everyone = server.store.specialists.list();
    // A colleague of each kind: team 1 only, team 2 only, both teams.
    const first = (teams: string) => everyone.find((s) => s.role === 'specialist' && s.id !== me.id && s.teams.join() === teams)!;
    colleagues = [first('1'), first('2'), first('1,2')];
    customer = server.store.customers.get(server.store.db.prepare('SELECT id FROM customers ORDER BY id LIMIT 1').pluck().get() as string)!;
  });
  afterAll(() => server?.close());

  it('no sequence of edits by a specialist leaves them holding a case a colleague held', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        // The lead sets the scene: a case of the team, held by whoever the scenario says.
        let c = await leads.createCase({ customerId: customer.id, team: s.team });
        const holder = [null, me.id, ...colleagues.map((x) => x.id)][s.holder] ?? null;
        if (holder !== null) {
          const given = (await leads.push(leads.mutation('assign', { caseId: c.id, assigneeId: holder }))).results[0];
          if (given?.status !== 'applied' || !given.case) throw new Error(JSON.stringify(given));
          c = given.case;
        }
        const body = (d: Step): MutationBody => {
          switch (d.name) {
            case 'assign':
              return { name: 'assign', args: { caseId: c.id, assigneeId: [me.id, null, ...colleagues.map((x) => x.id)][d.pick % 5] ?? null } };
            case 'transfer':
              return { name: 'transfer', args: { caseId: c.id, toTeam: d.toTeam, reason: 'Kunden är en butik' } };
            case 'transition':
              return { name: 'transition', args: { caseId: c.id, to: d.to } };
          }
        };
        // The holders, one after another: before the specialist starts, then after every edit.
        const held: Array<string | null> = [c.assigneeId];
        const cuts = new Set(s.cuts);
        let batch: ReturnType<Desk['mutation']>[] = [];
        const send = async () => {
          if (batch.length === 0) return;
          const { results } = await mine.push(...batch);
          for (const r of results) {
            if (r.status === 'applied' && r.case) c = r.case;
            held.push(c.assigneeId);
          }
          batch = [];
        };
        for (const [i, d] of s.steps.entries()) {
          const m = body(d);
          batch.push(mine.mutation(m.name, m.args, s.withBase ? c.version : undefined));
          if (cuts.has(i)) await send();
        }
        await send();
        const stored = server.store.cases.get(c.id) as Case;
        expect(stored.assigneeId).toBe(held[held.length - 1]);
        // Once a colleague held it, it is never the specialist's again.
        const firstColleague = held.findIndex((h) => h !== null && h !== me.id);
        if (firstColleague >= 0) expect(held.slice(firstColleague), JSON.stringify(s)).not.toContain(me.id);
      }),
      { numRuns: 60 },
    );
  }, 180_000);
});
