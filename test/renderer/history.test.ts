/** A customer's history in the store: the index by customer and by contact, and its order. */
import { describe, expect, it } from 'vitest';
import type { Mutation } from '../../shared/index';
import type { OutboxEntry } from '../../renderer/src/model/edits';
import { emptyDelta, type CaseRow } from '../../renderer/src/model/rows';
import { COMPARATORS, SORT_KEYS, type SortKey } from '../../renderer/src/model/queue';
import { DeskStore } from '../../renderer/src/store/store';
import { row } from './rows';

const ME = { id: 'me', role: 'specialist' as const };
const day = (d: number): number => Date.UTC(2026, 0, d, 9, 0);

function entry(mutationId: number, body: Mutation): OutboxEntry {
  const caseId = 'caseId' in body.args ? body.args.caseId : body.name === 'createCase' ? body.args.id : null;
  return { mutationId, caseId, envelope: body, state: 'pending', createdAt: '2026-03-10T10:00:00.000Z' };
}

describe('customer history (DeskStore.cases.history)', () => {
  it("lists every case of the customer and of the contact, open and closed, newest first, and nobody else's", () => {
    const store = new DeskStore(ME);
    const rows = [
      row({ id: 'old-closed', customerId: 'acme', contactId: 'anna', status: 'closed', registeredAt: day(1) }),
      row({ id: 'newest', customerId: 'acme', contactId: 'bo', status: 'new', registeredAt: day(9) }),
      row({ id: 'middle', customerId: 'acme', contactId: null, status: 'line2', registeredAt: day(5) }),
      // Anna called for another customer once: her case is in her history too.
      row({ id: 'anna-elsewhere', customerId: 'other', contactId: 'anna', status: 'closed', registeredAt: day(3) }),
      row({ id: 'stranger', customerId: 'other', contactId: 'carl', registeredAt: day(8) }),
    ];
    store.ingest({ ...emptyDelta(), rows });
    const ids = (customerId: string | null, contactId: string | null) => store.cases.history({ customerId, contactId }).map((r) => r.id);
    expect(ids('acme', 'anna')).toEqual(['newest', 'middle', 'anna-elsewhere', 'old-closed']);
    expect(ids('acme', null)).toEqual(['newest', 'middle', 'old-closed']);
    expect(ids(null, 'anna')).toEqual(['anna-elsewhere', 'old-closed']);
    expect(ids('nobody', null)).toEqual([]);
  });

  it('orders cases registered at the same time by number, newest first', () => {
    const store = new DeskStore(ME);
    store.ingest({ ...emptyDelta(), rows: [row({ id: 'a', number: 10, registeredAt: day(2) }), row({ id: 'b', number: 12, registeredAt: day(2) }), row({ id: 'c', number: 11, registeredAt: day(2) })] });
    expect(store.cases.history({ customerId: 'cust-1', contactId: null }).map((r) => r.number)).toEqual([12, 11, 10]);
  });

  it('follows a case moved to another contact or customer, and shows the newest version', () => {
    const store = new DeskStore(ME);
    const base = row({ id: 'moved', customerId: 'acme', contactId: 'anna', version: 1, title: 'before' });
    store.ingest({ ...emptyDelta(), rows: [base] });
    store.ingest({ ...emptyDelta(), rows: [{ ...base, version: 2, customerId: 'other', contactId: 'bo', title: 'after' }] });
    expect(store.cases.history({ customerId: 'acme', contactId: 'anna' })).toEqual([]);
    expect(store.cases.history({ customerId: 'other', contactId: null }).map((r) => r.title)).toEqual(['after']);
    expect(store.cases.history({ customerId: null, contactId: 'bo' }).map((r) => r.id)).toEqual(['moved']);
  });

  it('includes a case registered on this desk and not yet on the server, and an edit on its way', () => {
    const store = new DeskStore(ME);
    store.ingest({ ...emptyDelta(), rows: [row({ id: 'server', customerId: 'acme', contactId: 'anna', registeredAt: day(1), status: 'new', version: 1 })] });
    const env = { clientId: 'desk-1' };
    store.setOutbox([
      entry(1, {
        ...env,
        mutationId: 1,
        name: 'createCase',
        args: { id: 'local', number: 900_001, customerId: 'acme', contactId: 'anna', product: 'go', module: 'payroll', category: 'support', serviceLevel: null, team: 1, title: 'Ny', description: '', channel: 'phone' },
      }),
      entry(2, { ...env, mutationId: 2, baseVersion: 1, name: 'transition', args: { caseId: 'server', to: 'line1' } }),
    ]);
    const history = store.cases.history({ customerId: 'acme', contactId: 'anna' });
    expect(history.map((r) => r.id)).toEqual(['local', 'server']);
    expect(history[0]?.local).toBe(true);
    expect(history[1]?.status).toBe('line1');
  });

  it('answers right after a cold start, before the rows are filed after the first paint', () => {
    const rows = Array.from({ length: 40 }, (_, i) => row({ number: 5000 + i, customerId: i % 4 === 0 ? 'acme' : 'other', registeredAt: day(1) + i * 60_000 }));
    const positions = Object.fromEntries(SORT_KEYS.map((k) => [k, Uint32Array.from(rows.map((_, i) => i).sort((a, b) => COMPARATORS[k](rows[a] as CaseRow, rows[b] as CaseRow)))])) as Record<SortKey, Uint32Array>;
    const store = new DeskStore(ME);
    store.load([{ ...emptyDelta(), rows, chunk: 1 }], { through: 1, positions });
    const history = store.cases.history({ customerId: 'acme', contactId: null });
    expect(history.map((r) => r.number)).toEqual(rows.filter((r) => r.customerId === 'acme').map((r) => r.number).reverse());
  });

  it('is read from the index, not by going through every case', () => {
    const store = new DeskStore(ME);
    const rows = Array.from({ length: 2_000 }, (_, i) => row({ customerId: `customer-${i % 500}`, contactId: `contact-${i % 700}` }));
    store.ingest({ ...emptyDelta(), rows });
    // A scan would read every row through `get`; the index reads the candidates only.
    let reads = 0;
    const get = store.cases.get.bind(store.cases);
    store.cases.get = (id: string) => {
      reads++;
      return get(id);
    };
    const history = store.cases.history({ customerId: 'customer-7', contactId: 'contact-7' });
    expect(history.length).toBe(rows.filter((r) => r.customerId === 'customer-7' || r.contactId === 'contact-7').length);
    expect(reads).toBeLessThanOrEqual(history.length);
  });
});
