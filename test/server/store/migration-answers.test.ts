import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../server/store/migrations';

describe('store: migration 14 (answers)', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'desk-answers-'));
    file = join(dir, 'desk.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('adds templates (a team\'s or one owner\'s, never both) and articles to a database with accounts', () => {
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    migrate(db, 11);
    db.prepare(
      `INSERT INTO specialists (id, email, name, role, teams, office, language, active, password_hash, created_at)
       VALUES ('s1', 'a@softone.se', 'A', 'lead', '[1]', 'SE', 'sv', 1, 'h', '2026-01-01T00:00:00.000Z')`,
    ).run();
    migrate(db, 14);
    expect(schemaVersion(db)).toBe(14);
    const add = db.prepare(
      `INSERT INTO reply_templates (id, language, team, owner_id, title, body, updated_at, updated_by) VALUES (?, 'sv', ?, ?, 't', 'b', '2026-01-01T00:00:00.000Z', 's1')`,
    );
    add.run('team', 1, null);
    add.run('mine', null, 's1');
    expect(() => add.run('both', 1, 's1')).toThrow(/CHECK/);
    expect(() => add.run('neither', null, null)).toThrow(/CHECK/);
    expect(() => add.run('stranger', null, 'nobody')).toThrow(/FOREIGN KEY/);
    expect(() => add.run('team3', 3, null)).toThrow(/CHECK/);
    db.prepare(
      `INSERT INTO kb_articles (id, language, module, title, body, public, updated_at, updated_by) VALUES ('a', 'fi', 'payroll', 't', 'b', 1, '2026-01-01T00:00:00.000Z', 's1')`,
    ).run();
    expect(db.prepare('SELECT count(*) FROM kb_articles WHERE deleted_at IS NULL').pluck().get()).toBe(1);
    db.close();
  });
});
