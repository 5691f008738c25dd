import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../../server/demo/seed';
import type { Contact } from '../../../shared/contract';
import { AnonymisationList, KEY_FILE, LIST_FILE } from '../../../server/store/anonymisation-list';
import { backupDataDir, pruneBackups, restoreDataDir } from '../../../server/store/backup';
import { dataFile, openStore } from '../../../server/store/store';

describe('store: backup retention (DESK_BACKUP_KEEP)', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'desk-backup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the newest generated backups of the folder and deletes the older ones, nothing else', () => {
    const folder = join(dir, 'backups');
    mkdirSync(folder);
    const names = ['2026-01-03T07-00-00-000Z', '2026-01-01T07-00-00-000Z', '2026-01-02T07-00-00-000Z', '2026-01-04T07-00-00-000Z'].map((t) => `desk-${t}.sqlite`);
    for (const name of [...names, 'desk-manual.sqlite', 'notes.txt', 'desk-2026-01-01T07-00-00-000Z.sqlite.partial-1']) writeFileSync(join(folder, name), '');
    const pruned = pruneBackups(folder, 2);
    expect(pruned.map((f) => f.slice(folder.length + 1))).toEqual(['desk-2026-01-01T07-00-00-000Z.sqlite', 'desk-2026-01-02T07-00-00-000Z.sqlite']);
    expect(readdirSync(folder).sort()).toEqual(
      ['desk-2026-01-01T07-00-00-000Z.sqlite.partial-1', 'desk-2026-01-03T07-00-00-000Z.sqlite', 'desk-2026-01-04T07-00-00-000Z.sqlite', 'desk-manual.sqlite', 'notes.txt'].sort(),
    );
    expect(() => pruneBackups(folder, 0)).toThrow(/at least 1/);
  });

  it('deletes the oldest backups beyond the count after each new backup', async () => {
    const store = openStore(dataFile(dir));
    await seedDemoData(store, { cases: 0 });
    store.close();
    const written: string[] = [];
    for (let day = 1; day <= 4; day++) {
      const result = await backupDataDir(dir, undefined, new Date(Date.UTC(2026, 0, day, 7)), 2);
      written.push(result.file);
      expect(result.pruned).toEqual(day > 2 ? [written[day - 3]] : []);
    }
    expect(readdirSync(join(dir, 'backups')).sort()).toEqual(['desk-2026-01-03T07-00-00-000Z.sqlite', 'desk-2026-01-04T07-00-00-000Z.sqlite']);
    // A backup to a named file prunes nothing.
    expect((await backupDataDir(dir, join(dir, 'extra.sqlite'), new Date(), 1)).pruned).toEqual([]);
  });
});

describe('store: restores and the anonymisation list', () => {
  let dir: string;
  let live: string;
  let person: Contact;
  let backup: string;

  /** The person as the database file holds them. */
  const personIn = (file: string): Contact | null => {
    const store = openStore(file);
    try {
      return store.contacts.get(person.id);
    } finally {
      store.close();
    }
  };
  const copiesIn = (folder: string): string[] => readdirSync(folder).filter((n) => /\.before-restore-[\dTZ-]+$/.test(n)).sort();

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'desk-restore-'));
    live = join(dir, 'live');
    mkdirSync(live);
    const store = openStore(dataFile(live));
    await seedDemoData(store, { cases: 10 });
    const id = store.db.prepare<[], string>('SELECT id FROM contacts WHERE phone IS NOT NULL ORDER BY id LIMIT 1').pluck().get() ?? '';
    person = store.contacts.get(id) as Contact;
    store.close();
    backup = (await backupDataDir(live, undefined, new Date('2026-01-01T07:00:00.000Z'), 14)).file;
    // Listed, and (a crash before the database changed) still in the live database.
    new AnonymisationList(live).append(person, '2026-01-02T10:00:00.000Z');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('applies the list to the database it keeps aside, and keeps only DESK_BACKUP_KEEP such copies', async () => {
    const restores = ['2026-01-03T07:00:00.000Z', '2026-01-04T07:00:00.000Z', '2026-01-05T07:00:00.000Z'];
    const previous: string[] = [];
    for (const at of restores) {
      const restored = await restoreDataDir(backup, live, new Date(at), { keep: 2 });
      expect(personIn(restored.file)?.anonymisedAt).toBe('2026-01-02T10:00:00.000Z');
      // The first one is the live database, which still held the person.
      expect(personIn(restored.previous ?? '')?.anonymisedAt).toBe('2026-01-02T10:00:00.000Z');
      previous.push(restored.previous ?? '');
    }
    expect(copiesIn(live)).toEqual(previous.slice(1).map((f) => f.slice(live.length + 1)));
  });

  it('lets the kept-aside databases age out with the backups', async () => {
    await restoreDataDir(backup, live, new Date('2026-01-03T07:00:00.000Z'), { keep: 2 });
    expect(copiesIn(live)).toHaveLength(1);
    // Two newer backups fill the window of 2: the copy from before them goes.
    await backupDataDir(live, undefined, new Date('2026-01-04T07:00:00.000Z'), 2);
    expect(copiesIn(live)).toHaveLength(1);
    const last = await backupDataDir(live, undefined, new Date('2026-01-05T07:00:00.000Z'), 2);
    expect(copiesIn(live)).toEqual([]);
    expect(last.pruned.some((f) => f.includes('before-restore'))).toBe(true);
  });

  it('refuses to restore into a new folder without the list, and brings it along when asked', async () => {
    const check = join(dir, 'check');
    await expect(restoreDataDir(backup, check)).rejects.toThrow(/no anonymisation list.*--list-from/);
    expect(existsSync(dataFile(check))).toBe(false);
    const restored = await restoreDataDir(backup, check, new Date(), { listFrom: live });
    expect(personIn(restored.file)).toMatchObject({ anonymisedAt: '2026-01-02T10:00:00.000Z', phone: null });
    expect(readdirSync(check)).toEqual(expect.arrayContaining([LIST_FILE, KEY_FILE]));
    // Told the list is lost, the restore goes ahead.
    const lost = await restoreDataDir(backup, join(dir, 'lost'), new Date(), { withoutList: true });
    expect(personIn(lost.file)?.anonymisedAt).toBeNull();
    await expect(restoreDataDir(backup, join(dir, 'other'), new Date(), { listFrom: join(dir, 'nowhere') })).rejects.toThrow(/not a Desk data folder/);
  });
});

