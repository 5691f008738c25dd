/**
 * The reference data the cases point to: customers, their contacts (by id, by customer and by
 * phone, for a call), specialists and support-login grants.
 */
import type { AccessGrant, Contact, Customer, Office, Specialist } from '../../../shared/index';
import { DeferredFill } from '../lib/deferredFill';
import type { Delta } from '../model/rows';

export class Directory {
  readonly customers = new Map<string, Customer>();
  readonly specialists = new Map<string, Specialist>();
  readonly grantsByCustomer = new Map<string, AccessGrant[]>();
  private readonly contactById = new Map<string, Contact>();
  private readonly contactsOfCustomer = new Map<string, Contact[]>();
  private readonly contactOfPhone = new Map<string, Contact>();
  /**
   * Contacts a cold start read, in the order learnt: the queue shows none, so they are filed
   * after its first paint (see `setAside`); reading any of the three maps files the rest first.
   */
  private readonly unfiled = new DeferredFill((contacts: readonly Contact[]) => this.ingestContacts(contacts));
  /** Files contacts set aside by a cold start (see DeferredFill). */
  readonly fileContacts = this.unfiled.run;

  officeOf = (customerId: string): Office => this.customers.get(customerId)?.country ?? 'SE';

  get contacts(): ReadonlyMap<string, Contact> {
    this.unfiled.run();
    return this.contactById;
  }

  get contactsByCustomer(): ReadonlyMap<string, readonly Contact[]> {
    this.unfiled.run();
    return this.contactsOfCustomer;
  }

  get contactByPhone(): ReadonlyMap<string, Contact> {
    this.unfiled.run();
    return this.contactOfPhone;
  }

  /** A cold start: the contacts of these deltas are filed later (see `unfiled`); `apply` them with `later`. */
  setAside(deltas: readonly Delta[]): void {
    this.unfiled.run();
    this.unfiled.start(deltas.filter((d) => d.contacts.length > 0).map((d) => d.contacts));
  }

  /** `later`: the contacts were set aside (see `setAside`). */
  apply(delta: Delta, later = false): void {
    for (const c of delta.customers) this.customers.set(c.id, c);
    if (delta.contacts.length > 0 && !later) {
      this.unfiled.run();
      this.ingestContacts(delta.contacts);
    }
    for (const s of delta.specialists) this.specialists.set(s.id, s);
    if (delta.grants.length > 0) this.ingestGrants(delta.grants);
  }

  private ingestContacts(contacts: readonly Contact[]): void {
    const byCustomer = new Map<string, Contact[]>();
    for (const c of contacts) {
      const old = this.contactById.get(c.id);
      if (old?.phone) this.contactOfPhone.delete(old.phone);
      if (old && old.customerId !== c.customerId) this.dropFromCustomer(old);
      this.contactById.set(c.id, c);
      if (c.phone && c.anonymisedAt === null) this.contactOfPhone.set(c.phone, c);
      const list = byCustomer.get(c.customerId);
      if (list) list.push(c);
      else byCustomer.set(c.customerId, [c]);
    }
    for (const [customerId, incoming] of byCustomer) {
      const known = this.contactsOfCustomer.get(customerId);
      // A cold start meets most customers once: their contacts as they come, nothing to replace.
      if (!known) {
        this.contactsOfCustomer.set(customerId, incoming);
        continue;
      }
      const ids = new Set(incoming.map((c) => c.id));
      this.contactsOfCustomer.set(customerId, [...known.filter((c) => !ids.has(c.id)), ...incoming]);
    }
  }

  private dropFromCustomer(contact: Contact): void {
    const list = this.contactsOfCustomer.get(contact.customerId);
    if (list) this.contactsOfCustomer.set(contact.customerId, list.filter((c) => c.id !== contact.id));
  }

  private ingestGrants(grants: readonly AccessGrant[]): void {
    for (const g of grants) {
      const list = (this.grantsByCustomer.get(g.customerId) ?? []).filter((x) => x.id !== g.id);
      list.push(g);
      this.grantsByCustomer.set(g.customerId, list);
    }
  }

  clear(): void {
    this.unfiled.clear();
    for (const m of [this.customers, this.contactById, this.contactsOfCustomer, this.contactOfPhone, this.specialists, this.grantsByCustomer]) m.clear();
  }
}
