/** The in-memory store: lookup by number, versions that only grow, and the outbox overlay. */
import { describe, expect, it } from 'vitest';
import type { Mutation } from '../../shared/index';
import type { OutboxEntry, OutboxState } from '../../renderer/src/cache/db';
import { chunkDelta, emptyDelta } from '../../renderer/src/cache/rows';
import { DeskStore } from '../../renderer/src/cache/store';
import { row } from './rows';

function entry(mutationId: number, body: Mutation, state: OutboxState = 'pending'): OutboxEntry {
  const caseId = 'caseId' in body.args ? body.args.caseId : body.name === 'createCase' ? body.args.id : null;
  return { mutationId, caseId, envelope: body, state, createdAt: '2026-03-10T10:00:00.000Z' };
}
const env = { clientId: 'desk-1' };

describe('DeskStore', () => {
  it('finds a case by number and ignores an older version', () => {
    const store = new DeskStore();
    const v2 = row({ id: 'a', number: 4711, version: 2, title: 'new title' });
    store.ingest({ ...emptyDelta(), rows: [v2] });
    store.ingest({ ...emptyDelta(), rows: [{ ...v2, version: 1, title: 'old title' }] });
    expect(store.byNumber(4711)?.title).toBe('new title');
    expect(store.byNumber(4712)).toBeUndefined();
  });

  it('shows pending edits on top of the server case, in order, and counts them', () => {
    const store = new DeskStore();
    store.ingest({ ...emptyDelta(), rows: [row({ id: 'a', number: 1, status: 'new', version: 3 })] });
    store.setOutbox([
      entry(1, { ...env, mutationId: 1, baseVersion: 3, name: 'transition', args: { caseId: 'a', to: 'line1' } }),
      entry(2, { ...env, mutationId: 2, baseVersion: 3, name: 'transition', args: { caseId: 'a', to: 'line2' } }),
      entry(3, { ...env, mutationId: 3, baseVersion: 3, name: 'assign', args: { caseId: 'a', assigneeId: 'me' } }),
    ]);
    const shown = store.get('a');
    expect(shown?.status).toBe('line2');
    expect(shown?.assigneeId).toBe('me');
    expect(shown?.pending).toBe(3);
    expect(store.serverRow('a')?.status).toBe('new');
  });

  it('reverts a rejected edit and marks a conflict without applying it', () => {
    const store = new DeskStore();
    store.ingest({ ...emptyDelta(), rows: [row({ id: 'a', number: 1, title: 'server', version: 3 })] });
    store.setOutbox([
      entry(1, { ...env, mutationId: 1, baseVersion: 3, name: 'editFields', args: { caseId: 'a', fields: { title: 'mine' } } }, 'conflict'),
      entry(2, { ...env, mutationId: 2, baseVersion: 3, name: 'logMinutes', args: { caseId: 'a', minutes: 15 } }, 'rejected'),
    ]);
    expect(store.get('a')).toMatchObject({ title: 'server', billableMinutes: 0, conflict: true, pending: 0 });
    store.setOutbox([]);
    expect(store.get('a')?.conflict).toBeUndefined();
  });

  it('shows a case created offline, findable by its leased number, until the server has it', () => {
    const store = new DeskStore();
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
    expect(store.byNumber(900_001)).toMatchObject({ id: 'new-1', status: 'new', team: 2, local: true, pending: 1 });
    // A level-1 bug starts its handling clock at once, offline too.
    expect(store.byNumber(900_001)?.deadlineAt).not.toBeNull();
    store.ingest({ ...emptyDelta(), rows: [row({ id: 'new-1', number: 900_001, team: 2, version: 1 })] });
    store.setOutbox([]);
    expect(store.byNumber(900_001)?.version).toBe(1);
    expect(store.byNumber(900_001)?.local).toBeUndefined();
  });

  it('indexes contacts by phone and by customer, dropping anonymised numbers', () => {
    const store = new DeskStore();
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
    expect(store.contactByPhone.get('+46701234567')?.name).toBe('Anna');
    expect(store.contactsByCustomer.get('c1')).toHaveLength(1);
    store.ingest({ ...emptyDelta(), contacts: [{ ...contact, name: 'Anonym', phone: null, anonymisedAt: '2026-03-01T00:00:00.000Z' }] });
    expect(store.contactByPhone.has('+46701234567')).toBe(false);
    expect(store.contactsByCustomer.get('c1')?.[0]?.name).toBe('Anonym');
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
