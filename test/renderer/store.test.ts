/** The in-memory store: lookup by number, versions that only grow, and the outbox overlay. */
import { describe, expect, it, vi } from 'vitest';
import type { Mutation } from '../../shared/index';
import type { OutboxEntry, OutboxState } from '../../renderer/src/model/edits';
import { chunkDelta, decodeDelta, emptyDelta, encodeDelta, type CaseRow } from '../../renderer/src/model/rows';
import { DeskStore } from '../../renderer/src/store/store';
import { COMPARATORS, DEFAULT_FILTERS, selectQueue, SORT_KEYS, type QueueQuery, type SortKey } from '../../renderer/src/model/queue';
import { row } from './rows';

function entry(mutationId: number, body: Mutation, state: OutboxState = 'pending'): OutboxEntry {
  const caseId = 'caseId' in body.args ? body.args.caseId : body.name === 'createCase' ? body.args.id : null;
  return { mutationId, caseId, envelope: body, state, createdAt: '2026-03-10T10:00:00.000Z' };
}
const env = { clientId: 'desk-1' };
/** The specialist signed in: the outbox's edits are theirs. */
const ME = { id: 'me', role: 'specialist' as const };

describe('DeskStore', () => {
  it('finds a case by number and ignores an older version', () => {
    const store = new DeskStore(ME);
    const v2 = row({ id: 'a', number: 4711, version: 2, title: 'new title' });
    store.ingest({ ...emptyDelta(), rows: [v2] });
    store.ingest({ ...emptyDelta(), rows: [{ ...v2, version: 1, title: 'old title' }] });
    expect(store.cases.byNumber(4711)?.title).toBe('new title');
    expect(store.cases.byNumber(4712)).toBeUndefined();
  });

  it('shows pending edits on top of the server case, in order, and counts them', () => {
    const store = new DeskStore(ME);
    store.ingest({ ...emptyDelta(), rows: [row({ id: 'a', number: 1, status: 'new', version: 3 })] });
    store.setOutbox([
      entry(1, { ...env, mutationId: 1, baseVersion: 3, name: 'transition', args: { caseId: 'a', to: 'line1' } }),
      entry(2, { ...env, mutationId: 2, baseVersion: 3, name: 'transition', args: { caseId: 'a', to: 'line2' } }),
      entry(3, { ...env, mutationId: 3, baseVersion: 3, name: 'assign', args: { caseId: 'a', assigneeId: 'me' } }),
    ]);
    const shown = store.cases.get('a');
    expect(shown?.status).toBe('line2');
    expect(shown?.assigneeId).toBe('me');
    expect(shown?.pending).toBe(3);
    expect(store.cases.serverRow('a')?.status).toBe('new');
  });

  it('reverts a rejected edit and marks a conflict without applying it', () => {
    const store = new DeskStore(ME);
    store.ingest({ ...emptyDelta(), rows: [row({ id: 'a', number: 1, title: 'server', version: 3 })] });
    store.setOutbox([
      entry(1, { ...env, mutationId: 1, baseVersion: 3, name: 'editFields', args: { caseId: 'a', fields: { title: 'mine' } } }, 'conflict'),
      entry(2, { ...env, mutationId: 2, baseVersion: 3, name: 'logMinutes', args: { caseId: 'a', minutes: 15 } }, 'rejected'),
    ]);
    expect(store.cases.get('a')).toMatchObject({ title: 'server', billableMinutes: 0, conflict: true, pending: 0 });
    store.setOutbox([]);
    expect(store.cases.get('a')?.conflict).toBeUndefined();
  });

  it('shows a case created offline, findable by its leased number, until the server has it', () => {
    const store = new DeskStore(ME);
    const create = entry(1, {
      ...env,
      mutationId: 1,
      name: 'createCase',
      args: {
        id: 'new-1',
        number: 900_001,
        customerId: 'cust-1',
        contactId: null,
        product: 'go',
        module: 'payroll',
        category: 'bug',
        serviceLevel: 1,
        team: 2,
        title: 'Lönekörningen stannar',
        description: '',
        channel: 'phone',
      },
    });
    store.setOutbox([create]);
    expect(store.cases.byNumber(900_001)).toMatchObject({ id: 'new-1', status: 'new', team: 2, local: true, pending: 1 });
    // A level-1 bug starts its handling clock at once, offline too.
    expect(store.cases.byNumber(900_001)?.deadlineAt).not.toBeNull();
    store.ingest({ ...emptyDelta(), rows: [row({ id: 'new-1', number: 900_001, team: 2, version: 1 })] });
    store.setOutbox([]);
    expect(store.cases.byNumber(900_001)?.version).toBe(1);
    expect(store.cases.byNumber(900_001)?.local).toBeUndefined();
  });

  it('indexes contacts by phone and by customer, dropping anonymised numbers', () => {
    const store = new DeskStore(ME);
    const contact = {
      id: 'p1',
      customerId: 'c1',
      name: 'Anna',
      email: null,
      phone: '+46701234567',
      superUser: true,
      superUserSince: null,
      trainedModules: [],
      anonymisedAt: null,
    };
    store.ingest({ ...emptyDelta(), contacts: [contact] });
    expect(store.directory.contactByPhone.get('+46701234567')?.name).toBe('Anna');
    expect(store.directory.contactsByCustomer.get('c1')).toHaveLength(1);
    store.ingest({ ...emptyDelta(), contacts: [{ ...contact, name: 'Anonym', phone: null, anonymisedAt: '2026-03-01T00:00:00.000Z' }] });
    expect(store.directory.contactByPhone.has('+46701234567')).toBe(false);
    expect(store.directory.contactsByCustomer.get('c1')?.[0]?.name).toBe('Anonym');
  });
});

describe('chunkDelta', () => {
  it('cuts rows and reference data into pieces that together are the whole', () => {
    const rows = Array.from({ length: 7 }, () => row());
    const customers = Array.from({ length: 3 }, (_, i) => ({ id: `c${i}` })) as never[];
    const delta = { ...emptyDelta(), rows, customers, eventCaseIds: ['x'] };
    const chunks = chunkDelta(delta, 4);
    expect(chunks.map((c) => c.customers.length + c.rows.length)).toEqual([4, 4, 2]);
    expect(chunks.flatMap((c) => c.customers)).toEqual(customers);
    expect(chunks.flatMap((c) => c.rows)).toEqual(rows);
    expect(chunks.flatMap((c) => c.eventCaseIds)).toEqual(['x']);
    expect(chunkDelta(delta, 100)).toEqual([delta]);
  });
});

describe('DeskStore.ingestSoon (a bootstrap)', () => {
  it('applies a big delta in slices, in later tasks, and before anything ingested after it', async () => {
    const store = new DeskStore(ME);
    const rows = Array.from({ length: 1_200 }, (_, i) => row({ number: 300_000 + i }));
    const customer = { id: 'cust-1', name: 'Gammalt namn', country: 'SE' } as never;
    store.ingestSoon({ ...emptyDelta(), rows, customers: [customer] });
    expect(store.cases.size).toBe(0);
    // Its own task (a message), which a timer may come before on a busy machine: wait for it.
    await vi.waitFor(() => expect(store.cases.size).toBeGreaterThan(0));
    // A later delta (a pull) goes after everything queued: the newer customer stays.
    store.ingest({ ...emptyDelta(), customers: [{ ...(customer as object), name: 'Nytt namn' } as never] });
    expect(store.cases.size).toBe(1_200);
    expect(store.directory.customers.get('cust-1')?.name).toBe('Nytt namn');
    expect(store.queue.openCounts[1]).toBe(1_200);
  });
});

describe('DeskStore.ingestSoon with much reference data', () => {
  const contact = (i: number) => ({ id: `p${i}`, customerId: `c${i % 7}`, phone: `+46 70 000 ${String(i).padStart(4, '0')}`, anonymisedAt: null }) as never;

  it('applies thousands of contacts in later tasks, and a later delta still wins', async () => {
    const store = new DeskStore(ME);
    const contacts = Array.from({ length: 3_000 }, (_, i) => contact(i));
    store.ingestSoon({ ...emptyDelta(), contacts, rows: [row({ number: 9_000, contactId: 'p2999' })] });
    expect(store.directory.contacts.size).toBe(0);
    const drained = store.drained();
    store.ingestSoon({ ...emptyDelta(), contacts: [{ ...(contacts[5] as unknown as object), phone: '+46 70 999 9999' } as never] });
    await drained;
    expect(store.directory.contacts.size).toBe(3_000);
    expect(store.directory.contactByPhone.get('+46 70 999 9999')?.id).toBe('p5');
    expect(store.directory.contactsByCustomer.get('c0')?.length).toBe(Math.ceil(3_000 / 7));
    expect(store.cases.byNumber(9_000)?.contactId).toBe('p2999');
  });
});

describe('DeskStore.drained (the end of a bootstrap)', () => {
  it('resolves once every queued row is applied, slice by slice in later tasks', async () => {
    const store = new DeskStore(ME);
    const rows = Array.from({ length: 3_000 }, (_, i) => row({ number: 400_000 + i }));
    store.ingestSoon({ ...emptyDelta(), rows: rows.slice(0, 1_500) });
    store.ingestSoon({ ...emptyDelta(), rows: rows.slice(1_500) });
    const drained = store.drained();
    // Nothing is applied in the calling task.
    expect(store.cases.size).toBe(0);
    await drained;
    expect(store.cases.size).toBe(3_000);
    expect(store.cases.byNumber(402_999)?.id).toBe(rows[2_999]!.id);
    expect(store.queue.openCounts[1]).toBe(3_000);
    // Nothing queued: at once.
    await expect(store.drained()).resolves.toBeUndefined();
  });
});

describe('a cold start (DeskStore.load)', () => {
  const rows = Array.from({ length: 30 }, (_, i) => row({ number: 7000 + i, deadlineAt: (i * 7) % 5, registeredAt: (i * 3) % 4, status: i % 4 ? 'new' : 'closed' }));
  const query: QueueQuery = { teams: [1, 2], view: 'all', filters: { ...DEFAULT_FILTERS, status: 'all' }, sort: { key: 'urgency', dir: 'asc' } };
  const positions = (list: CaseRow[]) => Object.fromEntries(SORT_KEYS.map((k) => [k, Uint32Array.from(list.map((_, i) => i).sort((a, b) => COMPARATORS[k](list[a]!, list[b]!)))])) as Record<SortKey, Uint32Array>;

  it('takes the stored orders instead of sorting, and merges what came after them', () => {
    const store = new DeskStore(ME);
    const newer = { ...rows[2]!, version: 2, deadlineAt: 99 };
    store.setOutbox([entry(1, { ...env, mutationId: 1, baseVersion: 1, name: 'transition', args: { caseId: rows[5]!.id, to: 'line1' } })]);
    store.load(
      [
        { ...emptyDelta(), rows: rows.slice(0, 20), chunk: 1 },
        { ...emptyDelta(), rows: rows.slice(20), chunk: 2 },
        { ...emptyDelta(), rows: [newer], chunk: 3 },
      ],
      { through: 2, positions: positions(rows) },
    );
    const shown = rows.map((r) => (r.id === newer.id ? newer : (store.cases.get(r.id) ?? r)));
    expect(store.cases.get(rows[5]!.id)?.status).toBe('line1');
    expect(store.queue.select(query, { meId: 'me', now: 0 }).map((r) => r.id)).toEqual(selectQueue(shown, query, { meId: 'me', now: 0 }).map((r) => r.id));
    expect(store.cases.size).toBe(30);
  });

  it('sorts when there are no stored orders', () => {
    const store = new DeskStore(ME);
    store.load([{ ...emptyDelta(), rows, chunk: 1 }]);
    expect(store.queue.select(query, { meId: 'me', now: 0 })).toEqual(selectQueue(rows, query, { meId: 'me', now: 0 }));
  });
});

describe('delta texts', () => {
  it('give back the same delta, every field, and are far shorter than the rows as JSON', () => {
    const registered = Date.UTC(2026, 2, 2, 8, 0);
    const rows = [
      row({ slice: 12, deadlineAt: registered - 5, registeredAt: registered, updatedAt: registered + 9 }),
      row({ contactId: 'p1', assigneeId: 'me', serviceLevel: 2, billingInformed: true, billableMinutes: 45, handlingStartedAt: registered + 1, resolvedAt: registered + 2, status: 'closed', team: 2, office: 'FI' }),
      ...Array.from({ length: 20 }, (_, i) => row({ assigneeId: i % 2 ? 'demo-specialist-01' : null, module: i % 3 ? 'orders' : 'finance', channel: 'email' })),
    ];
    const delta = { ...emptyDelta(), rows, customers: [{ id: 'cust-1', name: 'Bygg AB', country: 'FI' } as never], eventCaseIds: ['x'], eventSlice: 3, chunk: 2 };
    const text = encodeDelta(delta);
    expect(decodeDelta(text)).toEqual(delta);
    expect(text.length).toBeLessThan(JSON.stringify(delta).length * 0.5);
  });

  it('read the first format (rows as tuples) that older caches still hold', () => {
    const stored = row({ contactId: 'p1', assigneeId: 'me', serviceLevel: 3, deadlineAt: 77, slice: 4, billingInformed: true });
    const tuple = [stored.id, stored.number, stored.customerId, stored.contactId, stored.product, stored.module, stored.category, stored.serviceLevel, stored.status, stored.team, stored.assigneeId, stored.title, stored.channel, stored.billableMinutes, stored.billingInformed, stored.registeredAt, stored.handlingStartedAt, stored.resolvedAt, stored.updatedAt, stored.version, stored.office, stored.deadlineAt, stored.slice];
    const old = JSON.stringify({ ...emptyDelta(), rows: [tuple], eventCaseIds: ['y'], eventSlice: 9, chunk: 7 });
    expect(decodeDelta(old)).toEqual({ ...emptyDelta(), rows: [stored], eventCaseIds: ['y'], eventSlice: 9, chunk: 7 });
  });
});
