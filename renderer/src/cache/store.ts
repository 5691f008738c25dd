/**
 * The in-memory model of the cache the UI reads synchronously: case rows by id and by number
 * (lookup during a call is a Map get), reference data by id, phone and customer, and the outbox
 * overlaid on the rows. React subscribes through `subscribe`/`getVersion`.
 */
import type { AccessGrant, Contact, Customer, Office, Specialist } from '../../../shared/index';
import type { OutboxEntry } from './db';
import type { CaseRow, Delta } from './rows';
import { applyToRow, isLive, mutationCaseId } from '../sync/overlay';

export interface DisplayRow extends CaseRow {
  /** Edits of this case still on their way to the server. */
  pending?: number;
  /** An edit of this case collided with someone else's; the specialist must choose. */
  conflict?: boolean;
  /** Created here and not yet acknowledged by the server. */
  local?: boolean;
}

const NOTIFY_INTERVAL_MS = 250;

export class DeskStore {
  private readonly server = new Map<string, CaseRow>();
  private readonly display = new Map<string, DisplayRow>();
  private readonly idByNumber = new Map<number, string>();
  readonly customers = new Map<string, Customer>();
  readonly contacts = new Map<string, Contact>();
  readonly contactsByCustomer = new Map<string, Contact[]>();
  readonly contactByPhone = new Map<string, Contact>();
  readonly specialists = new Map<string, Specialist>();
  readonly grantsByCustomer = new Map<string, AccessGrant[]>();
  private outboxEntries: OutboxEntry[] = [];
  private readonly outboxByCase = new Map<string, OutboxEntry[]>();
  private readonly timelineVersions = new Map<string, number>();
  private version = 0;
  private rowsCache: { version: number; rows: DisplayRow[] } | null = null;
  private readonly listeners = new Set<() => void>();
  private notifyTimer: ReturnType<typeof setTimeout> | null = null;
  private lastNotified = 0;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getVersion = (): number => this.version;

  /**
   * The data changes at once; the UI hears of it in the next task, and during a burst (a
   * bootstrap streaming pages) at most every NOTIFY_INTERVAL_MS, so re-sorting the queue never
   * runs once per message.
   */
  private changed(): void {
    this.version++;
    if (this.notifyTimer) return;
    const wait = Math.max(0, this.lastNotified + NOTIFY_INTERVAL_MS - Date.now());
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = null;
      this.lastNotified = Date.now();
      for (const l of this.listeners) l();
    }, wait);
  }

  officeOf = (customerId: string): Office => this.customers.get(customerId)?.country ?? 'SE';

  get size(): number {
    return this.display.size;
  }

  get(id: string): DisplayRow | undefined {
    return this.display.get(id);
  }

  byNumber(n: number): DisplayRow | undefined {
    const id = this.idByNumber.get(n);
    return id === undefined ? undefined : this.display.get(id);
  }

  /** The server's version of a case, without local edits (for the conflict view). */
  serverRow(id: string): CaseRow | undefined {
    return this.server.get(id);
  }

  /** Every case as shown, one array per store version (the queue filters and sorts copies). */
  rows(): DisplayRow[] {
    if (this.rowsCache?.version !== this.version) this.rowsCache = { version: this.version, rows: [...this.display.values()] };
    return this.rowsCache.rows;
  }

  get outbox(): readonly OutboxEntry[] {
    return this.outboxEntries;
  }

  outboxOf(caseId: string): readonly OutboxEntry[] {
    return this.outboxByCase.get(caseId) ?? [];
  }

  timelineVersion(caseId: string): number {
    return this.timelineVersions.get(caseId) ?? 0;
  }

  touchTimeline(caseId: string): void {
    this.timelineVersions.set(caseId, this.timelineVersion(caseId) + 1);
    this.changed();
  }

  ingest(delta: Delta): void {
    for (const c of delta.customers) this.customers.set(c.id, c);
    if (delta.contacts.length > 0) this.ingestContacts(delta.contacts);
    for (const s of delta.specialists) this.specialists.set(s.id, s);
    if (delta.grants.length > 0) this.ingestGrants(delta.grants);
    for (const row of delta.rows) {
      const known = this.server.get(row.id);
      // Versions only grow; an older copy (a page read before a push answer) is ignored.
      if (known && known.version > row.version) continue;
      this.server.set(row.id, row);
      this.idByNumber.set(row.number, row.id);
      this.refresh(row.id);
    }
    for (const id of delta.eventCaseIds) this.timelineVersions.set(id, this.timelineVersion(id) + 1);
    this.changed();
  }

  private ingestContacts(contacts: readonly Contact[]): void {
    const byCustomer = new Map<string, Contact[]>();
    for (const c of contacts) {
      const old = this.contacts.get(c.id);
      if (old?.phone) this.contactByPhone.delete(old.phone);
      if (old && old.customerId !== c.customerId) this.dropFromCustomer(old);
      this.contacts.set(c.id, c);
      if (c.phone && c.anonymisedAt === null) this.contactByPhone.set(c.phone, c);
      const list = byCustomer.get(c.customerId);
      if (list) list.push(c);
      else byCustomer.set(c.customerId, [c]);
    }
    for (const [customerId, incoming] of byCustomer) {
      const ids = new Set(incoming.map((c) => c.id));
      const kept = (this.contactsByCustomer.get(customerId) ?? []).filter((c) => !ids.has(c.id));
      this.contactsByCustomer.set(customerId, [...kept, ...incoming]);
    }
  }

  private dropFromCustomer(contact: Contact): void {
    const list = this.contactsByCustomer.get(contact.customerId);
    if (list) this.contactsByCustomer.set(contact.customerId, list.filter((c) => c.id !== contact.id));
  }

  private ingestGrants(grants: readonly AccessGrant[]): void {
    for (const g of grants) {
      const list = (this.grantsByCustomer.get(g.customerId) ?? []).filter((x) => x.id !== g.id);
      list.push(g);
      this.grantsByCustomer.set(g.customerId, list);
    }
  }

  setOutbox(entries: readonly OutboxEntry[]): void {
    const touched = new Set<string>(this.outboxByCase.keys());
    this.outboxEntries = [...entries].sort((a, b) => a.mutationId - b.mutationId);
    this.outboxByCase.clear();
    for (const e of this.outboxEntries) {
      const caseId = mutationCaseId(e.envelope);
      if (caseId === null) continue;
      touched.add(caseId);
      const list = this.outboxByCase.get(caseId);
      if (list) list.push(e);
      else this.outboxByCase.set(caseId, [e]);
    }
    for (const id of touched) this.refresh(id);
    this.changed();
  }

  private refresh(id: string): void {
    const base = this.server.get(id);
    const entries = this.outboxByCase.get(id);
    if (!entries) {
      if (base) this.display.set(id, base);
      else this.display.delete(id);
      return;
    }
    let row: CaseRow | undefined = base;
    let pending = 0;
    let conflict = false;
    for (const e of entries) {
      if (e.state === 'conflict') conflict = true;
      if (!isLive(e)) continue;
      pending++;
      // A creation already acknowledged (the server row exists) is not re-applied.
      if (e.envelope.name === 'createCase' && base) continue;
      row = applyToRow(row, e.envelope, e.createdAt, this.officeOf);
    }
    if (!row) {
      this.display.delete(id);
      return;
    }
    const shown: DisplayRow = { ...row, pending, conflict, local: !base };
    this.display.set(id, shown);
    this.idByNumber.set(shown.number, id);
  }

  /** Drops everything (before a re-sync rebuilds the cache). */
  clear(): void {
    for (const m of [this.server, this.display, this.idByNumber, this.customers, this.contacts, this.contactsByCustomer, this.contactByPhone, this.specialists, this.grantsByCustomer, this.outboxByCase, this.timelineVersions]) m.clear();
    this.outboxEntries = [];
    this.changed();
  }
}
