/**
 * The bootstrap's file records in slices (cache/files.ts) against a real server: a first sync
 * stores the files of the carried timelines with their events' slices, not one record each; a
 * timeline's watch finds them there by its case's slices; a removal from the feed (an anonymised
 * person's files) drops them from the slices; a record from the feed still lands one by one.
 */
import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventFiles } from '../../renderer/src/cache/uploads';
import { SessionAttachments } from '../../renderer/src/session/attachments';
import { startTestServer, type TestServer } from '../support/server';
import { openDesk, until, type TestDesk } from './desk';

let server: TestServer;
const open: TestDesk[] = [];

/** One file on every note of an open case, the person's own where the case names a contact. */
let filed: Array<{ id: string; caseId: string; eventId: string; contactId: string | null }> = [];

beforeAll(async () => {
  server = await startTestServer({ cases: 400, seed: 5 });
  const { store } = server;
  const file = await store.attachments.prepare(Buffer.from('%PDF-1.4 slice\n'), 'faktura.pdf', 'application/pdf');
  const notes = store.db
    .prepare<[], { id: string; caseId: string; contactId: string | null }>(
      `SELECT e.id, e.case_id AS caseId, c.contact_id AS contactId FROM case_events e JOIN cases c ON c.id = e.case_id WHERE e.kind = 'note' AND c.status <> 'closed'`,
    )
    .all();
  const at = new Date().toISOString();
  store.transaction(() => {
    filed = notes.map((n) => ({ id: store.attachments.insert(file, { caseId: n.caseId, eventId: n.id, contactId: n.contactId, createdAt: at }).id, caseId: n.caseId, eventId: n.id, contactId: n.contactId }));
  });
});
afterEach(() => {
  for (const d of open.splice(0)) d.close();
});
afterAll(() => server.close());

async function ready(): Promise<TestDesk> {
  const d = await openDesk(server.url, await server.login(server.specialistEmails[0] as string), { live: false });
  open.push(d);
  await d.engine.start();
  await until(() => d.engine.status.bootstrap.complete, 'bootstrap');
  await d.engine.idle();
  return d;
}

/** The files a watch of the case's events reports first. */
function watched(desk: TestDesk, files: SessionAttachments, caseId: string, eventIds: string[]): Promise<EventFiles> {
  return new Promise((resolve) => {
    const stop = files.watch(eventIds, [], (found) => {
      resolve(found);
      setTimeout(stop, 0);
    }, caseId);
  });
}

describe('the bootstrap’s file records', () => {
  it('are stored in slices with their events, found by a timeline’s watch, and removed by the feed', async () => {
    const desk = await ready();
    const mine = filed.filter((f) => {
      const row = desk.store.cases.get(f.caseId);
      return row !== undefined && desk.me.teams.includes(row.team);
    });
    expect(mine.length).toBeGreaterThan(3);

    // Every carried record is in a slice; none was written one by one.
    const slices = await desk.db.fileSlices.toArray();
    expect(slices.flatMap((s) => s.files.map((f) => f.id)).sort()).toEqual(mine.map((f) => f.id).sort());
    expect(await desk.db.attachments.count()).toBe(0);
    // A slice holds files of the cases whose events it holds.
    for (const slice of slices) for (const f of slice.files) expect(desk.store.timelines.slicesOf(f.caseId)).toContain(slice.id);

    const files = new SessionAttachments(desk.db, desk.api, () => Promise.reject(new Error('not used')), (caseId) => desk.store.timelines.slicesOf(caseId));
    const one = mine[0] as (typeof mine)[number];
    const found = await watched(desk, files, one.caseId, [one.eventId]);
    expect(found.records.map((r) => r.id)).toEqual([one.id]);
    expect(found.records[0]).toMatchObject({ caseId: one.caseId, eventId: one.eventId, name: 'faktura.pdf', contentType: 'application/pdf' });

    // An anonymised person's files leave the slices when the feed says so.
    const person = mine.find((f) => f.contactId !== null)?.contactId as string;
    const theirs = mine.filter((f) => f.contactId === person);
    server.store.transaction(() => server.store.attachments.removeOfContact(person));
    desk.engine.requestPull();
    await until(async () => {
      const left = (await desk.db.fileSlices.toArray()).flatMap((s) => s.files.map((f) => f.id));
      return theirs.every((f) => !left.includes(f.id));
    }, 'the removal to reach the slices');
    const left = (await desk.db.fileSlices.toArray()).flatMap((s) => s.files.map((f) => f.id));
    expect(left.sort()).toEqual(mine.filter((f) => f.contactId !== person).map((f) => f.id).sort());
    const gone = theirs[0] as (typeof theirs)[number];
    expect((await watched(desk, files, gone.caseId, [gone.eventId])).records).toEqual([]);
  });

  it('from the feed are stored one by one and read with those in slices', async () => {
    const desk = await ready();
    const row = desk.store.cases.rows().find((r) => r.status !== 'closed' && desk.me.teams.includes(r.team) && filed.some((f) => f.caseId === r.id && server.store.attachments.get(f.id) !== null));
    if (!row) throw new Error('no open case with a file');
    const before = filed.find((f) => f.caseId === row.id && server.store.attachments.get(f.id) !== null) as (typeof filed)[number];
    const prepared = await server.store.attachments.prepare(Buffer.from('hej\n'), 'logg.txt', 'text/plain');
    const later = server.store.transaction(() => server.store.attachments.insert(prepared, { caseId: row.id, eventId: before.eventId, createdAt: new Date().toISOString() }));
    desk.engine.requestPull();
    await until(async () => (await desk.db.attachments.get(later.id)) !== undefined, 'the feed’s record');
    const files = new SessionAttachments(desk.db, desk.api, () => Promise.reject(new Error('not used')), (caseId) => desk.store.timelines.slicesOf(caseId));
    const found = await watched(desk, files, row.id, [before.eventId]);
    expect(found.records.map((r) => r.id).sort()).toEqual([before.id, later.id].sort());
  });
});
