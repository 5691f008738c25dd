import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/store/db';
import { DatabaseFromTheFutureError, LATEST_SCHEMA_VERSION, MIGRATIONS, migrate, schemaVersion } from '../../../server/store/migrations';
import { openStore } from '../../../server/store/store';

const tables = (db: Database.Database): string[] =>
  db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];

describe('store: opening and migrations', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'desk-store-'));
    file = join(dir, 'desk.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opens with WAL, foreign keys and full sync, at the newest schema', () => {
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    // 2 = FULL: an acknowledged commit is on disk.
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    // Deleted content is zeroed, so an anonymised person's old rows are not in the file.
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    // Strictly increasing (steps of work done side by side may leave a number for another).
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
    db.close();
  });

  it('step 1 creates accounts and customers', () => {
    const db = new Database(file);
    migrate(db, 1);
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).toEqual(['contacts', 'customers', 'sessions', 'specialists']);
    db.prepare(`INSERT INTO customers VALUES ('c1', 'Bygg AB', '556000-0000', 'SE', 'sv', 'construction', '[]', 'ok', 2)`).run();
    // The quota is bounded by the brochure's 2..4.
    expect(() => db.prepare(`INSERT INTO customers VALUES ('c2', 'X', '1', 'SE', 'sv', 'construction', '[]', 'ok', 5)`).run()).toThrow(/CHECK/);
    db.close();
  });

  it('step 2 adds cases, events, calls and grants on top of existing data', () => {
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    migrate(db, 1);
    db.prepare(`INSERT INTO customers VALUES ('c1', 'Bygg AB', '556000-0000', 'SE', 'sv', 'construction', '[]', 'ok', 2)`).run();
    migrate(db, 2);
    expect(schemaVersion(db)).toBe(2);
    expect(tables(db)).toEqual(expect.arrayContaining(['access_grants', 'calls', 'case_events', 'cases']));
    expect(db.prepare('SELECT name FROM customers').pluck().get()).toBe('Bygg AB');
    const insertCase = db.prepare(
      `INSERT INTO cases (id, number, customer_id, product, module, category, status, team, title, channel, registered_at, updated_at)
       VALUES (?, ?, ?, 'go', 'finance', 'support', 'new', 1, 't', 'email', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
    );
    insertCase.run('k1', 100001, 'c1');
    expect(() => insertCase.run('k2', 100001, 'c1')).toThrow(/UNIQUE/);
    expect(() => insertCase.run('k3', 100002, 'no-such-customer')).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('step 3 adds the change log, applied mutations, number counter and audit log', () => {
    const db = new Database(file);
    migrate(db, 2);
    migrate(db, 3);
    expect(schemaVersion(db)).toBe(3);
    expect(tables(db)).toEqual(expect.arrayContaining(['applied_mutations', 'audit_log', 'change_log', 'counters', 'number_blocks']));
    expect(db.prepare(`SELECT value FROM counters WHERE name = 'case_number'`).pluck().get()).toBe(100001);
    const log = db.prepare('INSERT INTO change_log (entity, entity_id) VALUES (?, ?)');
    const first = Number(log.run('cases', 'a').lastInsertRowid);
    db.prepare('DELETE FROM change_log').run();
    // AUTOINCREMENT: a seq is never handed out twice.
    expect(Number(log.run('cases', 'b').lastInsertRowid)).toBe(first + 1);
    db.close();
  });

  it('step 4 adds when the server received an event, unknown (null) for the events before it', () => {
    const db = new Database(file);
    migrate(db, 3);
    db.prepare(`INSERT INTO customers VALUES ('c1', 'Bygg AB', '556000-0000', 'SE', 'sv', 'construction', '[]', 'ok', 2)`).run();
    db.prepare(
      `INSERT INTO cases (id, number, customer_id, product, module, category, status, team, title, channel, registered_at, updated_at)
       VALUES ('k1', 100001, 'c1', 'go', 'finance', 'support', 'new', 1, 't', 'email', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
    ).run();
    db.prepare(`INSERT INTO case_events (id, case_id, at, kind) VALUES ('e1', 'k1', '2026-01-01T00:00:00.000Z', 'created')`).run();
    migrate(db, 4);
    expect(schemaVersion(db)).toBe(4);
    expect(db.prepare(`SELECT received_at FROM case_events WHERE id = 'e1'`).pluck().get()).toBeNull();
    db.close();
  });

  it('step 5 keys replays by specialist and edit, keeps old rows, and gives old desk ids to the one who registered their cases', () => {
    const db = new Database(file);
    migrate(db, 4);
    db.prepare(`INSERT INTO customers VALUES ('c1', 'Bygg AB', '556000-0000', 'SE', 'sv', 'construction', '[]', 'ok', 2)`).run();
    const specialist = db.prepare(`INSERT INTO specialists (id, email, name, role, teams, office, language, password_hash, created_at) VALUES (?, ?, ?, 'specialist', '[1]', 'SE', 'sv', 'x', '2026-01-01T00:00:00.000Z')`);
    specialist.run('s1', 's1@example.com', 'Sara');
    specialist.run('s2', 's2@example.com', 'Olli');
    const block = db.prepare(`INSERT INTO number_blocks (client_id, from_number, to_number, leased_at) VALUES (?, ?, ?, '2026-01-01T00:00:00.000Z')`);
    block.run('desk-sara', 100001, 100010);
    block.run('desk-shared', 100011, 100020);
    block.run('desk-unused', 100021, 100030);
    const insertCase = db.prepare(
      `INSERT INTO cases (id, number, customer_id, product, module, category, status, team, title, channel, registered_at, updated_at)
       VALUES (?, ?, 'c1', 'go', 'finance', 'support', 'new', 1, 't', 'email', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
    );
    const created = db.prepare(`INSERT INTO case_events (id, case_id, at, actor_id, kind) VALUES (?, ?, '2026-01-01T00:00:00.000Z', ?, 'created')`);
    for (const [id, number, actor] of [['k1', 100001, 's1'], ['k2', 100002, 's1'], ['k3', 100011, 's1'], ['k4', 100012, 's2']] as const) {
      insertCase.run(id, number);
      created.run(`e-${id}`, id, actor);
    }
    db.prepare(`INSERT INTO applied_mutations (client_id, mutation_id, applied_at) VALUES ('desk-sara', 1, '2026-01-01T00:00:00.000Z')`).run();
    migrate(db, 5);
    expect(schemaVersion(db)).toBe(5);
    expect(db.prepare('SELECT client_id, specialist_id FROM client_owners ORDER BY client_id').all()).toEqual([{ client_id: 'desk-sara', specialist_id: 's1' }]);
    expect(db.prepare('SELECT specialist_id, body_hash FROM applied_mutations').all()).toEqual([{ specialist_id: null, body_hash: null }]);
    db.close();
  });

  it('step 7 gives existing sessions an id and a last use, and adds two-factor, recovery codes and resets', () => {
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    migrate(db, 4);
    db.prepare(
      `INSERT INTO specialists (id, email, name, role, teams, office, language, password_hash, created_at)
       VALUES ('s1', 'a@b.se', 'A', 'lead', '[1]', 'SE', 'sv', 'x', '2026-01-01T00:00:00.000Z')`,
    ).run();
    const session = db.prepare(`INSERT INTO sessions VALUES (?, 's1', '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z')`);
    session.run('h1');
    session.run('h2');
    migrate(db, 7);
    expect(tables(db)).toEqual(expect.arrayContaining(['two_factor', 'recovery_codes', 'password_resets']));
    const rows = db.prepare('SELECT id, last_seen_at FROM sessions ORDER BY token_hash').all() as Array<{ id: string; last_seen_at: string }>;
    expect(rows.map((r) => r.last_seen_at)).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z']);
    expect(rows[0]?.id).toMatch(/^[0-9a-f]{32}$/);
    expect(rows[0]?.id).not.toBe(rows[1]?.id);
    expect(db.prepare('SELECT must_change_password FROM specialists').pluck().get()).toBe(0);
    db.close();
  });

  it('rolls a failing step back completely and stays at the previous version', () => {
    const db = new Database(file);
    const broken = [
      ...MIGRATIONS.slice(0, 1),
      { version: 2, name: 'broken', up: (d: Database.Database) => d.exec('CREATE TABLE half (x); CREATE TABLE half (x);') },
    ];
    expect(() => migrate(db, 2, broken)).toThrow();
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).not.toContain('half');
    db.close();
  });

  it('refuses a database from a newer server with a clear message, leaving it untouched', () => {
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openStore(file)).toThrow(DatabaseFromTheFutureError);
    expect(() => openStore(file)).toThrow(/newer Desk server/);
    const again = new Database(file);
    expect(schemaVersion(again)).toBe(LATEST_SCHEMA_VERSION + 1);
    expect(tables(again)).toEqual([]);
    again.close();
  });

  it('reopens an existing store without re-running steps', () => {
    const store = openStore(file);
    store.db.prepare(`INSERT INTO customers VALUES ('c1', 'Bygg AB', '556000-0000', 'SE', 'sv', 'construction', '[]', 'ok', 2)`).run();
    store.close();
    const reopened = openStore(file);
    expect(reopened.customers.get('c1')?.name).toBe('Bygg AB');
    reopened.close();
  });
  it('step 8 gives audit rows a target and a detail, keeps the old rows, and adds the server state', () => {
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    migrate(db, 4);
    db.prepare(`INSERT INTO audit_log (at, specialist_id, contact_id, action, route) VALUES ('2026-01-01T00:00:00.000Z', NULL, NULL, 'view', '/x')`).run();
    migrate(db, 8, MIGRATIONS.filter((m) => m.version <= 4 || m.version === 8));
    expect(schemaVersion(db)).toBe(8);
    expect(db.prepare('SELECT action, target_id, detail FROM audit_log').get()).toEqual({ action: 'view', target_id: null, detail: null });
    db.prepare(`INSERT INTO audit_log (at, action, route, target_id, detail) VALUES ('2026-01-02T00:00:00.000Z', 'account_update', '/y', 's1', '{"role":{"from":"specialist","to":"lead"}}')`).run();
    expect(() => db.prepare(`INSERT INTO audit_log (at, action, route, detail) VALUES ('2026-01-02T00:00:00.000Z', 'a', '/y', 'not json')`).run()).toThrow(/CHECK/);
    expect(tables(db)).toContain('server_state');
    db.close();
  });

  it('step 9 lets login_attempts count wrong codes (scope code) and keeps the rows and their index', () => {
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    migrate(db, 8);
    db.prepare(`INSERT INTO login_attempts VALUES ('pair', 'a@softone.se', '10.0.0.1', 3, '2026-01-01T00:00:00.000Z', NULL)`).run();
    expect(() => db.prepare(`INSERT INTO login_attempts VALUES ('code', 's1', '', 1, '2026-01-01T00:00:00.000Z', NULL)`).run()).toThrow(/CHECK/);
    migrate(db, 9);
    expect(schemaVersion(db)).toBe(9);
    db.prepare(`INSERT INTO login_attempts VALUES ('code', 's1', '', 1, '2026-01-01T00:00:00.000Z', NULL)`).run();
    expect(db.prepare('SELECT scope, account, failures FROM login_attempts ORDER BY scope').all()).toEqual([
      { scope: 'code', account: 's1', failures: 1 },
      { scope: 'pair', account: 'a@softone.se', failures: 3 },
    ]);
    expect(() => db.prepare(`INSERT INTO login_attempts VALUES ('other', 'x', '', 1, '2026-01-01T00:00:00.000Z', NULL)`).run()).toThrow(/CHECK/);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'login_attempts' AND name NOT LIKE 'sqlite_%'`).pluck().all()).toEqual(['login_attempts_last_failure']);
    db.close();
  });
  it('step 10 records who marked a call done and when, unknown (null) for the calls before it', () => {
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    migrate(db, 9);
    db.prepare(
      `INSERT INTO calls (id, call_id, direction, from_raw, to_number, state, missed, done, started_at)
       VALUES ('k1', 'sw1', 'in', '0701234567', '+46812345000', 'ended', 1, 1, '2026-01-01T00:00:00.000Z')`,
    ).run();
    migrate(db, 10);
    expect(schemaVersion(db)).toBe(10);
    expect(db.prepare('SELECT done, done_by, done_at FROM calls').get()).toEqual({ done: 1, done_by: null, done_at: null });
    expect(() => db.prepare(`UPDATE calls SET done_by = 'nobody' WHERE id = 'k1'`).run()).toThrow(/FOREIGN KEY/);
    const indexes = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'calls'`).pluck().all();
    expect(indexes).toEqual(expect.arrayContaining(['calls_team_started', 'calls_open_missed']));
    db.close();
  });

  it('step 11 gives specialists an extension, unique among the active ones, keeping existing accounts', () => {
    const db = new Database(file);
    migrate(db, 9);
    const add = db.prepare(
      `INSERT INTO specialists (id, email, name, role, teams, office, language, active, password_hash, created_at)
       VALUES (?, ?, ?, 'specialist', '[1]', 'SE', 'sv', ?, 'h', '2026-01-01T00:00:00.000Z')`,
    );
    add.run('s1', 'a@softone.se', 'A', 1);
    add.run('s2', 'b@softone.se', 'B', 1);
    add.run('s3', 'c@softone.se', 'C', 0);
    migrate(db, 11);
    expect(schemaVersion(db)).toBe(11);
    expect(db.prepare('SELECT extension FROM specialists ORDER BY id').pluck().all()).toEqual([null, null, null]);
    const setExtension = db.prepare('UPDATE specialists SET extension = ? WHERE id = ?');
    setExtension.run('201', 's1');
    expect(() => setExtension.run('201', 's2')).toThrow(/UNIQUE/);
    // A disabled account keeps its old extension without blocking it for an active one.
    setExtension.run('201', 's3');
    expect(() => db.prepare(`UPDATE specialists SET active = 1 WHERE id = 's3'`).run()).toThrow(/UNIQUE/);
    db.close();
  });

  it('step 13 adds attachments: a row per file, its case required, found by event, hash and person', () => {
    const db = new Database(file);
    migrate(db, 13);
    expect(schemaVersion(db)).toBe(13);
    const add = db.prepare(
      `INSERT INTO attachments (id, sha256, size, content_type, name, case_id, event_id, mail_id, contact_id, uploaded_by, created_at)
       VALUES (?, ?, 1, 'text/plain', 'a.txt', ?, NULL, NULL, NULL, NULL, '2026-01-01T00:00:00.000Z')`,
    );
    expect(() => add.run('a1', 'f'.repeat(64), 'no-such-case')).toThrow(/FOREIGN KEY/);
    const indexes = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'attachments'`).pluck().all();
    expect(indexes).toEqual(expect.arrayContaining(['attachments_case', 'attachments_event', 'attachments_sha256', 'attachments_contact']));
    db.close();
  });
});
