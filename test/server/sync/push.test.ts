import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type CreateCaseArgs, type MutationResult } from '../../../shared/api';
import type { Case, Contact } from '../../../shared/contract';
import { startTestServer, type TestServer } from '../../support/server';
import { caseArgs, Desk } from '../../support/cases';
import { api, type Api } from '../../support/http';
import { leadWithTwoFactor } from '../../support/two-factor';

type Applied = Extract<MutationResult, { status: 'applied' }>;
type Rejected = Extract<MutationResult, { status: 'rejected' }>;
type Conflicted = Extract<MutationResult, { status: 'conflict' }>;

describe('sync: push', () => {
  let server: TestServer;
  let lead: Api;
  let specialist: Api;
  let specialistId: string;
  let customerId: string;
  let contacts: Contact[];

  /** Creates a fresh case of the category through the API, on a number leased to the desk, and returns it. */
  async function newCase(desk: Desk, category: Case['category'], extra: Partial<CreateCaseArgs> = {}): Promise<Case> {
    return desk.createCase({ customerId, contactId: contacts[0]?.id ?? null, category, description: 'Gäller juni.', ...extra });
  }

  beforeAll(async () => {
    server = await startTestServer({ cases: 100 });
    lead = api(server, await server.login());
    const specialistToken = await server.login(server.specialistEmails[0]);
    specialist = api(server, specialistToken);
    specialistId = (await specialist.get(ROUTES.me)).body.specialist.id;
    const customer = server.store.db.prepare('SELECT id FROM customers ORDER BY id LIMIT 1').pluck().get() as string;
    customerId = customer;
    contacts = server.store.contacts.ofCustomerList(customerId);
  });
  afterAll(() => server.close());

  it('creates a case from a leased number, with a created event', async () => {
    const desk = new Desk(lead);
    const created = await newCase(desk, 'support');
    expect(created).toMatchObject({ status: 'new', version: 1, assigneeId: null, billableMinutes: 0, team: 1 });
    const events = server.store.events.forCase(created.id);
    expect(events.map((e) => e.kind)).toEqual(['created']);
    expect(events[0]?.data.number).toBe(created.number);
  });

  it('refuses numbers not leased to the desk, used numbers and foreign contacts', async () => {
    const desk = new Desk(lead);
    const other = new Desk(lead);
    const { body: block } = await lead.post<{ from: number; to: number }>(ROUTES.numbers, { clientId: other.clientId, size: 2 });
    const base = { customerId, module: 'finance', title: 'x', channel: 'email' } as const;
    const foreignContact = server.store.db.prepare('SELECT id FROM contacts WHERE customer_id <> ? LIMIT 1').pluck().get(customerId);
    const { results } = await desk.push(
      desk.mutation('createCase', caseArgs({ ...base, number: block.from })),
      desk.mutation('createCase', caseArgs({ ...base, number: 100001 })),
    );
    expect((results[0] as Rejected).error).toMatchObject({ code: 'number_not_leased', field: 'args.number' });
    expect((results[1] as Rejected).error.code).toBe('number_not_leased');
    const second = await other.push(
      other.mutation('createCase', caseArgs({ ...base, number: block.from })),
      other.mutation('createCase', caseArgs({ ...base, number: block.from })),
      other.mutation('createCase', caseArgs({ ...base, number: block.to, contactId: foreignContact as string })),
      other.mutation('createCase', caseArgs({ ...base, number: block.to, serviceLevel: 2 })),
    );
    expect(second.results.map((r) => r.status)).toEqual(['applied', 'rejected', 'rejected', 'rejected']);
    expect((second.results[1] as Rejected).error.code).toBe('number_taken');
    expect((second.results[2] as Rejected).error).toMatchObject({ code: 'contact_mismatch', field: 'args.contactId' });
    expect((second.results[3] as Rejected).error.field).toBe('args.serviceLevel');
  });

  it('walks a flow step by step, stamping handling start and resolution, and logs from/to', async () => {
    const desk = new Desk(specialist);
    const c = await newCase(desk, 'support');
    const skip = (await desk.push(desk.mutation('transition', { caseId: c.id, to: 'line2' }, c.version))).results[0] as Rejected;
    expect(skip.error).toMatchObject({ code: 'not_adjacent', field: 'args.to' });
    const moved = (await desk.push(desk.mutation('transition', { caseId: c.id, to: 'line1' }, c.version))).results[0] as Applied;
    expect(moved.case?.status).toBe('line1');
    expect(moved.case?.handlingStartedAt).not.toBeNull();
    const closed = (await desk.push(desk.mutation('transition', { caseId: c.id, to: 'closed' }, moved.case?.version))).results[0] as Applied;
    expect(closed.case?.resolvedAt).not.toBeNull();
    // Reopening is one step back from closed.
    const reopened = (await desk.push(desk.mutation('transition', { caseId: c.id, to: 'line3' }, closed.case?.version))).results[0] as Applied;
    expect(reopened.case?.resolvedAt).toBeNull();
    const statuses = server.store.events.forCase(c.id).filter((e) => e.kind === 'status').map((e) => [e.data.from, e.data.to, e.actorId]);
    expect(statuses).toEqual([
      ['new', 'line1', specialistId],
      ['line1', 'closed', specialistId],
      ['closed', 'line3', specialistId],
    ]);
  });

  it('keeps an order in the cost proposal until the customer is informed of billing', async () => {
    const desk = new Desk(specialist);
    let c = await newCase(desk, 'order');
    for (const to of ['received', 'cost_proposal'] as const) {
      c = ((await desk.push(desk.mutation('transition', { caseId: c.id, to }, c.version))).results[0] as Applied).case as Case;
    }
    const early = (await desk.push(desk.mutation('transition', { caseId: c.id, to: 'planned' }, c.version))).results[0] as Rejected;
    expect(early.error.code).toBe('billing_not_informed');
    const informed = (await desk.push(desk.mutation('markBillingInformed', { caseId: c.id }))).results[0] as Applied;
    expect(informed.case?.billingInformed).toBe(true);
    const planned = (await desk.push(desk.mutation('transition', { caseId: c.id, to: 'planned' }, informed.case?.version))).results[0];
    expect(planned?.status).toBe('applied');
    const minutes = (await desk.push(desk.mutation('logMinutes', { caseId: c.id, minutes: 90 }), desk.mutation('logMinutes', { caseId: c.id, minutes: 30 }))).results;
    expect((minutes[1] as Applied).case?.billableMinutes).toBe(120);
  });

  it('escalates a bug only with a service level, and only bugs have one', async () => {
    const desk = new Desk(specialist);
    const bug = await newCase(desk, 'bug');
    expect(((await desk.push(desk.mutation('transition', { caseId: bug.id, to: 'escalated' }))).results[0] as Rejected).error.code).toBe('service_level_missing');
    const levelled = (await desk.push(desk.mutation('editFields', { caseId: bug.id, fields: { serviceLevel: 2 } }))).results[0] as Applied;
    expect(levelled.case?.serviceLevel).toBe(2);
    expect((await desk.push(desk.mutation('transition', { caseId: bug.id, to: 'escalated' }))).results[0]?.status).toBe('applied');
    const unset = (await desk.push(desk.mutation('editFields', { caseId: bug.id, fields: { serviceLevel: null } }))).results[0] as Rejected;
    expect(unset.error.code).toBe('service_level_required');
    const support = await newCase(desk, 'support');
    const wrong = (await desk.push(desk.mutation('editFields', { caseId: support.id, fields: { serviceLevel: 3 } }))).results[0] as Rejected;
    expect(wrong.error.field).toBe('args.fields.serviceLevel');
  });

  it('records edits with both values in the history', async () => {
    const desk = new Desk(specialist);
    const c = await newCase(desk, 'support');
    const edited = (await desk.push(desk.mutation('editFields', { caseId: c.id, fields: { title: 'Ny rubrik', module: 'time' } }, c.version)))
      .results[0] as Applied;
    expect(edited.case).toMatchObject({ title: 'Ny rubrik', module: 'time', version: 2 });
    expect(edited.case?.fieldVersions).toMatchObject({ title: 2, module: 2 });
    const edits = server.store.events.forCase(c.id).filter((e) => e.kind === 'edit').map((e) => e.data);
    expect(edits).toEqual(
      expect.arrayContaining([
        { field: 'title', before: 'Semesterlönen beräknas fel', after: 'Ny rubrik' },
        { field: 'module', before: 'payroll', after: 'time' },
      ]),
    );
  });

  it('lets a specialist take unassigned and own cases, but only a lead reassign a colleague\'s', async () => {
    const desk = new Desk(specialist);
    const c = await newCase(desk, 'support');
    const colleague = 'demo-specialist-03';
    const mine = (await desk.push(desk.mutation('assign', { caseId: c.id, assigneeId: specialistId }))).results[0] as Applied;
    expect(mine.case?.assigneeId).toBe(specialistId);
    const handedOn = (await desk.push(desk.mutation('assign', { caseId: c.id, assigneeId: colleague }))).results[0] as Applied;
    expect(handedOn.case?.assigneeId).toBe(colleague);
    const taken = (await desk.push(desk.mutation('assign', { caseId: c.id, assigneeId: specialistId }))).results[0] as Rejected;
    expect(taken.error.code).toBe('forbidden');
    // A lead's powers need a session that passed a second factor.
    const plainLead = new Desk(lead);
    expect(((await plainLead.push(plainLead.mutation('assign', { caseId: c.id, assigneeId: specialistId }))).results[0] as Rejected).error.code).toBe('forbidden');
    const leadDesk = new Desk(api(server, (await leadWithTwoFactor(server)).token));
    expect((await leadDesk.push(leadDesk.mutation('assign', { caseId: c.id, assigneeId: specialistId }))).results[0]?.status).toBe('applied');
    const nobody = (await desk.push(desk.mutation('assign', { caseId: c.id, assigneeId: 'no-such-specialist' }))).results[0] as Rejected;
    expect(nobody.error).toMatchObject({ code: 'not_found', field: 'args.assigneeId' });
  });

  it('transfers to the other team with a reason, logging from and to', async () => {
    const desk = new Desk(specialist);
    const c = await newCase(desk, 'support');
    const same = (await desk.push(desk.mutation('transfer', { caseId: c.id, toTeam: 1, reason: 'fel' }))).results[0] as Rejected;
    expect(same.error.code).toBe('same_team');
    const noReason = await specialist.post(ROUTES.push, { mutations: [desk.mutation('transfer', { caseId: c.id, toTeam: 2, reason: ' ' })] });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.field).toBe('mutations.0.args.reason');
    await desk.push(desk.mutation('assign', { caseId: c.id, assigneeId: specialistId }));
    const moved = (await desk.push(desk.mutation('transfer', { caseId: c.id, toTeam: 2, reason: 'Kunden är en butik' }))).results[0] as Applied;
    // The assignee serves team 1 only, so the receiving team picks the case up.
    expect(moved.case).toMatchObject({ team: 2, assigneeId: null });
    const event = server.store.events.forCase(c.id).find((e) => e.kind === 'transfer');
    expect(event).toMatchObject({ text: 'Kunden är en butik', data: { from: 1, to: 2 } });
  });

  it('adds notes idempotently by event id and never conflicts on them', async () => {
    const desk = new Desk(specialist);
    const c = await newCase(desk, 'support');
    const eventId = randomUUID();
    const note = desk.mutation('addNote', { caseId: c.id, eventId, text: 'Ringde kunden' }, 1);
    await desk.push(desk.mutation('editFields', { caseId: c.id, fields: { title: 'changed meanwhile' } }, 1));
    expect((await desk.push(note)).results[0]?.status).toBe('applied');
    // The same mutation again: acknowledged, not applied twice.
    expect((await desk.push(note)).results[0]).toEqual({ mutationId: note.mutationId, status: 'duplicate' });
    expect(server.store.events.forCase(c.id).filter((e) => e.kind === 'note')).toHaveLength(1);
    const sameEvent = (await desk.push(desk.mutation('addNote', { caseId: c.id, eventId, text: 'again' }))).results[0] as Rejected;
    expect(sameEvent.error.code).toBe('exists');
  });

  it('replays a whole batch without applying anything twice', async () => {
    const desk = new Desk(specialist);
    const c = await newCase(desk, 'support');
    const batch = [
      desk.mutation('logMinutes', { caseId: c.id, minutes: 15 }),
      desk.mutation('transition', { caseId: c.id, to: 'line1' }),
      desk.mutation('logMinutes', { caseId: c.id, minutes: 15 }),
    ];
    const first = await desk.push(...batch);
    const replay = await desk.push(...batch);
    expect(first.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(replay.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(server.store.cases.get(c.id)).toMatchObject({ billableMinutes: 30, status: 'line1' });
    expect(replay.seq).toBe(first.seq);
  });

  it('answers a stale edit of a field someone else changed with a conflict and the current case', async () => {
    const a = new Desk(specialist);
    const b = new Desk(lead);
    const c = await newCase(a, 'support');
    const winner = (await a.push(a.mutation('editFields', { caseId: c.id, fields: { title: 'Desk A' } }, c.version))).results[0] as Applied;
    const loser = (await b.push(b.mutation('editFields', { caseId: c.id, fields: { title: 'Desk B' } }, c.version))).results[0] as Conflicted;
    expect(loser.status).toBe('conflict');
    expect(loser.fields).toEqual(['title']);
    expect(loser.case).toMatchObject({ title: 'Desk A', version: winner.case?.version });
    // It names the other editor: the one who made the winning change.
    expect(loser.editorId).toBe(specialistId);

    // An edit made offline reaches the server after the loser's own note, but keeps its earlier
    // time: it is still the other editor's change that wins, and the loser is never "the other".
    const d = await newCase(a, 'support');
    await b.push(b.mutation('addNote', { caseId: d.id, eventId: randomUUID(), text: 'Ringer kunden.' }));
    const offline = (await a.push(a.mutation('editFields', { caseId: d.id, fields: { title: 'Offline A' } }, d.version, '2020-01-01T00:00:00.000Z')))
      .results[0] as Applied;
    expect(offline.status).toBe('applied');
    const late = (await b.push(b.mutation('editFields', { caseId: d.id, fields: { title: 'Desk B' } }, d.version))).results[0] as Conflicted;
    expect(late.status).toBe('conflict');
    expect(late.editorId).toBe(specialistId);
    // Another field edited from the same stale base is fine: conflicts are per field.
    const other = (await b.push(b.mutation('editFields', { caseId: c.id, fields: { description: 'Desk B text' } }, c.version))).results[0];
    expect(other?.status).toBe('applied');
    // Nothing of the conflicting edit was applied; the history holds the winner's before and after.
    expect(server.store.cases.get(c.id)?.title).toBe('Desk A');
    const titleEdits = server.store.events.forCase(c.id).filter((e) => e.kind === 'edit' && e.data.field === 'title');
    expect(titleEdits.map((e) => e.data)).toEqual([{ field: 'title', before: 'Semesterlönen beräknas fel', after: 'Desk A' }]);
    // A stale transition conflicts on the status too.
    await a.push(a.mutation('transition', { caseId: c.id, to: 'line1' }));
    const staleMove = (await b.push(b.mutation('transition', { caseId: c.id, to: 'closed' }, c.version))).results[0] as Conflicted;
    expect(staleMove.fields).toEqual(['status']);
  });

  it('records and revokes support-login grants with the office rules', async () => {
    const desk = new Desk(specialist);
    const customer = server.store.db.prepare(`SELECT id FROM customers WHERE country = 'FI' LIMIT 1`).pluck().get() as string;
    const superUser = server.store.contacts.ofCustomerList(customer).find((c) => c.superUser) as Contact;
    const grantId = randomUUID();
    const given = new Date(Math.floor((Date.now() - 2 * 86_400_000) / 3_600_000) * 3_600_000);
    const grantedAt = given.toISOString();
    const args = { grantId, customerId: customer, kind: 'support', grantedByContactId: superUser.id, grantedAt };
    const missing = (await desk.push(desk.mutation('recordGrant', args))).results[0] as Rejected;
    expect(missing.error).toMatchObject({ code: 'invalid', field: 'args.durationHours' });
    expect((await desk.push(desk.mutation('recordGrant', { ...args, durationHours: 72 }))).results[0]?.status).toBe('applied');
    // Finland: as long as the SuperUser chose.
    const expiresAt = new Date(given.getTime() + 72 * 3_600_000).toISOString();
    expect(server.store.grants.get(grantId)).toMatchObject({ expiresAt, recordedBy: specialistId, revokedAt: null });
    expect((await desk.push(desk.mutation('revokeGrant', { grantId }))).results[0]?.status).toBe('applied');
    expect(server.store.grants.get(grantId)?.revokedAt).not.toBeNull();
    const unknown = (await desk.push(desk.mutation('revokeGrant', { grantId: 'nope' }))).results[0] as Rejected;
    expect(unknown.error.code).toBe('not_found');
    const ancient = (await desk.push(desk.mutation('recordGrant', { ...args, grantId: randomUUID(), grantedAt: '0001-01-01T00:00:00Z', durationHours: 2 })))
      .results[0] as Rejected;
    expect(ancient.error.field).toBe('args.grantedAt');
    const stranger = contacts[0] as Contact;
    const foreign = (await desk.push(desk.mutation('recordGrant', { ...args, grantId: randomUUID(), grantedByContactId: stranger.id, durationHours: 2 })))
      .results[0] as Rejected;
    expect(foreign.error.code).toBe('contact_mismatch');
  });

  it('keeps going after a refused mutation and answers in order', async () => {
    const desk = new Desk(specialist);
    const c = await newCase(desk, 'support');
    const { results } = await desk.push(
      desk.mutation('transition', { caseId: 'missing', to: 'line1' }),
      desk.mutation('transition', { caseId: c.id, to: 'line3' }),
      desk.mutation('logMinutes', { caseId: c.id, minutes: 5 }),
    );
    expect(results.map((r) => [r.mutationId, r.status])).toEqual([
      [results[0]?.mutationId, 'rejected'],
      [results[1]?.mutationId, 'rejected'],
      [results[2]?.mutationId, 'applied'],
    ]);
    expect((results[0] as Rejected).error).toMatchObject({ code: 'not_found', field: 'args.caseId' });
  });

  it('rejects malformed pushes as a whole, naming the field', async () => {
    const desk = new Desk(specialist);
    const cases: Array<[unknown, string]> = [
      [{}, 'mutations'],
      [{ mutations: [] }, 'mutations'],
      [{ mutations: [{ ...desk.mutation('addNote', { caseId: 'x', eventId: 'y', text: 'z' }), clientId: undefined }] }, 'mutations.0.clientId'],
      [{ mutations: [desk.mutation('transition', { caseId: 'x', to: 'bogus' })] }, 'mutations.0.args.to'],
      [{ mutations: [{ ...desk.mutation('addNote', { caseId: 'x', eventId: 'y', text: 'z' }), name: 'dropTable' }] }, 'mutations.0.name'],
      [{ mutations: [desk.mutation('logMinutes', { caseId: 'x', minutes: '15' })] }, 'mutations.0.args.minutes'],
    ];
    for (const [body, field] of cases) {
      const reply = await specialist.post(ROUTES.push, body);
      expect(reply.status).toBe(400);
      expect(reply.body.error).toMatchObject({ code: 'invalid', field });
    }
  });
});
