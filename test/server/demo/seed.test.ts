import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLOWS, CATEGORY_IDS } from '../../../shared/categories';
import type { Case, Contact, Customer } from '../../../shared/contract';
import { normalizePhone, officeOfPhone } from '../../../shared/numbers';
import { slaState } from '../../../shared/sla';
import { INDUSTRY_IDS } from '../../../shared/teams';
import { seedDemoData } from '../../../server/demo/seed';
import { DESCRIPTIONS } from '../../../server/demo/vocabulary';
import { dataFile, openStore, type Store } from '../../../server/store/store';

const NOW = new Date('2026-03-11T10:00:00.000Z');
const DATA_TABLES = ['customers', 'contacts', 'cases', 'case_events', 'access_grants', 'calls'];

const dump = (store: Store): Record<string, unknown[]> =>
  Object.fromEntries(DATA_TABLES.map((t) => [t, store.db.prepare(`SELECT * FROM ${t} ORDER BY id`).all()]));

describe('demo data', () => {
  const dirs: string[] = [];
  const seeded = async (cases: number, seed: number): Promise<Store> => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-seed-'));
    dirs.push(dir);
    const store = openStore(dataFile(dir));
    await seedDemoData(store, { cases, seed, now: NOW });
    return store;
  };
  let store: Store;
  let customers: Customer[];
  let contacts: Contact[];
  let cases: Case[];

  beforeAll(async () => {
    store = await seeded(3000, 7);
    customers = store.db.prepare('SELECT id FROM customers').pluck().all().map((id) => store.customers.get(id as string) as Customer);
    contacts = customers.flatMap((c) => store.contacts.ofCustomerList(c.id));
    cases = store.db.prepare('SELECT number FROM cases ORDER BY number').pluck().all().map((n) => store.cases.getByNumber(n as number) as Case);
  });
  afterAll(() => {
    store.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('is deterministic: the same seed gives the same rows, another seed other rows', async () => {
    const [a, b, c] = [await seeded(400, 42), await seeded(400, 42), await seeded(400, 43)];
    expect(dump(a)).toEqual(dump(b));
    expect(dump(a).cases).not.toEqual(dump(c).cases);
    for (const s of [a, b, c]) s.close();
  });

  it('refuses to seed a store that already holds data', async () => {
    await expect(seedDemoData(store, { cases: 1, now: NOW })).rejects.toThrow(/empty store/);
  });

  it('has Swedish and Finnish customers of every industry, one per ~20 cases', () => {
    for (const country of ['SE', 'FI'] as const) {
      const industries = new Set(customers.filter((c) => c.country === country).map((c) => c.industry));
      expect([...industries].sort()).toEqual([...INDUSTRY_IDS].sort());
    }
    expect(customers.length).toBe(150);
    expect(new Set(customers.map((c) => c.name)).size).toBe(customers.length);
    expect(customers.filter((c) => c.country === 'SE').every((c) => /^\d{6}-\d{4}$/.test(c.orgNumber) && /( AB|förening)$/.test(c.name))).toBe(true);
    expect(customers.filter((c) => c.country === 'FI').every((c) => /^\d{7}-\d$/.test(c.orgNumber) && / (Oy|ry)$/.test(c.name))).toBe(true);
    const overdue = customers.filter((c) => c.paymentStatus === 'overdue').length;
    expect(overdue).toBeGreaterThan(0);
    expect(overdue / customers.length).toBeLessThan(0.1);
  });

  it('gives every customer 2–4 SuperUsers within the licence, with valid mobile numbers and trained modules', () => {
    for (const customer of customers) {
      const own = contacts.filter((c) => c.customerId === customer.id);
      const superUsers = own.filter((c) => c.superUser);
      expect(customer.superUserQuota).toBeGreaterThanOrEqual(2);
      expect(customer.superUserQuota).toBeLessThanOrEqual(4);
      // The quota, or one over it for the few customers who named too many.
      expect(superUsers.length - customer.superUserQuota).toBeGreaterThanOrEqual(0);
      expect(superUsers.length - customer.superUserQuota).toBeLessThanOrEqual(1);
      for (const contact of superUsers) {
        expect(contact.trainedModules.length).toBeGreaterThan(0);
        expect(contact.trainedModules.every((m) => customer.licensedModules.includes(m))).toBe(true);
      }
      for (const contact of own) {
        expect(normalizePhone(contact.phone ?? '', customer.country)).toBe(contact.phone);
        expect(officeOfPhone(contact.phone ?? '')).toBe(customer.country);
      }
    }
    expect(customers.some((c) => contacts.filter((k) => k.customerId === c.id && k.superUser).length > c.superUserQuota)).toBe(true);
    expect(contacts.some((c) => !c.superUser)).toBe(true);
    expect(new Set(contacts.map((c) => c.phone)).size).toBe(contacts.length);
  });

  it('has cases of every category, status and level, numbered in registration order from 100001', () => {
    expect(cases.map((c) => c.number)).toEqual(cases.map((_, i) => 100001 + i));
    for (let i = 1; i < cases.length; i++) expect((cases[i]?.registeredAt ?? '') >= (cases[i - 1]?.registeredAt ?? '')).toBe(true);
    for (const category of CATEGORY_IDS) {
      const statuses = new Set(cases.filter((c) => c.category === category).map((c) => c.status));
      expect([...statuses].sort()).toEqual([...FLOWS[category]].sort());
    }
    expect(new Set(cases.map((c) => c.serviceLevel))).toEqual(new Set([null, 1, 2, 3, 4, 5]));
    expect(cases.every((c) => c.category === 'bug' || c.serviceLevel === null)).toBe(true);
    const openShare = cases.filter((c) => c.status !== 'closed').length / cases.length;
    expect(openShare).toBeGreaterThan(0.25);
    expect(openShare).toBeLessThan(0.35);
  });

  it('keeps every case consistent: times, contacts, language, billing', () => {
    const byId = new Map(customers.map((c) => [c.id, c]));
    const contactById = new Map(contacts.map((c) => [c.id, c]));
    for (const c of cases) {
      const customer = byId.get(c.customerId) as Customer;
      expect(c.registeredAt <= NOW.toISOString()).toBe(true);
      expect((c.resolvedAt !== null) === (c.status === 'closed')).toBe(true);
      if (c.handlingStartedAt) expect(c.handlingStartedAt >= c.registeredAt).toBe(true);
      if (c.status !== 'new') expect(c.handlingStartedAt).not.toBeNull();
      if (c.contactId) expect(contactById.get(c.contactId)?.customerId).toBe(c.customerId);
      expect(DESCRIPTIONS[customer.language]).toContain(c.description);
      if (c.category === 'order' && ['planned', 'delivered', 'closed'].includes(c.status)) expect(c.billingInformed).toBe(true);
    }
  });

  it('mixes SLA states of open bugs relative to now', () => {
    const states = new Set(
      cases
        .filter((c) => c.category === 'bug' && c.status !== 'closed' && c.serviceLevel !== null)
        .map((c) => {
          const office = customers.find((k) => k.id === c.customerId)?.country ?? 'SE';
          const sla = slaState({ ...c, office }, NOW);
          return sla.applies ? sla.state : 'none';
        }),
    );
    expect(states.has('on_track')).toBe(true);
    expect(states.has('breached')).toBe(true);
  });

  it('logs a history every case can be read back from', () => {
    const recent = cases.filter((c) => c.status !== 'closed').slice(0, 200);
    for (const c of recent) {
      const events = store.events.forCase(c.id);
      expect(events[0]?.kind).toBe('created');
      const statuses = events.filter((e) => e.kind === 'status');
      // The status events walk from "new" to where the case is now.
      expect(statuses.at(-1)?.data.to ?? 'new').toBe(c.status);
      expect(events.every((e) => e.at <= NOW.toISOString())).toBe(true);
    }
  });
});
