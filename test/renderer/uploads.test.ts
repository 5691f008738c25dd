/**
 * Files of notes through the desk's cache and sync engine against a real server: kept with the
 * note offline, uploaded once and before the note when the desk is back online, the note naming
 * them; refused files dropped from the note and kept with their reason; other desks learn the
 * records through the feed.
 */
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../shared/index';
import type { FetchLike } from '../../renderer/src/api/client';
import { SessionAttachments, type EventFiles } from '../../renderer/src/session/attachments';
import { startTestServer, type TestServer } from '../support/server';
import { pngBytes } from '../support/png';
import { openDesk, settle, until, type TestDesk } from './desk';

let server: TestServer;
const open: TestDesk[] = [];

beforeAll(async () => {
  server = await startTestServer({ cases: 60, seed: 3, server: { attachmentMaxMb: 0.02 } });
});
afterEach(() => {
  for (const d of open.splice(0)) d.close();
});
afterAll(() => server.close());

/** A fetch that can be cut off (offline) and that logs what reached the server, in order. */
function network() {
  const log: string[] = [];
  let online = true;
  const fetchImpl: FetchLike = async (input, init) => {
    if (!online) throw new TypeError('Failed to fetch');
    const path = new URL(input).pathname;
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as { mutations?: Array<{ name: string }> }) : null;
    log.push(`${init?.method ?? 'GET'} ${path}${body?.mutations ? ` ${body.mutations.map((m) => m.name).join(',')}` : ''}`);
    return fetch(input, init);
  };
  return { log, fetch: fetchImpl, set: (value: boolean) => (online = value) };
}

async function ready(email: string, net?: ReturnType<typeof network>): Promise<TestDesk> {
  const d = await openDesk(server.url, await server.login(email), { live: false, ...(net ? { fetch: net.fetch } : {}) });
  open.push(d);
  await d.engine.start();
  await until(() => d.engine.status.bootstrap.complete, 'bootstrap');
  await d.engine.idle();
  return d;
}

const openCaseOf = (d: TestDesk): string => {
  const row = d.store.cases.rows().find((r) => r.status !== 'closed' && d.me.teams.includes(r.team));
  if (!row) throw new Error('no open case');
  return row.id;
};

const file = (name: string, bytes: Uint8Array, type: string) => ({ id: randomUUID(), name, type, size: bytes.byteLength, blob: new Blob([Uint8Array.from(bytes)], { type }) });

describe('files of notes', () => {
  it('waits offline with the note, then uploads each file once and before the note', async () => {
    const net = network();
    const desk = await ready(server.specialistEmails[0] as string, net);
    const files = new SessionAttachments(desk.db, desk.api, (body) => desk.outbox.enqueue(body));
    const caseId = openCaseOf(desk);
    const shot = file('Skärmbild.png', pngBytes(10, 10, [10, 20, 30], 11), 'image/png');

    net.set(false);
    desk.engine.setBrowserOnline(false);
    const entry = await files.addNote(caseId, 'Se skärmbilden.', [shot]);
    desk.engine.requestPush();
    await until(() => desk.engine.status.connection === 'offline', 'the push to fail offline');
    await desk.engine.idle();
    // Kept here with the note; nothing on the server.
    expect((await desk.db.uploads.get(shot.id))?.state).toBe('waiting');
    expect((await desk.db.outbox.get(entry.mutationId))?.state).toBe('pending');
    expect(server.store.attachments.get(shot.id)).toBeNull();

    net.set(true);
    net.log.length = 0;
    desk.engine.setBrowserOnline(true);
    await settle(desk);
    const uploads = net.log.filter((l) => l.startsWith(`POST ${ROUTES.attachments}`));
    expect(uploads).toHaveLength(1);
    const pushes = net.log.filter((l) => l.startsWith(`POST ${ROUTES.push}`) && l.includes('addNote'));
    expect(pushes).toHaveLength(1);
    expect(net.log.indexOf(uploads[0] ?? '')).toBeLessThan(net.log.indexOf(pushes[0] ?? ''));
    const eventId = entry.envelope.name === 'addNote' ? entry.envelope.args.eventId : '';
    expect(server.store.attachments.get(shot.id)).toMatchObject({ eventId, contentType: 'image/png', name: 'Skärmbild.png' });
    expect((await desk.db.uploads.get(shot.id))?.state).toBe('uploaded');

    // Another push round sends nothing again.
    net.log.length = 0;
    await settle(desk);
    expect(net.log.filter((l) => l.startsWith(`POST ${ROUTES.attachments}`))).toEqual([]);

    // Another desk learns the record with the note, through the sync (its first one: the record
    // is with the note's slice, cache/files.ts); never the bytes.
    const other = await ready(server.specialistEmails[1] as string);
    await other.engine.idle();
    const theirs = new SessionAttachments(other.db, other.api, (body) => other.outbox.enqueue(body), (id) => other.store.timelines.slicesOf(id));
    const seen = await new Promise<EventFiles>((resolve) => {
      const stop = theirs.watch([eventId], [], (found) => {
        resolve(found);
        setTimeout(stop, 0);
      }, caseId);
    });
    expect(seen.records).toEqual([expect.objectContaining({ id: shot.id, eventId, caseId, name: 'Skärmbild.png', size: shot.size })]);
    expect(await other.db.uploads.count()).toBe(0);
  });

  it('sends the note without a file the server refuses, and keeps the reason for the chip', async () => {
    const desk = await ready(server.specialistEmails[0] as string);
    const files = new SessionAttachments(desk.db, desk.api, (body) => desk.outbox.enqueue(body));
    const caseId = openCaseOf(desk);
    const big = file('stor.bin', new Uint8Array(64 * 1024).fill(3), 'application/octet-stream');
    const small = file('liten.txt', new TextEncoder().encode('hej'), 'text/plain');
    const entry = await files.addNote(caseId, 'Två filer.', [big, small]);
    await settle(desk);
    const eventId = entry.envelope.name === 'addNote' ? entry.envelope.args.eventId : '';
    expect(server.store.events.has(eventId)).toBe(true);
    expect(server.store.attachments.forEvent(eventId).map((a) => a.name)).toEqual(['liten.txt']);
    expect(server.store.attachments.get(big.id)).toBeNull();
    expect(await desk.db.uploads.get(big.id)).toMatchObject({ state: 'refused', refusal: { code: 'too_large', limitMb: 0.02 } });
    expect(await desk.db.outbox.count()).toBe(0);
  });
});
