/**
 * Client-protocol durability on the server side: the server process is killed (SIGKILL) and
 * restarted in the middle of a desk's bootstrap and in the middle of its change pull, while
 * another desk keeps writing. The desk resumes from the cursor it holds; the bootstrap delivers
 * every entity once, the change feed covers every seq after the snapshot exactly once (each page
 * holds exactly the entities of its seq range, read back from the change log), and the desk's
 * merged state equals the server's.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BootstrapPageSchema,
  ChangesPageSchema,
  ROUTES,
  type BootstrapPage,
  type ChangesPage,
  type Entities,
  type PushResponse,
} from '../../shared/api';
import { Rng } from '../../server/demo/rng';
import { CASE_JSON, CONTACT_JSON, CUSTOMER_JSON, EVENT_JSON, SPECIALIST_JSON } from '../../server/store/json';
import { ChildServer, DEMO_PASSWORD, freePort } from './support/child-server';
import { login, request, type Reply } from '../support/http';
import { changeLogShape, openFile } from './support/db';
import { KNOBS, SEED } from './support/knobs';
import { pause } from './support/load-desk';
import { reliabilityTally } from './support/summary';

const tally = reliabilityTally(import.meta.url);
afterAll(() => tally.finish());

type EntityName = keyof Entities;
const ENTITY_NAMES: EntityName[] = ['cases', 'customers', 'contacts', 'specialists', 'grants', 'events', 'calls', 'templates', 'articles'];

describe('a server restart in the middle of a bootstrap or a pull', () => {
  const { cases, pageLimit, bootstrapKills, pullKills, writesPerPage } = KNOBS.resume;
  const rng = new Rng(SEED + 1);
  const dir = mkdtempSync(join(tmpdir(), 'desk-resume-'));
  let server: ChildServer;
  let reader: string;
  let writer: string;
  let lead: string;
  let caseIds: string[];
  let contactIds: string[];
  let customerCount: number;
  let kills = 0;
  const writerClient = randomUUID();
  let nextMutationId = 1;
  let writes = 0;
  /** Cases the other desk changed: changed after the snapshot, a first-page case may have its contact sent again. */
  const written = new Set<string>();

  beforeAll(async () => {
    server = new ChildServer({ dataDir: dir, port: await freePort(), demoCases: cases, ctiToken: randomUUID() });
    await server.start();
    const db = openFile(server.dataFile);
    caseIds = db.prepare<[], string>('SELECT id FROM cases ORDER BY number').pluck().all();
    contactIds = db.prepare<[], string>('SELECT id FROM contacts ORDER BY id').pluck().all();
    customerCount = db.prepare<[], number>('SELECT count(*) FROM customers').pluck().get() ?? 0;
    const [specialistEmail, writerEmail] = db.prepare<[], string>(`SELECT email FROM specialists WHERE role = 'specialist' AND email LIKE '%@softone.%' ORDER BY email`).pluck().all();
    const leadEmail = db.prepare<[], string>(`SELECT email FROM specialists WHERE role = 'lead' AND email LIKE '%@softone.%'`).pluck().get();
    db.close();
    reader = await login(server.url, specialistEmail ?? '', DEMO_PASSWORD);
    writer = await login(server.url, writerEmail ?? '', DEMO_PASSWORD);
    lead = await login(server.url, leadEmail ?? '', DEMO_PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Another desk at work: notes, minutes and title edits (none moves a case between bootstrap phases), contact fixes. */
  async function write(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      writes += 1;
      if (rng.chance(0.15)) {
        const answer = await request(server.url, 'PATCH', ROUTES.gdprContact(rng.pick(contactIds)), { token: lead, json: { name: `Kontakt ${writes}` } });
        expect(answer.status).toBe(200);
        continue;
      }
      const caseId = rng.pick(caseIds);
      written.add(caseId);
      const roll = rng.next();
      const body =
        roll < 0.5
          ? { name: 'addNote', args: { caseId, eventId: randomUUID(), text: `resume note ${writes}` } }
          : roll < 0.8
            ? { name: 'logMinutes', args: { caseId, minutes: rng.int(1, 30) } }
            : { name: 'editFields', args: { caseId, fields: { title: `Rubrik ${writes}` } } };
      const answer = await request<PushResponse>(server.url, 'POST', ROUTES.push, {
        token: writer,
        json: { mutations: [{ clientId: writerClient, mutationId: nextMutationId++, ...body }] },
      });
      expect(answer.status).toBe(200);
      expect(answer.body.results[0]?.status).toBe('applied');
    }
  }

  /**
   * A read the server is killed in the middle of: the request goes out, the process dies a few
   * milliseconds later, and the desk, which got no (or a cut) answer, asks again with the same
   * cursor once the server is back.
   */
  async function readThroughCrash<T>(path: string, token: string): Promise<Reply<T>> {
    const inFlight = request<T>(server.url, 'GET', path, { token }).catch(() => null);
    // A few milliseconds, so the kill lands at varying points of the request's handling.
    await pause(rng.int(0, 4));
    await server.kill();
    await inFlight;
    kills += 1;
    tally.add({ faults: 1 });
    await server.start();
    return request<T>(server.url, 'GET', path, { token });
  }

  const spread = (count: number, steps: number): Set<number> =>
    new Set(Array.from({ length: count }, (_, i) => Math.max(1, Math.floor(((i + 1) * steps) / (count + 1)))));

  it(
    'resumes the bootstrap and the change pull from the cursor, without gaps or duplicates',
    async () => {
      // ---- Bootstrap, killed at spread-out pages ---------------------------------------------
      const expectedPages = Math.ceil((cases + customerCount) / pageLimit);
      const bootstrapKillAt = spread(bootstrapKills, expectedPages);
      const pages: BootstrapPage[] = [];
      let cursor: string | null = null;
      do {
        await write(writesPerPage);
        const query = new URLSearchParams({ teams: '1,2', limit: String(pageLimit), ...(cursor ? { page: cursor } : {}) });
        const path = `${ROUTES.bootstrap}?${query}`;
        const answer: Reply<BootstrapPage> = bootstrapKillAt.has(pages.length)
          ? await readThroughCrash<BootstrapPage>(path, reader)
          : await request<BootstrapPage>(server.url, 'GET', path, { token: reader });
        expect(answer.status).toBe(200);
        const page = BootstrapPageSchema.parse(answer.body);
        pages.push(page);
        cursor = page.next;
      } while (cursor !== null);

      const snapshotSeq = pages[0]?.snapshotSeq ?? -1;
      expect(pages.every((p) => p.snapshotSeq === snapshotSeq)).toBe(true);
      let lost = 0;
      let doubled = 0;
      // Counted as they are found, so a failure still reports what went missing or came twice.
      try {
        const seenOnce = (ids: string[], expected: string[], mayRepeat: ReadonlySet<string> = new Set()): void => {
          const unique = new Set(ids);
          const once = ids.filter((id) => !mayRepeat.has(id));
          doubled += once.length - new Set(once).size;
          lost += expected.filter((id) => !unique.has(id)).length;
          expect([...unique].sort()).toEqual([...expected].sort());
          expect(once).toHaveLength(new Set(once).size);
        };
        seenOnce(pages.flatMap((p) => p.cases.map((c) => c.id)), caseIds);
        // By design (server/sync/bootstrap-queries.ts) the reference phase sends again the
        // contacts of first-page cases changed since the snapshot: it cannot tell what such a
        // case named then. Any other contact comes exactly once.
        const resent = new Set((pages[0]?.cases ?? []).filter((c) => written.has(c.id) && c.contactId !== null).map((c) => c.contactId as string));
        seenOnce(pages.flatMap((p) => p.contacts.map((c) => c.id)), contactIds, resent);
        expect(pages[pages.length - 1]?.progress).toEqual({ done: caseIds.length, total: caseIds.length });
        // The last phase carries the timelines of open cases, each case's once (pages go by case number).
        const bootstrapEvents = pages.flatMap((p) => p.events.map((e) => e.id));
        doubled += bootstrapEvents.length - new Set(bootstrapEvents).size;
        expect(bootstrapEvents).toHaveLength(new Set(bootstrapEvents).size);

        // The desk's cache: the snapshot, then every change page applied over it, by id.
        const local: Record<EntityName, Map<string, unknown>> = {
          cases: new Map(),
          customers: new Map(),
          contacts: new Map(),
          specialists: new Map(),
          grants: new Map(),
          events: new Map(),
          calls: new Map(),
          attachments: new Map(),
          templates: new Map(),
          articles: new Map(),
          calendarExceptions: new Map(),
        };
        const apply = (page: Entities): void => {
          for (const name of ENTITY_NAMES) for (const row of page[name]) local[name].set(row.id, row);
        };
        pages.forEach(apply);

        // ---- Pull from the snapshot's seq, killed at spread-out pages ---------------------------
        const pullSteps = 8 + pullKills * 2;
        const pullKillAt = spread(pullKills, pullSteps);
        const pulls: Array<{ after: number; page: ChangesPage }> = [];
        let after = snapshotSeq;
        for (let step = 0; ; step++) {
          const writing = step < pullSteps;
          if (writing) await write(writesPerPage);
          const path = `${ROUTES.changes}?after=${after}&limit=${Math.max(3, Math.floor(pageLimit / 3))}`;
          const answer = pullKillAt.has(step) ? await readThroughCrash<ChangesPage>(path, reader) : await request<ChangesPage>(server.url, 'GET', path, { token: reader });
          expect(answer.status).toBe(200);
          const page = ChangesPageSchema.parse(answer.body);
          pulls.push({ after, page });
          apply(page);
          after = page.cursor;
          if (!writing && !page.hasMore) break;
        }

        // ---- Every seq after the snapshot, on exactly one page, with exactly its entities -------
        const db = openFile(server.dataFile);
        try {
          const log = changeLogShape(db);
          expect(log.rows).toBe(log.maxSeq);
          expect(log.highWater).toBe(log.maxSeq);
          expect(after).toBe(log.maxSeq);
          const range = db.prepare<[number, number], { entity: EntityName; entity_id: string }>(
            'SELECT entity, entity_id FROM change_log WHERE seq > ? AND seq <= ? ORDER BY seq',
          );
          let covered = snapshotSeq;
          for (const { after: from, page } of pulls) {
            // Each page starts where the previous one ended and moves the cursor forward unless empty.
            expect(from).toBe(covered);
            if (page.cursor === from) expect(page.hasMore).toBe(false);
            else expect(page.cursor).toBeGreaterThan(from);
            const expectedIds = new Set(range.all(from, page.cursor).map((r) => `${r.entity}:${r.entity_id}`));
            const pageIds = ENTITY_NAMES.flatMap((name) => page[name].map((row) => `${name}:${row.id}`));
            const unique = new Set(pageIds);
            doubled += pageIds.length - unique.size;
            lost += [...expectedIds].filter((id) => !unique.has(id)).length;
            expect([...unique].sort()).toEqual([...expectedIds].sort());
            covered = page.cursor;
          }
          expect(covered).toBe(log.maxSeq);

          // ---- The desk's merged state equals what the server holds now -----------------------
          const rendered = (sql: string): Map<string, unknown> =>
            new Map(
              db
                .prepare<[], string>(sql)
                .pluck()
                .all()
                .map((json) => {
                  const row = JSON.parse(json) as { id: string };
                  return [row.id, row];
                }),
            );
          expect(local.cases).toEqual(rendered(`SELECT ${CASE_JSON} FROM cases c`));
          expect(local.customers).toEqual(rendered(`SELECT ${CUSTOMER_JSON} FROM customers cu`));
          expect(local.contacts).toEqual(rendered(`SELECT ${CONTACT_JSON} FROM contacts co`));
          expect(local.specialists).toEqual(rendered(`SELECT ${SPECIALIST_JSON} FROM specialists s`));
          // Events: every one of the feed after the snapshot, and the whole timeline of every open
          // case (the bootstrap's last phase; the other desk's writes move no case out of open).
          expect(local.events).toEqual(
            rendered(
              `SELECT ${EVENT_JSON} FROM case_events e WHERE e.id IN (SELECT entity_id FROM change_log WHERE entity = 'events' AND seq > ${snapshotSeq})
                 OR e.case_id IN (SELECT id FROM cases WHERE status <> 'closed')`,
            ),
          );
        } finally {
          db.close();
        }
      } finally {
        tally.add({ lost, doubled });
      }
      expect({ lost, doubled }).toEqual({ lost: 0, doubled: 0 });
      expect(kills).toBe(bootstrapKills + pullKills);
      expect(writes).toBeGreaterThan(0);
    },
    KNOBS.testTimeoutMs,
  );
});
