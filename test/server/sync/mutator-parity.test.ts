/**
 * One mutator, two runtimes: random sequences of edits, applied by the desk's overlay (what a
 * specialist sees while the edits wait in the outbox) and pushed to a real server one by one, as
 * the sync engine pushes them. After every edit the desk's row and the server's agree on every
 * field the queue and the case show, and both refuse the same edits for the same reason.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FLOWS,
  ROUTES,
  type BootstrapPage,
  type Case,
  type CategoryId,
  type Customer,
  type Mutation,
  type MutationBody,
  type MutationResult,
  type Specialist,
  type TeamId,
} from '../../../shared/index';
import { toRow, type CaseRow } from '../../../renderer/src/model/rows';
import { applyEdit, type OverlayContext } from '../../../renderer/src/model/overlay';
import { startTestServer, type TestServer } from '../../support/server';
import { caseArgs, Desk } from '../../support/cases';
import { api } from '../../support/http';
import { leadWithTwoFactor } from '../../support/two-factor';

/** What the queue and the case view show of a row. */
const SHOWN = [
  'status',
  'team',
  'assigneeId',
  'serviceLevel',
  'category',
  'title',
  'module',
  'product',
  'contactId',
  'billableMinutes',
  'billingInformed',
  'registeredAt',
  'handlingStartedAt',
  'resolvedAt',
  'deadlineAt',
] as const satisfies ReadonlyArray<keyof CaseRow>;

const shown = (row: CaseRow) => Object.fromEntries(SHOWN.map((f) => [f, row[f]]));

/** An edit as drawn, resolved against the case when it is made (a status of the case's own flow). */
type Draw =
  | { name: 'transition'; pick: number }
  | { name: 'assign'; pick: number }
  | { name: 'transfer'; toTeam: TeamId }
  | { name: 'editFields'; title?: string; serviceLevel?: 1 | 2 | 3 | 4 | 5 | null; module?: 'finance' | 'payroll' }
  | { name: 'logMinutes'; minutes: number }
  | { name: 'markBillingInformed' }
  | { name: 'addNote'; text: string };

const draw: fc.Arbitrary<Draw> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ name: fc.constant('transition' as const), pick: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ name: fc.constant('assign' as const), pick: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ name: fc.constant('transfer' as const), toTeam: fc.constantFrom<TeamId>(1, 2) }) },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        name: fc.constant('editFields' as const),
        title: fc.constantFrom('Lönen saknas', 'Palkka puuttuu'),
        serviceLevel: fc.constantFrom(null, 1 as const, 2 as const, 5 as const),
        module: fc.constantFrom('finance' as const, 'payroll' as const),
      },
      { requiredKeys: ['name'] },
    ),
  },
  { weight: 1, arbitrary: fc.record({ name: fc.constant('logMinutes' as const), minutes: fc.integer({ min: 1, max: 240 }) }) },
  { weight: 1, arbitrary: fc.record({ name: fc.constant('markBillingInformed' as const) }) },
  { weight: 1, arbitrary: fc.record({ name: fc.constant('addNote' as const), text: fc.constantFrom('Ringde kunden', 'Soitin asiakkaalle') }) },
);

const scenario = fc.record({
  actor: fc.constantFrom<'lead' | 'specialist'>('lead', 'specialist'),
  category: fc.constantFrom<CategoryId>('support', 'bug', 'wish', 'order'),
  serviceLevel: fc.constantFrom(null, 2 as const, 4 as const),
  team: fc.constantFrom<TeamId>(1, 2),
  /** Minutes between one edit and the next; the first may be before the case's registration (a desk clock behind). */
  edits: fc.array(fc.tuple(draw, fc.integer({ min: -30, max: 90 })), { minLength: 1, maxLength: 12 }),
});

describe('the shared mutators, through the overlay and through a real server', () => {
  let server: TestServer;
  let specialists: Specialist[];
  let customer: Customer;
  const desks: Record<'lead' | 'specialist', { desk: Desk; me: Specialist }> = {} as never;

  beforeAll(async () => {
    server = await startTestServer({ cases: 20 });
    // The lead passed a second factor: without one, the push treats a lead as a specialist.
    const lead = await leadWithTwoFactor(server);
    for (const [role, email] of [['lead', lead.email], ['specialist', server.specialistEmails[0]!]] as const) {
      const http = api(server, role === 'lead' ? lead.token : await server.login(email));
      const me = (await http.get<{ specialist: Specialist }>(ROUTES.me)).body.specialist;
      desks[role] = { desk: new Desk(http), me };
    }
    const page = (await desks.lead.desk.http.get<BootstrapPage>(`${ROUTES.bootstrap}?limit=10000`)).body;
    specialists = page.specialists;
    customer = page.customers[0]!;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('agree on every shown field after every edit, and refuse the same edits', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { desk, me } = desks[s.actor];
        const ctx: OverlayContext = {
          actor: { id: me.id, role: me.role },
          officeOf: () => customer.country,
          teamsOf: (id) => specialists.find((x) => x.id === id)?.teams,
        };
        const push = async (body: MutationBody, occurredAt: string, baseVersion?: number): Promise<{ result: MutationResult; envelope: Mutation }> => {
          const envelope = desk.mutation(body.name, body.args, baseVersion, occurredAt);
          return { result: (await desk.push(envelope)).results[0]!, envelope };
        };

        const { from: number } = await desk.leaseNumbers();
        const args = caseArgs({ number, customerId: customer.id, category: s.category, serviceLevel: s.serviceLevel, team: s.team });
        const created = await push({ name: 'createCase', args }, new Date().toISOString());
        const desksOwn = applyEdit(undefined, { envelope: created.envelope, createdAt: created.envelope.occurredAt! }, ctx);
        expect(created.result.status).toBe(desksOwn.rejected ? 'rejected' : 'applied');
        if (created.result.status !== 'applied') {
          expect(created.result.status === 'rejected' && created.result.error.code).toBe(desksOwn.rejected?.code);
          return;
        }
        let serverCase = created.result.case as Case;
        let deskRow = desksOwn.row!;
        expect(shown(deskRow)).toEqual(shown(toRow(serverCase, customer.country)));

        let time = Date.parse(serverCase.registeredAt);
        for (const [d, minutes] of s.edits) {
          // Never ahead of the server's clock: the desk cannot know when a later edit will arrive.
          time = Math.min(time + minutes * 60_000, Date.now());
          const body = resolve(d, serverCase, me, specialists);
          const { result, envelope } = await push(body, new Date(time).toISOString(), serverCase.version);
          const overlaid = applyEdit(deskRow, { envelope, createdAt: envelope.occurredAt! }, ctx);
          expect(result.status, JSON.stringify({ body, result })).toBe(overlaid.rejected ? 'rejected' : 'applied');
          if (result.status === 'rejected') expect(result.error.code).toBe(overlaid.rejected?.code);
          if (result.status === 'applied') serverCase = result.case!;
          deskRow = overlaid.row!;
          expect(shown(deskRow), JSON.stringify(body)).toEqual(shown(toRow(serverCase, customer.country)));
        }
      }),
      { numRuns: 40 },
    );
  }, 180_000);
});

function resolve(d: Draw, c: Case, me: Specialist, specialists: readonly Specialist[]): MutationBody {
  const caseId = c.id;
  switch (d.name) {
    case 'transition': {
      const flow = FLOWS[c.category];
      return { name: 'transition', args: { caseId, to: flow[d.pick % flow.length]! } };
    }
    case 'assign': {
      // Me, nobody, or a colleague of either team (so a transfer may or may not hand the case on).
      const choices = [me.id, null, ...specialists.filter((x) => x.active && x.id !== me.id).slice(0, 6).map((x) => x.id)];
      return { name: 'assign', args: { caseId, assigneeId: choices[d.pick % choices.length]! } };
    }
    case 'transfer':
      return { name: 'transfer', args: { caseId, toTeam: d.toTeam, reason: 'Kunden är en butik' } };
    case 'editFields': {
      const { name: _name, ...fields } = d;
      return Object.keys(fields).length === 0 ? { name: 'editFields', args: { caseId, fields: { title: 'Lönen saknas' } } } : { name: 'editFields', args: { caseId, fields } };
    }
    case 'logMinutes':
      return { name: 'logMinutes', args: { caseId, minutes: d.minutes } };
    case 'markBillingInformed':
      return { name: 'markBillingInformed', args: { caseId } };
    case 'addNote':
      return { name: 'addNote', args: { caseId, eventId: randomUUID(), text: d.text } };
  }
}
