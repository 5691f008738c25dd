/**
 * Server crash: several desks push a concurrent mutation load at the real server process, which
 * is killed with SIGKILL several times in the middle of it and started again on the same file.
 * The desks retry everything not acknowledged, with the same mutation ids. In the end every
 * acknowledged mutation is in the database exactly once, the state equals an independent replay
 * of the desks' outboxes, and SQLite's integrity check passes — after every crash too.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type CaseDetail, type Mutation, type MutationBody, type NumberBlock } from '../../shared/api';
import { Rng } from '../../server/demo/rng';
import { ChildServer, DEMO_PASSWORD, freePort } from './support/child-server';
import { caseArgs } from '../support/cases';
import { login, request } from '../support/http';
import { changeLogShape, foreignKeyProblems, integrityCheck, openFile } from './support/db';
import { KNOBS, SEED } from './support/knobs';
import { LoadDesk, pause, Progress } from './support/load-desk';
import { reliabilityTally } from './support/summary';

const tally = reliabilityTally(import.meta.url);
afterAll(() => tally.finish());

interface TargetCase {
  id: string;
  number: number;
  billable_minutes: number;
  version: number;
}

describe('kill -9 during a concurrent mutation load', () => {
  const { desks: deskCount, mutationsPerDesk, kills, droppedResponseRate, cases } = KNOBS.crash;
  const rng = new Rng(SEED);
  const dir = mkdtempSync(join(tmpdir(), 'desk-crash-'));
  let server: ChildServer;

  beforeAll(async () => {
    server = new ChildServer({ dataDir: dir, port: await freePort(), demoCases: cases, ctiToken: randomUUID() });
    await server.start();
  }, 90_000);

  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'keeps every acknowledged mutation exactly once, and the final state equals a replay of the outboxes',
    async () => {
      // ---- The state before the load, read straight from the file ------------------------------
      const before = openFile(server.dataFile);
      const targets = before
        .prepare<[], TargetCase>(`SELECT id, number, billable_minutes, version FROM cases WHERE status <> 'closed' ORDER BY number LIMIT 12`)
        .all();
      const notesBefore = new Map<string, string[]>(targets.map((t) => [t.id, []]));
      const minuteEventsBefore = new Map<string, number>(targets.map((t) => [t.id, 0]));
      for (const t of targets) {
        notesBefore.set(t.id, before.prepare<[string], string>(`SELECT text FROM case_events WHERE case_id = ? AND kind = 'note'`).pluck().all(t.id));
        minuteEventsBefore.set(t.id, before.prepare<[string], number>(`SELECT count(*) FROM case_events WHERE case_id = ? AND kind = 'minutes'`).pluck().get(t.id) ?? 0);
      }
      const contact = before
        .prepare<[], { id: string; customer_id: string }>('SELECT id, customer_id FROM contacts WHERE anonymised_at IS NULL ORDER BY id LIMIT 1')
        .get();
      const emails = before.prepare<[], string>(`SELECT email FROM specialists WHERE active = 1 AND email LIKE '%@softone.%' ORDER BY email`).pluck().all();
      before.close();
      expect(targets.length).toBeGreaterThanOrEqual(5);
      if (!contact) throw new Error('the demo data has no contact');

      // ---- The desks: each its own client id, outbox and leased case numbers -------------------
      const progress = new Progress();
      const desks = await Promise.all(
        Array.from({ length: deskCount }, async (_, i) => {
          const token = await login(server.url, emails[i % emails.length] ?? '', DEMO_PASSWORD);
          const numbers: number[] = [];
          const desk: LoadDesk = new LoadDesk({
            token,
            url: () => server.url,
            rng,
            target: mutationsPerDesk,
            droppedResponseRate,
            progress,
            next: (d): MutationBody => {
              const roll = rng.next();
              const n = d.made.size + 1;
              const number = roll < 0.1 ? numbers.shift() : undefined;
              if (number !== undefined) {
                return {
                  name: 'createCase',
                  args: caseArgs({ number, customerId: contact.customer_id, contactId: contact.id, title: `crash load ${d.clientId} #${n}` }),
                };
              }
              const caseId = rng.pick(targets).id;
              return roll < 0.7
                ? { name: 'addNote', args: { caseId, eventId: randomUUID(), text: `crash load ${d.clientId} #${n}` } }
                : { name: 'logMinutes', args: { caseId, minutes: rng.int(1, 90) } };
            },
          });
          const wanted = Math.ceil(mutationsPerDesk * 0.12);
          while (numbers.length < wanted) {
            const lease = await request<NumberBlock>(server.url, 'POST', ROUTES.numbers, {
              token,
              json: { clientId: desk.clientId, size: Math.min(100, wanted - numbers.length) },
            });
            expect(lease.status).toBe(200);
            for (let k = lease.body.from; k <= lease.body.to; k++) numbers.push(k);
          }
          return desk;
        }),
      );

      // ---- Load, with kill -9 at spread-out points -------------------------------------------
      const total = deskCount * mutationsPerDesk;
      const killPoints = Array.from({ length: kills }, (_, i) => Math.floor(((i + 1) / (kills + 1)) * total));
      const running = desks.map((d) => d.run());
      const crashFindings: string[] = [];
      let killed = 0;
      const acked = (): number => desks.reduce((sum, d) => sum + d.acknowledged.length, 0);
      while (!desks.every((d) => d.done)) {
        const point = killPoints[killed];
        await progress.until(() => desks.every((d) => d.done) || (point !== undefined && acked() >= point));
        if (point !== undefined && acked() >= point) {
          const ackedBeforeKill = desks.flatMap((d) => d.acknowledged.map((m) => [d.clientId, m.mutationId] as const));
          await server.kill();
          killed += 1;
          // The crashed file, before anything else touches it: consistent, gap-free, and holding
          // every mutation a desk was told was applied.
          const crashed = openFile(server.dataFile);
          const integrity = integrityCheck(crashed);
          if (integrity !== 'ok') crashFindings.push(`after kill ${killed}: integrity ${integrity}`);
          const log = changeLogShape(crashed);
          if (log.rows !== log.maxSeq || log.maxSeq !== log.highWater) crashFindings.push(`after kill ${killed}: change log ${JSON.stringify(log)}`);
          const isApplied = crashed.prepare<[string, number], number>('SELECT count(*) FROM applied_mutations WHERE client_id = ? AND mutation_id = ?').pluck();
          const missing = ackedBeforeKill.filter(([clientId, mutationId]) => isApplied.get(clientId, mutationId) !== 1);
          tally.add({ lost: missing.length });
          if (missing.length > 0) crashFindings.push(`after kill ${killed}: ${missing.length} acknowledged mutations missing`);
          crashed.close();
          // Down for a while, so that desks meet refused connections, not only cut answers.
          await pause(rng.int(50, 400));
          await server.start();
        }
      }
      await Promise.all(running);

      const made = desks.reduce((sum, d) => sum + d.made.size, 0);
      const dropped = desks.reduce((sum, d) => sum + d.droppedResponses, 0);
      tally.add({ load: made, faults: killed + dropped });

      // ---- The reference replay, computed from the desks' outboxes alone -----------------------
      // Everything a desk made must end up applied exactly once (all of it was acknowledged in the end).
      const mutations: Mutation[] = desks.flatMap((d) => [...d.made.values()]);
      const expectedNotes = new Map<string, Set<string>>(targets.map((t) => [t.id, new Set(notesBefore.get(t.id))]));
      const expectedMinutes = new Map<string, number>(targets.map((t) => [t.id, t.billable_minutes]));
      const expectedMinuteEvents = new Map<string, number>(minuteEventsBefore);
      const expectedVersion = new Map<string, number>(targets.map((t) => [t.id, t.version]));
      const expectedCases = new Map<string, { number: number; title: string }>();
      const bump = (caseId: string): void => void expectedVersion.set(caseId, (expectedVersion.get(caseId) ?? 0) + 1);
      for (const m of mutations) {
        if (m.name === 'createCase') {
          expectedCases.set(m.args.id, { number: m.args.number, title: m.args.title });
        } else if (m.name === 'addNote') {
          expectedNotes.get(m.args.caseId)?.add(m.args.text);
          bump(m.args.caseId);
        } else if (m.name === 'logMinutes') {
          expectedMinutes.set(m.args.caseId, (expectedMinutes.get(m.args.caseId) ?? 0) + m.args.minutes);
          expectedMinuteEvents.set(m.args.caseId, (expectedMinuteEvents.get(m.args.caseId) ?? 0) + 1);
          bump(m.args.caseId);
        }
      }

      // What a desk reads back over HTTP after the last restart.
      const problems: string[] = [];
      const reader = await login(server.url, emails[0] ?? '', DEMO_PASSWORD);
      for (const t of targets) {
        const detail = await request<CaseDetail>(server.url, 'GET', ROUTES.caseByNumber(t.number), { token: reader });
        const notes = detail.body.events.filter((e) => e.kind === 'note').map((e) => e.text ?? '');
        const seen = JSON.stringify([detail.body.case.billableMinutes, detail.body.case.version, notes.sort()]);
        const wanted = JSON.stringify([expectedMinutes.get(t.id), expectedVersion.get(t.id), [...(expectedNotes.get(t.id) ?? [])].sort()]);
        if (seen !== wanted) problems.push(`case ${t.number} over HTTP: ${seen.slice(0, 200)} instead of ${wanted.slice(0, 200)}`);
      }

      // ---- The file itself, after a graceful stop: every effect counted --------------------------
      await server.stop();
      const after = openFile(server.dataFile);
      let lost = 0;
      let doubled = 0;
      try {
        const noteCount = after.prepare<[string, string], number>(`SELECT count(*) FROM case_events WHERE case_id = ? AND kind = 'note' AND text = ?`).pluck();
        const minuteEvents = after.prepare<[string], number>(`SELECT count(*) FROM case_events WHERE case_id = ? AND kind = 'minutes'`).pluck();
        const caseRow = after.prepare<[string], { billable_minutes: number; version: number }>('SELECT billable_minutes, version FROM cases WHERE id = ?');
        for (const t of targets) {
          for (const text of expectedNotes.get(t.id) ?? []) {
            const count = noteCount.get(t.id, text) ?? 0;
            if (count === 0) lost += 1;
            if (count > 1) doubled += count - 1;
          }
          const minuteDiff = (minuteEvents.get(t.id) ?? 0) - (expectedMinuteEvents.get(t.id) ?? 0);
          if (minuteDiff < 0) lost -= minuteDiff;
          if (minuteDiff > 0) doubled += minuteDiff;
          const row = caseRow.get(t.id);
          if (row?.billable_minutes !== expectedMinutes.get(t.id) || row?.version !== expectedVersion.get(t.id)) {
            problems.push(`case ${t.number}: ${JSON.stringify(row)}, expected minutes ${expectedMinutes.get(t.id)} and version ${expectedVersion.get(t.id)}`);
          }
        }
        const byNumber = after.prepare<[number], { id: string; title: string }>('SELECT id, title FROM cases WHERE number = ?');
        for (const [id, c] of expectedCases) {
          const rows = byNumber.all(c.number);
          if (rows.length === 0) lost += 1;
          if (rows.length > 1) doubled += rows.length - 1;
          if (rows.length === 1 && (rows[0]?.id !== id || rows[0]?.title !== c.title)) problems.push(`case number ${c.number} holds ${JSON.stringify(rows[0])}`);
        }
        // Exactly one (clientId, mutationId) row per mutation made: none missing, none twice.
        const appliedIds = after.prepare<[string], number>('SELECT mutation_id FROM applied_mutations WHERE client_id = ? ORDER BY mutation_id').pluck();
        for (const desk of desks) {
          const ids = appliedIds.all(desk.clientId).join(',');
          const wanted = [...desk.made.keys()].sort((a, b) => a - b).join(',');
          if (ids !== wanted) problems.push(`desk ${desk.clientId}: applied mutations ${ids.slice(0, 100)}… instead of ${wanted.slice(0, 100)}…`);
        }
        const log = changeLogShape(after);
        if (log.rows !== log.maxSeq || log.highWater !== log.maxSeq) problems.push(`change log ${JSON.stringify(log)}`);
        const integrity = integrityCheck(after);
        if (integrity !== 'ok') problems.push(`integrity: ${integrity}`);
        if (foreignKeyProblems(after) > 0) problems.push('foreign key violations');
      } finally {
        after.close();
      }
      tally.add({ lost, doubled });

      expect({ lost, doubled }).toEqual({ lost: 0, doubled: 0 });
      expect(crashFindings).toEqual([]);
      expect(desks.flatMap((d) => d.unexpected)).toEqual([]);
      expect(problems).toEqual([]);
      expect(killed).toBe(kills);
      expect(made).toBe(total);
    },
    KNOBS.testTimeoutMs,
  );
});
