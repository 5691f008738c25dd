import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BootstrapPageSchema, ChangesPageSchema, ROUTES, type BootstrapPage, type ChangesPage } from '../../../shared/api';
import type { Case } from '../../../shared/contract';
import { startTestServer, type TestServer } from '../../support/server';
import { EVENT_CASE_COST } from '../../../server/sync/pull';
import { Desk } from '../../support/cases';
import { api, type Api } from '../../support/http';

async function bootstrapAll(http: Api, teams: string, limit: number): Promise<BootstrapPage[]> {
  const pages: BootstrapPage[] = [];
  let page: string | null = null;
  do {
    const query = new URLSearchParams({ teams, limit: String(limit) });
    if (page) query.set('page', page);
    const reply = await http.get<BootstrapPage>(`${ROUTES.bootstrap}?${query}`);
    expect(reply.status).toBe(200);
    pages.push(BootstrapPageSchema.parse(reply.body));
    page = reply.body.next;
  } while (page);
  return pages;
}

async function pullAll(http: Api, after: number, limit = 50): Promise<ChangesPage[]> {
  const pages: ChangesPage[] = [];
  let cursor = after;
  for (;;) {
    const reply = await http.get<ChangesPage>(`${ROUTES.changes}?after=${cursor}&limit=${limit}`);
    expect(reply.status).toBe(200);
    const page = ChangesPageSchema.parse(reply.body);
    pages.push(page);
    cursor = page.cursor;
    if (!page.hasMore) return pages;
  }
}

describe('sync: bootstrap and changes', () => {
  let server: TestServer;
  let http: Api;

  beforeAll(async () => {
    server = await startTestServer({ cases: 300 });
    http = api(server, await server.login());
  });
  afterAll(() => server.close());

  it('bootstraps every customer, contact and case exactly once, the requested team\'s open cases first', async () => {
    const pages = await bootstrapAll(http, '2', 37);
    const cases = pages.flatMap((p) => p.cases);
    const numbers = cases.map((c) => c.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers.length).toBe(server.store.cases.count());
    const firstOther = cases.findIndex((c) => !(c.team === 2 && c.status !== 'closed'));
    const openOfTeam = cases.filter((c) => c.team === 2 && c.status !== 'closed').length;
    expect(openOfTeam).toBeGreaterThan(0);
    expect(firstOther).toBe(openOfTeam);
    expect(cases.slice(firstOther).every((c) => !(c.team === 2 && c.status !== 'closed'))).toBe(true);
    // Reference data comes first, on the first page(s), and completely.
    const customers = pages.flatMap((p) => p.customers);
    expect(new Set(customers.map((c) => c.id)).size).toBe(customers.length);
    expect(customers.length).toBe(server.store.customers.count());
    expect(pages.flatMap((p) => p.contacts).length).toBe(server.seed.contacts);
    expect(pages[0]?.specialists.length).toBeGreaterThanOrEqual(16);
    expect(pages.slice(1).every((p) => p.specialists.length === 0)).toBe(true);
    // Every page repeats the snapshot seq and reports progress over cases.
    expect(new Set(pages.map((p) => p.snapshotSeq)).size).toBe(1);
    expect(pages.at(-1)?.progress).toEqual({ done: numbers.length, total: numbers.length });
    expect(pages.every((p) => p.progress.total === numbers.length)).toBe(true);
  });

  it('carries the notes and status history of the requested teams\' open cases, and of no other case, after every case', async () => {
    const pages = await bootstrapAll(http, '2', 37);
    const cases = pages.flatMap((p) => p.cases);
    const open = cases.filter((c) => c.team === 2 && c.status !== 'closed');
    const events = pages.flatMap((p) => p.events);
    // Every event of every open case of the team, each once.
    const expected = open.flatMap((c) => server.store.events.forCase(c.id).map((e) => e.id)).sort();
    expect(expected.length).toBeGreaterThan(open.length);
    expect(events.map((e) => e.id).sort()).toEqual(expected);
    expect(events.some((e) => e.kind === 'status')).toBe(true);
    const openIds = new Set(open.map((c) => c.id));
    expect(events.every((e) => openIds.has(e.caseId))).toBe(true);
    // After the rows: the first page stays as small as before, and no page with events is
    // followed by a page with cases.
    expect(pages[0]?.events).toEqual([]);
    const lastWithCases = pages.findLastIndex((p) => p.cases.length > 0);
    const firstWithEvents = pages.findIndex((p) => p.events.length > 0);
    expect(firstWithEvents).toBeGreaterThanOrEqual(lastWithCases);
    // Pages of events cost EVENT_CASE_COST of the limit per case: more than a few cases, a bounded number.
    expect(pages.slice(firstWithEvents).every((p) => new Set(p.events.map((e) => e.caseId)).size <= Math.ceil(37 / EVENT_CASE_COST))).toBe(true);
    expect(pages.slice(firstWithEvents).some((p) => new Set(p.events.map((e) => e.caseId)).size > 4)).toBe(true);
  });

  it('starts with a page a desk can show at once: open cases with exactly the customers and contacts they name', async () => {
    const first = BootstrapPageSchema.parse((await http.get<BootstrapPage>(`${ROUTES.bootstrap}?teams=1&limit=20`)).body);
    expect(first.cases).toHaveLength(20);
    expect(first.cases.every((c) => c.team === 1 && c.status !== 'closed')).toBe(true);
    expect(first.customers.map((c) => c.id).sort()).toEqual([...new Set(first.cases.map((c) => c.customerId))].sort());
    expect(first.contacts.map((c) => c.id).sort()).toEqual([...new Set(first.cases.flatMap((c) => (c.contactId ? [c.contactId] : [])))].sort());
    expect(first.specialists.length).toBeGreaterThan(0);
    // The next page brings the other customers and contacts, not those again.
    const second = BootstrapPageSchema.parse((await http.get<BootstrapPage>(`${ROUTES.bootstrap}?teams=1&limit=20&page=${first.next}`)).body);
    expect(second.cases).toHaveLength(0);
    const firstIds = new Set(first.customers.map((c) => c.id));
    expect(second.customers.some((c) => firstIds.has(c.id))).toBe(false);
  });

  it('never skips a contact that a case names only since the first page', async () => {
    // Its own server, seeded at a fixed instant: whether one of the first page's customers has a
    // contact the page did not carry depends on the demo data, and so on the seeding clock.
    const own = await startTestServer({ cases: 300, now: new Date('2026-11-02T09:00:00Z') });
    try {
      const http = api(own, await own.login());
      const first = BootstrapPageSchema.parse((await http.get<BootstrapPage>(`${ROUTES.bootstrap}?teams=1&limit=40`)).body);
      const carried = new Set(first.contacts.map((c) => c.id));
      const named = first.cases.find((c) => own.store.contacts.ofCustomerList(c.customerId).some((p) => !carried.has(p.id) && p.anonymisedAt === null));
      if (!named) throw new Error('the seed has no customer with a contact the first page did not carry');
      const other = own.store.contacts.ofCustomerList(named.customerId).find((p) => !carried.has(p.id) && p.anonymisedAt === null)!;
      const desk = new Desk(http);
      await desk.push(desk.mutation('editFields', { caseId: named.id, fields: { contactId: other.id } }));
      const rest: BootstrapPage[] = [];
      for (let page = first.next; page; ) {
        const next = BootstrapPageSchema.parse((await http.get<BootstrapPage>(`${ROUTES.bootstrap}?teams=1&limit=500&page=${page}`)).body);
        rest.push(next);
        page = next.next;
      }
      // The changed case does not count as "carried on the first page": its new contact comes.
      expect(rest.flatMap((p) => p.contacts).some((c) => c.id === other.id)).toBe(true);
      const all = new Set([...first.contacts, ...rest.flatMap((p) => p.contacts)].map((c) => c.id));
      expect(all.size).toBe(own.seed.contacts);
    } finally {
      await own.close();
    }
  });

  it('puts both teams\' open cases first when both are asked for', async () => {
    const cases = (await bootstrapAll(http, '1,2', 500)).flatMap((p) => p.cases);
    const openCount = cases.filter((c) => c.status !== 'closed').length;
    expect(cases.slice(0, openCount).every((c) => c.status !== 'closed')).toBe(true);
  });

  it('refuses a foreign cursor and a cursor for other teams', async () => {
    const bad = await http.get(`${ROUTES.bootstrap}?page=not-a-cursor`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('page');
    const first = await http.get<BootstrapPage>(`${ROUTES.bootstrap}?teams=1&limit=5`);
    const other = await http.get(`${ROUTES.bootstrap}?teams=2&page=${first.body.next}`);
    expect(other.status).toBe(400);
    expect(other.body.error.field).toBe('teams');
    expect((await http.get(`${ROUTES.bootstrap}?teams=3`)).body.error.field).toBe('teams');
    expect((await http.get(`${ROUTES.bootstrap}?limit=0`)).body.error.field).toBe('limit');
  });

  it('feeds every change after the snapshot, once per entity, with the current state', async () => {
    const first = await http.get<BootstrapPage>(`${ROUTES.bootstrap}?limit=1`);
    const snapshotSeq = first.body.snapshotSeq;
    const desk = new Desk(http);
    const target = server.store.cases.getByNumber(100010) as Case;
    await desk.push(desk.mutation('addNote', { caseId: target.id, eventId: randomUUID(), text: 'first' }));
    await desk.push(desk.mutation('addNote', { caseId: target.id, eventId: randomUUID(), text: 'second' }));
    const pages = await pullAll(http, snapshotSeq);
    const cases = pages.flatMap((p) => p.cases);
    expect(cases.filter((c) => c.id === target.id)).toHaveLength(1);
    expect(cases.find((c) => c.id === target.id)?.version).toBe(target.version + 2);
    expect(pages.flatMap((p) => p.events).filter((e) => e.caseId === target.id && e.kind === 'note').map((e) => e.text)).toEqual(
      expect.arrayContaining(['first', 'second']),
    );
    const last = pages.at(-1);
    expect(last?.cursor).toBe(last?.latestSeq);
    // Asking again from the end gives nothing new.
    const again = await http.get<ChangesPage>(`${ROUTES.changes}?after=${last?.cursor}`);
    expect(again.body).toMatchObject({ cases: [], events: [], hasMore: false, cursor: last?.cursor });
  });

  it('validates the changes query', async () => {
    const missing = await http.get(ROUTES.changes);
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('after');
    expect((await http.get(`${ROUTES.changes}?after=-1`)).body.error.field).toBe('after');
    expect((await http.get(`${ROUTES.changes}?after=abc`)).status).toBe(400);
  });

  it('keeps seq strictly increasing and gap-free under concurrent writers', async () => {
    const start = server.store.changes.latestSeq();
    const desks = await Promise.all(
      server.specialistEmails.slice(0, 6).map(async (email) => new Desk(api(server, await server.login(email)))),
    );
    const targets = [100020, 100021, 100022].map((n) => server.store.cases.getByNumber(n) as Case);
    await Promise.all(
      desks.flatMap((desk) =>
        Array.from({ length: 8 }, (_, i) =>
          desk.push(desk.mutation('addNote', { caseId: targets[i % 3]?.id, eventId: randomUUID(), text: `note ${i}` })),
        ),
      ),
    );
    const rows = server.store.changes.after(start, 10_000);
    const seqs = rows.map(([seq]) => seq);
    // 48 notes, each one case row and one event row.
    expect(seqs).toHaveLength(96);
    seqs.forEach((seq, i) => expect(seq).toBe(start + i + 1));
    const pages = await pullAll(http, start, 7);
    const pulledEvents = pages.flatMap((p) => p.events).filter((e) => e.kind === 'note');
    expect(new Set(pulledEvents.map((e) => e.id)).size).toBe(48);
    const cursors = pages.map((p) => p.cursor);
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    expect(cursors.at(-1)).toBe(start + 96);
  });

  it('leases case-number blocks from one counter without overlap', async () => {
    const desk = new Desk(http);
    const blocks = await Promise.all(
      Array.from({ length: 5 }, () => http.post<{ from: number; to: number }>(ROUTES.numbers, { clientId: desk.clientId, size: 10 })),
    );
    const ranges = blocks.map((b) => b.body).sort((a, b) => a.from - b.from);
    ranges.forEach((r) => expect(r.to - r.from).toBe(9));
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]?.from).toBeGreaterThan(ranges[i - 1]?.to ?? Infinity);
    // Above every seeded number.
    expect(ranges[0]?.from).toBeGreaterThan(100_000 + server.seed.cases);
    const bad = await http.post(ROUTES.numbers, { clientId: desk.clientId, size: 1000 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('size');
  });
});
