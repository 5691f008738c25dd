import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../../server/demo/seed';
import { backupDataDir, pruneBackups } from '../../../server/store/backup';
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
