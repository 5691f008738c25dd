/**
 * A re-sync rebuilds the cache (session/rebuild.ts). When the old cache could not be read, the
 * desk used to keep its client id but start its mutation counter again: the server answered its
 * next edits `duplicate` and the desk dropped them. Now the rebuilt cache is a new desk, and a
 * reused id is refused as `idempotency_mismatch` and kept for the specialist to see
 * (its words: test/renderer/errors.test.ts), never dropped. Against a real server.
 */
import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type CaseEvent } from '../../shared/index';
import { DeskDb } from '../../renderer/src/cache/db';
import { carryOver, rebuildCache, resyncCache } from '../../renderer/src/session/rebuild';
import { startTestServer, type TestServer } from '../support/server';
import { api } from '../support/http';
import { openDesk, settle, until, type TestDesk } from './desk';

let server: TestServer;
const open: TestDesk[] = [];
let nameCounter = 0;

async function ready(token: string, dbName: string): Promise<TestDesk> {
  const d = await openDesk(server.url, token, { dbName, live: false });
  open.push(d);
  await d.engine.start();
  await until(() => d.engine.status.bootstrap.complete, 'bootstrap');
  await d.engine.idle();
  return d;
}

/** A cache left unreadable: its tables of bookkeeping and edits are gone (a damaged profile). */
function breakCache(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1_000_000);
    request.onupgradeneeded = () => {
      request.result.deleteObjectStore('outbox');
      request.result.deleteObjectStore('meta');
    };
    request.onsuccess = () => {
      request.result.close();
      resolve();
    };
    request.onerror = () => reject(request.error ?? new Error('could not open'));
  });
}

async function notesOnServer(token: string, caseNumber: number): Promise<string[]> {
  const detail = await api(server, token).get<{ case: { id: string } }>(ROUTES.caseByNumber(caseNumber));
  const events = await api(server, token).get<{ events: CaseEvent[] }>(ROUTES.caseEvents(detail.body.case.id));
  return events.body.events.filter((e) => e.kind === 'note').map((e) => e.text ?? '');
}

beforeAll(async () => {
  server = await startTestServer({ cases: 30, seed: 3, now: new Date('2026-11-24T09:30:00Z') });
});
afterEach(() => {
  for (const d of open.splice(0)) d.close();
});
afterAll(() => server.close());

describe('rebuilding the cache', () => {
  it('gives a cache rebuilt from an unreadable one a new desk id, so its first edits are applied, not answered as duplicates', async () => {
    const token = await server.login(server.specialistEmails[0]);
    const dbName = `rebuild-${process.pid}-${++nameCounter}`;
    const before = await ready(token, dbName);
    const target = before.store.cases.rows().find((r) => before.me.teams.includes(r.team))!;
    await before.outbox.enqueue({ name: 'addNote', args: { caseId: target.id, eventId: crypto.randomUUID(), text: 'Före ombyggnaden' } });
    await settle(before);
    before.close();
    open.splice(open.indexOf(before), 1);

    await breakCache(dbName);
    const keep = await carryOver(new DeskDb(dbName));
    expect(keep).toBeNull();
    const clientId = await rebuildCache(dbName, before.me, keep);
    expect(clientId).not.toBe(before.clientId);

    const after = await ready(token, dbName);
    expect(after.clientId).toBe(clientId);
    const entry = await after.outbox.enqueue({ name: 'addNote', args: { caseId: target.id, eventId: crypto.randomUUID(), text: 'Efter ombyggnaden' } });
    // The counter started again: the old desk id would have made this a replay of the first note.
    expect(entry.mutationId).toBe(1);
    await settle(after);
    expect(await after.db.outbox.count()).toBe(0);
    expect(await notesOnServer(token, target.number)).toEqual(expect.arrayContaining(['Före ombyggnaden', 'Efter ombyggnaden']));
  });

  it('keeps the desk id, its counter and the waiting edits of a cache it can read', async () => {
    const token = await server.login(server.specialistEmails[1]);
    const dbName = `rebuild-${process.pid}-${++nameCounter}`;
    const d = await ready(token, dbName);
    const target = d.store.cases.rows().find((r) => d.me.teams.includes(r.team))!;
    await d.outbox.enqueue({ name: 'logMinutes', args: { caseId: target.id, minutes: 5 } });
    await settle(d);
    await d.outbox.enqueue({ name: 'addNote', args: { caseId: target.id, eventId: crypto.randomUUID(), text: 'Väntar' } });
    d.close();
    open.splice(open.indexOf(d), 1);

    const keep = await carryOver(new DeskDb(dbName));
    expect(keep).toMatchObject({ clientId: d.clientId, lastMutationId: 2 });
    expect(keep?.outbox.map((e) => e.mutationId)).toEqual([2]);
    expect(await rebuildCache(dbName, d.me, keep)).toBe(d.clientId);
    const again = await ready(token, dbName);
    expect((await again.outbox.enqueue({ name: 'logMinutes', args: { caseId: target.id, minutes: 1 } })).mutationId).toBe(3);
    await settle(again);
    expect(await notesOnServer(token, target.number)).toContain('Väntar');
  });

  it('carries over an edit another tab saved before it stopped: what is kept is read only after the tabs stopped', async () => {
    const token = await server.login(server.specialistEmails[3]);
    const dbName = `rebuild-${process.pid}-${++nameCounter}`;
    const here = await ready(token, dbName);
    const target = here.store.cases.rows().find((r) => here.me.teams.includes(r.team))!;
    // Another tab of the same desk, on the same cache: it saves an edit as it hears of the re-sync.
    const other = await openDesk(server.url, token, { dbName, live: false });
    open.push(other);

    const keep = await resyncCache(new DeskDb(dbName), here.me, async () => {
      here.close();
      await other.outbox.enqueue({ name: 'addNote', args: { caseId: target.id, eventId: crypto.randomUUID(), text: 'Toisesta välilehdestä' } });
      other.close();
    });
    open.splice(0);
    expect(keep?.outbox.map((e) => e.mutationId)).toEqual([1]);
    const rebuilt = new DeskDb(dbName);
    await rebuilt.open();
    const texts = (await rebuilt.outbox.toArray()).map((e) => (e.envelope.name === 'addNote' ? e.envelope.args.text : null));
    rebuilt.close();
    expect(texts).toEqual(['Toisesta välilehdestä']);
  });

  it('shows an edit refused as idempotency_mismatch (an old desk id with its counter started again) and keeps it, never drops it', async () => {
    const token = await server.login(server.specialistEmails[2]);
    const first = await ready(token, `rebuild-${process.pid}-${++nameCounter}`);
    const target = first.store.cases.rows().find((r) => first.me.teams.includes(r.team))!;
    await first.outbox.enqueue({ name: 'logMinutes', args: { caseId: target.id, minutes: 10 } });
    await settle(first);
    // What the old rebuild made: the same desk id in a cache whose counter starts again.
    const reusedName = `rebuild-${process.pid}-${++nameCounter}`;
    const reused = new DeskDb(reusedName);
    await reused.open();
    await reused.setMeta('clientId', first.clientId);
    reused.close();
    const second = await ready(token, reusedName);
    await second.outbox.enqueue({ name: 'addNote', args: { caseId: target.id, eventId: crypto.randomUUID(), text: 'Ei saa kadota' } });
    await settle(second);
    const [kept] = await second.db.outbox.toArray();
    expect(kept).toMatchObject({ state: 'rejected', error: { code: 'idempotency_mismatch', field: 'mutationId' } });
    expect(second.store.cases.outbox.map((e) => e.state)).toEqual(['rejected']);
    expect(await notesOnServer(token, target.number)).not.toContain('Ei saa kadota');
  });
});
