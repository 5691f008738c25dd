/**
 * Answers in the cache (Dexie version 5): a page's templates and articles are written to their own
 * tables and read back at a start; a deletion's tombstone hides one; a save still in the outbox
 * shows at once; an older cache opens with the new tables and keeps its outbox.
 */
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { Article, Template } from '../../shared/index';
import { prepareChunk, sentParts, writeChunk, type PageData } from '../../renderer/src/cache/chunks';
import { readStoredCache } from '../../renderer/src/cache/storedCache';
import { DeskDb } from '../../renderer/src/cache/db';
import { decodeDelta } from '../../renderer/src/model/rows';
import type { OutboxEntry } from '../../renderer/src/model/edits';
import { DeskStore } from '../../renderer/src/store/store';

const ME = { id: 'me', role: 'specialist' as const };
const AT = '2026-03-02T08:00:00.000Z';
const template = (id: string, over: Partial<Template> = {}): Template => ({
  id,
  language: 'sv',
  scope: { kind: 'team', team: 1 },
  title: `Mall ${id}`,
  body: 'Hej {contact.firstName}',
  updatedAt: AT,
  updatedBy: 'lead',
  deletedAt: null,
  ...over,
});
const article = (id: string, over: Partial<Article> = {}): Article => ({
  id,
  language: 'fi',
  module: 'payroll',
  title: `Artikkeli ${id}`,
  body: 'Teksti',
  public: true,
  updatedAt: AT,
  updatedBy: 'lead',
  deletedAt: null,
  ...over,
});
const page = (extra: Partial<PageData>): PageData => ({ cases: [], customers: [], contacts: [], specialists: [], grants: [], events: [], ...extra });

let counter = 0;
const open: Dexie[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

async function write(db: DeskDb, data: PageData): Promise<string[]> {
  const prepared = await prepareChunk(db, data, () => 'SE');
  await db.transaction('rw', [db.rowChunks, db.caseSlices, db.calls, db.templates, db.articles, db.events], () => writeChunk(db, prepared));
  return sentParts(prepared);
}

describe('answers in the cache', () => {
  it('stores a page\'s templates and articles, sends them to the UI and reads them back at a start', async () => {
    const db = new DeskDb(`answers-cache-${process.pid}-${++counter}`);
    open.push(db);
    await db.open();
    const parts = await write(db, page({ templates: [template('t1'), template('t2')], articles: [article('a1')] }));
    // The UI thread is sent them too (the last part).
    const sent = decodeDelta(parts[parts.length - 1]!);
    expect(sent.templates?.map((t) => t.id)).toEqual(['t1', 't2']);
    // A later pull: t2 deleted (a tombstone), a1 changed.
    await write(db, page({ templates: [template('t2', { deletedAt: '2026-03-03T08:00:00.000Z', updatedAt: '2026-03-03T08:00:00.000Z' })], articles: [article('a1', { title: 'Uusi', updatedAt: '2026-03-03T08:00:00.000Z' })] }));
    const { deltas } = await readStoredCache(db);
    const store = new DeskStore(ME);
    store.load(deltas);
    expect(store.answers.templates().map((t) => t.id)).toEqual(['t1']);
    expect(store.answers.articles().map((a) => a.title)).toEqual(['Uusi']);
  });

  it('shows my saves and deletions still in the outbox at once', () => {
    const store = new DeskStore(ME);
    store.ingest({ rows: [], customers: [], contacts: [], specialists: [], grants: [], eventCaseIds: [], eventSlice: null, chunk: null, templates: [template('t1')], articles: [article('a1')] });
    const entry = (mutationId: number, envelope: object): OutboxEntry =>
      ({ mutationId, caseId: null, state: 'pending', createdAt: AT, envelope: { clientId: 'c', mutationId, occurredAt: AT, ...envelope } }) as unknown as OutboxEntry;
    store.setOutbox([
      entry(1, { name: 'saveTemplate', args: { id: 'mine', language: 'fi', scope: { kind: 'personal', ownerId: 'me' }, title: 'Oma', body: 'Hei' } }),
      entry(2, { name: 'deleteArticle', args: { id: 'a1' } }),
    ]);
    expect(store.answers.templates().map((t) => t.id).sort()).toEqual(['mine', 't1']);
    expect(store.answers.isPending('mine')).toBe(true);
    expect(store.answers.articles()).toEqual([]);
  });

  it('opens a cache of version 3 with the answers\' tables, keeping its outbox and client id', async () => {
    const name = `answers-upgrade-${process.pid}-${++counter}`;
    const old = new Dexie(name);
    old.version(1).stores({ cases: 'id, &number, [team+status], customerId, updatedAt', customers: 'id', contacts: 'id, phone, customerId', specialists: 'id', grants: 'id, customerId', events: 'id, caseId', outbox: 'mutationId, state, caseId', meta: 'key' });
    old.version(2).stores({ cases: 'id', customers: null, contacts: null, specialists: null, grants: null, rowChunks: 'id', caseSlices: 'id' });
    old.version(3).stores({ calls: 'id, startedAt' });
    await old.open();
    await old.table('outbox').put({ mutationId: 7, state: 'pending', caseId: null });
    await old.table('meta').bulkPut([
      { key: 'clientId', value: 'client-1' },
      { key: 'cursor', value: 99 },
      { key: 'bootstrapDone', value: true },
    ]);
    old.close();
    const db = new DeskDb(name);
    open.push(db);
    await db.open();
    expect(await db.templates.count()).toBe(0);
    expect(await db.articles.count()).toBe(0);
    expect(await db.outbox.count()).toBe(1);
    expect(await db.getMeta('clientId')).toBe('client-1');
    // Synced again from scratch, so the answers arrive with the bootstrap.
    expect(await db.getMeta('bootstrapDone')).toBeUndefined();
    expect(await db.getMeta('cursor')).toBeUndefined();
  });
});
