/**
 * `npm run backup` (server/cli/backup.ts): an online backup taken while the real server process
 * serves a write load is a consistent snapshot — exactly the live history up to one `seq`, every
 * mutation acknowledged before it started included, no half transaction — and a restore into a
 * new data folder gives a server that serves exactly that data. A restore over the database of a
 * running server is refused; over a stopped one it keeps the replaced database beside it.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type BootstrapPage, type CaseDetail, type Mutation, type PushResponse } from '../../shared/api';
import { Rng } from '../../server/demo/rng';
import { LATEST_SCHEMA_VERSION } from '../../server/store/migrations';
import { ChildServer, cleanEnv, DEMO_PASSWORD, freePort, REPO_ROOT } from './support/child-server';
import { login, request } from '../support/http';
import { changeLogShape, dataChecksum, integrityCheck, openFile } from './support/db';
import { KNOBS, SEED } from './support/knobs';
import { LoadDesk, Progress } from './support/load-desk';
import { reliabilityTally } from './support/summary';

const tally = reliabilityTally(import.meta.url);
afterAll(() => tally.finish());

interface CliRun {
  code: number | null;
  output: string;
  /** The JSON line the command printed. */
  result: Record<string, unknown>;
}

/** Runs the command `npm run backup` runs (`tsx server/cli/backup.ts`), for a data folder. */
function backupCli(args: string[], dataDir: string): Promise<CliRun> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['server/cli/backup.ts', ...args], {
      cwd: REPO_ROOT,
      env: cleanEnv({ DESK_DATA_DIR: dataDir }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = output.trim().split('\n').reverse().find((l) => l.startsWith('{'));
      resolveRun({ code, output, result: line ? (JSON.parse(line) as Record<string, unknown>) : {} });
    });
  });
}

const readOnly = (file: string): Database.Database => new Database(file, { readonly: true, fileMustExist: true });
const checksumOf = (file: string): string => {
  const db = readOnly(file);
  try {
    return dataChecksum(db);
  } finally {
    db.close();
  }
};

describe('npm run backup', () => {
  const rng = new Rng(SEED + 2);
  const root = mkdtempSync(join(tmpdir(), 'desk-backup-'));
  const liveDir = join(root, 'live');
  let server: ChildServer;
  let caseIds: string[];
  let emails: string[];
  let lastBackup: { file: string; seq: number } | null = null;

  beforeAll(async () => {
    server = new ChildServer({ dataDir: liveDir, port: await freePort(), demoCases: 150, ctiToken: randomUUID() });
    await server.start();
    const db = openFile(server.dataFile);
    caseIds = db.prepare<[], string>('SELECT id FROM cases ORDER BY number').pluck().all();
    emails = db.prepare<[], string>(`SELECT email FROM specialists WHERE active = 1 AND email LIKE '%@softone.%' ORDER BY email`).pluck().all();
    db.close();
  }, 90_000);
  afterAll(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  /**
   * The backup against the live file: the same change log up to its last seq, the same events,
   * every case at the version it had at that seq, every acknowledged-before mutation in it, and
   * every mutation in it whole (its applied row and its note together).
   */
  function verifyBackup(file: string, desks: LoadDesk[], ackedBefore: Array<[LoadDesk, Mutation]>): number {
    const backup = readOnly(file);
    const live = openFile(server.dataFile);
    try {
      expect(integrityCheck(backup)).toBe('ok');
      const log = changeLogShape(backup);
      expect(log.rows).toBe(log.maxSeq);
      expect(log.highWater).toBe(log.maxSeq);
      const seq = log.maxSeq;
      const applied = backup.prepare<[string, number], number>('SELECT count(*) FROM applied_mutations WHERE client_id = ? AND mutation_id = ?').pluck();
      const noteCount = backup.prepare<[string], number>(`SELECT count(*) FROM case_events WHERE id = ? AND kind = 'note'`).pluck();
      const eventIdOf = (m: Mutation): string => (m.name === 'addNote' ? m.args.eventId : '');
      let lost = 0;
      for (const [desk, m] of ackedBefore) if (applied.get(desk.clientId, m.mutationId) !== 1 || noteCount.get(eventIdOf(m)) !== 1) lost += 1;
      tally.add({ lost });
      expect(lost).toBe(0);
      for (const desk of desks) {
        for (const mutationId of backup.prepare<[string], number>('SELECT mutation_id FROM applied_mutations WHERE client_id = ?').pluck().all(desk.clientId)) {
          const m = desk.made.get(mutationId);
          expect(m && noteCount.get(eventIdOf(m)), `mutation ${mutationId} recorded without its note`).toBe(1);
        }
      }
      // Read the live side in one transaction: one snapshot of a database still being written.
      live.transaction(() => {
        const rows = (db: Database.Database) => db.prepare<[number], unknown[]>('SELECT seq, entity, entity_id FROM change_log WHERE seq <= ? ORDER BY seq').raw().all(seq);
        expect(rows(backup)).toEqual(rows(live));
        const eventsAt = (db: Database.Database) =>
          db.prepare<[number], unknown[]>(`SELECT * FROM case_events WHERE id IN (SELECT entity_id FROM change_log WHERE entity = 'events' AND seq <= ?) ORDER BY id`).raw().all(seq);
        expect(eventsAt(backup)).toEqual(eventsAt(live));
        const versionsThen = live
          .prepare<[number], [string, number]>(
            `SELECT c.id, c.version - (SELECT count(*) FROM change_log l WHERE l.entity = 'cases' AND l.entity_id = c.id AND l.seq > ?) FROM cases c ORDER BY c.id`,
          )
          .raw()
          .all(seq);
        expect(backup.prepare<[], [string, number]>('SELECT id, version FROM cases ORDER BY id').raw().all()).toEqual(versionsThen);
      })();
      return seq;
    } finally {
      backup.close();
      live.close();
    }
  }

  it(
    'takes consistent online backups while the server serves writes',
    async () => {
      let stop = false;
      const progress = new Progress();
      const desks = await Promise.all(
        Array.from({ length: KNOBS.backup.writers }, async (_, i) => {
          const token = await login(server.url, emails[i % emails.length] ?? '', DEMO_PASSWORD);
          return new LoadDesk({
            token,
            url: () => server.url,
            rng,
            target: 1_000_000,
            maxBatch: 4,
            progress,
            next: (d) => ({ name: 'addNote', args: { caseId: rng.pick(caseIds), eventId: randomUUID(), text: `backup load ${d.clientId} #${d.made.size + 1}` } }),
          });
        }),
      );
      const running = desks.map((d) => d.run(() => stop));
      const acked = (): number => desks.reduce((sum, d) => sum + d.acknowledged.length, 0);
      await progress.until(() => acked() >= 30);

      for (let i = 0; i < KNOBS.backup.backupsDuringLoad; i++) {
        const ackedBefore = desks.flatMap((d) => d.acknowledged.map((m) => [d, m] as [LoadDesk, Mutation]));
        const target = join(root, 'backups', `during-load-${i}.sqlite`);
        const run = await backupCli([target], liveDir);
        expect(run.code, run.output).toBe(0);
        expect(run.result).toMatchObject({ msg: 'backup written', file: target, schemaVersion: LATEST_SCHEMA_VERSION });
        // The server kept acknowledging writes while the backup ran.
        expect(acked()).toBeGreaterThan(ackedBefore.length);
        const seq = verifyBackup(target, desks, ackedBefore);
        expect(run.result.latestSeq).toBe(seq);
        lastBackup = { file: target, seq };
        // The next backup starts on a file that has moved on since this one.
        const ackedAfter = acked();
        await progress.until(() => acked() >= ackedAfter + 10);
      }
      stop = true;
      await Promise.all(running);
      for (const desk of desks) desk.stopMaking();
      await Promise.all(desks.map((d) => d.run()));
      expect(desks.flatMap((d) => d.unexpected)).toEqual([]);
      tally.add({ load: desks.reduce((sum, d) => sum + d.made.size, 0) });
      // Without a path: a timestamped file in the data folder's backups folder.
      const plain = await backupCli([], liveDir);
      expect(plain.code, plain.output).toBe(0);
      expect(String(plain.result.file)).toMatch(/live\/backups\/desk-\d{4}-\d\d-\d\dT[\d-]+Z\.sqlite$/);
    },
    KNOBS.testTimeoutMs,
  );

  it(
    'restores a backup into a new data folder, where a server serves exactly the data of the backup point',
    async () => {
      if (!lastBackup) throw new Error('no backup from the first test');
      const restoredDir = join(root, 'restored');
      // A new folder has no anonymisation list: refused unless it is brought along (or declared lost).
      const refused = await backupCli(['--restore', lastBackup.file], restoredDir);
      expect(refused.code, refused.output).toBe(1);
      expect(String(refused.result.error)).toMatch(/no anonymisation list.*--list-from/);
      const run = await backupCli(['--restore', lastBackup.file, '--list-from', liveDir], restoredDir);
      expect(run.code, run.output).toBe(0);
      expect(run.result).toMatchObject({ msg: 'backup restored', previous: null, latestSeq: lastBackup.seq });
      const expected = checksumOf(lastBackup.file);
      expect(checksumOf(join(restoredDir, 'desk.sqlite'))).toBe(expected);

      const restored = new ChildServer({ dataDir: restoredDir, port: await freePort(), demoCases: 0, ctiToken: randomUUID() });
      await restored.start();
      try {
        const token = await login(restored.url, emails[0] ?? '', DEMO_PASSWORD);
        const backup = readOnly(lastBackup.file);
        const cases = backup.prepare<[], number>('SELECT count(*) FROM cases').pluck().get();
        const sample = backup.prepare<[], { id: string; number: number }>('SELECT id, number FROM cases ORDER BY number LIMIT 8').all();
        const notesOf = backup.prepare<[string], string>(`SELECT text FROM case_events WHERE case_id = ? AND kind = 'note' ORDER BY text`).pluck();
        const first = await request<BootstrapPage>(restored.url, 'GET', `${ROUTES.bootstrap}?limit=10000`, { token });
        expect(first.body.progress.total).toBe(cases);
        expect(first.body.snapshotSeq).toBe(lastBackup.seq);
        for (const c of sample) {
          const detail = await request<CaseDetail>(restored.url, 'GET', ROUTES.caseByNumber(c.number), { token });
          expect(detail.status).toBe(200);
          expect(detail.body.events.filter((e) => e.kind === 'note').map((e) => e.text).sort()).toEqual(notesOf.all(c.id));
        }
        backup.close();
        // Reads wrote only audit rows and sessions: the data is the backup's, to the byte.
        expect(checksumOf(join(restoredDir, 'desk.sqlite'))).toBe(expected);
        const push = await request<PushResponse>(restored.url, 'POST', ROUTES.push, {
          token,
          json: { mutations: [{ clientId: randomUUID(), mutationId: 1, name: 'addNote', args: { caseId: sample[0]?.id, eventId: randomUUID(), text: 'efter återställning' } }] },
        });
        expect(push.body.results[0]?.status).toBe('applied');
        expect(push.body.seq).toBeGreaterThan(lastBackup.seq);
      } finally {
        await restored.stop();
      }
    },
    KNOBS.testTimeoutMs,
  );

  it('refuses to restore over the database of a running server, and changes nothing', async () => {
    if (!lastBackup) throw new Error('no backup from the first test');
    const before = checksumOf(server.dataFile);
    const run = await backupCli(['--restore', lastBackup.file], liveDir);
    expect(run.code).toBe(1);
    expect(run.result).toMatchObject({ msg: 'backup failed' });
    expect(String(run.result.error)).toMatch(/in use/);
    expect(checksumOf(server.dataFile)).toBe(before);
    expect(readdirSync(liveDir).filter((f) => f.includes('restoring') || f.includes('before-restore'))).toEqual([]);
    const token = await login(server.url, emails[0] ?? '', DEMO_PASSWORD);
    const push = await request<PushResponse>(server.url, 'POST', ROUTES.push, {
      token,
      json: { mutations: [{ clientId: randomUUID(), mutationId: 1, name: 'addNote', args: { caseId: caseIds[0], eventId: randomUUID(), text: 'servern lever' } }] },
    });
    expect(push.body.results[0]?.status).toBe('applied');
  }, KNOBS.testTimeoutMs);

  it('restores over a stopped server, keeping the replaced database beside it', async () => {
    if (!lastBackup) throw new Error('no backup from the first test');
    await server.stop();
    const replaced = checksumOf(server.dataFile);
    const run = await backupCli(['--restore', lastBackup.file], liveDir);
    expect(run.code, run.output).toBe(0);
    const previous = String(run.result.previous);
    expect(previous).toMatch(/desk\.sqlite\.before-restore-/);
    expect(checksumOf(previous)).toBe(replaced);
    expect(checksumOf(server.dataFile)).toBe(checksumOf(lastBackup.file));
    expect(existsSync(`${server.dataFile}-wal`) && existsSync(`${previous}-wal`)).toBe(false);
    await server.start();
    const token = await login(server.url, emails[0] ?? '', DEMO_PASSWORD);
    const changes = await request<{ latestSeq: number }>(server.url, 'GET', `${ROUTES.changes}?after=0&limit=1`, { token });
    expect(changes.body.latestSeq).toBe(lastBackup.seq);
  }, KNOBS.testTimeoutMs);
});
