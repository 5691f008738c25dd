import type Database from 'better-sqlite3';
import type { Case } from '../../shared/contract';
import type { TeamId } from '../../shared/teams';
import { CASE_JSON, fromJson, fromJsonOrNull, idList } from './json';

/** The columns an edit may change, by field (the rest are set once, at registration). */
const UPDATABLE_COLUMNS = {
  contactId: 'contact_id',
  product: 'product',
  module: 'module',
  serviceLevel: 'service_level',
  status: 'status',
  team: 'team',
  assigneeId: 'assignee_id',
  title: 'title',
  description: 'description',
  billableMinutes: 'billable_minutes',
  billingInformed: 'billing_informed',
  handlingStartedAt: 'handling_started_at',
  resolvedAt: 'resolved_at',
} as const satisfies Partial<Record<keyof Case, string>>;

/** A rendered case with its number, the bootstrap's keyset. */
export type NumberJson = [number: number, json: string];

export class CaseRepo {
  private readonly byId;
  private readonly byNumber;
  private readonly byIds;
  private readonly insertRow;
  private readonly openOfCustomer;
  private readonly ofContact;
  private readonly ofCustomerAll;
  private readonly numberUsed;
  private readonly countAll;
  private readonly countOpenIn;
  private readonly countOpenOfCustomer;
  private readonly openInTeamsPage;
  private readonly restPage;

  private readonly partialUpdates = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    this.byId = db.prepare<[string], string>(`SELECT ${CASE_JSON} FROM cases c WHERE c.id = ?`).pluck();
    this.byNumber = db.prepare<[number], string>(`SELECT ${CASE_JSON} FROM cases c WHERE c.number = ?`).pluck();
    this.byIds = db
      .prepare<[string], string>(`SELECT ${CASE_JSON} FROM cases c WHERE c.id IN (SELECT value FROM json_each(?))`)
      .pluck();
    this.insertRow = db.prepare(
      `INSERT INTO cases (id, number, customer_id, contact_id, product, module, category, service_level, status, team,
         assignee_id, title, description, channel, billable_minutes, billing_informed, registered_at,
         handling_started_at, resolved_at, updated_at, version, field_versions)
       VALUES (@id, @number, @customerId, @contactId, @product, @module, @category, @serviceLevel, @status, @team,
         @assigneeId, @title, @description, @channel, @billableMinutes, @billingInformed, @registeredAt,
         @handlingStartedAt, @resolvedAt, @updatedAt, @version, @fieldVersions)`,
    );
    this.openOfCustomer = db
      .prepare<[string, string, number], string>(
        `SELECT ${CASE_JSON} FROM cases c WHERE c.customer_id = ? AND c.status <> 'closed'
         ORDER BY (c.contact_id IS ?) DESC, c.number DESC LIMIT ?`,
      )
      .pluck();
    this.ofContact = db
      .prepare<[string], string>(`SELECT ${CASE_JSON} FROM cases c WHERE c.contact_id = ? ORDER BY c.number`)
      .pluck();
    this.ofCustomerAll = db
      .prepare<[string, number], string>(`SELECT ${CASE_JSON} FROM cases c WHERE c.customer_id = ? ORDER BY c.number DESC LIMIT ?`)
      .pluck();
    this.numberUsed = db.prepare<[number], number>('SELECT count(*) FROM cases WHERE number = ?').pluck();
    this.countAll = db.prepare<[], number>('SELECT count(*) FROM cases').pluck();
    this.countOpenOfCustomer = db.prepare<[string], number>(`SELECT count(*) FROM cases WHERE customer_id = ? AND status <> 'closed'`).pluck();
    this.countOpenIn = db
      .prepare<[number, number], number>(`SELECT count(*) FROM cases WHERE status <> 'closed' AND team IN (?, ?)`)
      .pluck();
    this.openInTeamsPage = db
      .prepare<[number, number, number, number], NumberJson>(
        `SELECT c.number, ${CASE_JSON} FROM cases c
         WHERE c.status <> 'closed' AND c.number > ? AND c.team IN (?, ?) ORDER BY c.number LIMIT ?`,
      )
      .raw();
    this.restPage = db
      .prepare<[number, number, number, number], NumberJson>(
        `SELECT c.number, ${CASE_JSON} FROM cases c
         WHERE c.number > ? AND NOT (c.status <> 'closed' AND c.team IN (?, ?)) ORDER BY c.number LIMIT ?`,
      )
      .raw();
  }

  private params(c: Case): Record<string, unknown> {
    return { ...c, billingInformed: c.billingInformed ? 1 : 0, fieldVersions: JSON.stringify(c.fieldVersions) };
  }

  insert(c: Case): void {
    this.insertRow.run(this.params(c));
  }

  /**
   * Writes only the columns of `fields` (and the version bookkeeping): an UPDATE that names a
   * column rewrites its index entries and checks its foreign key even when the value stays the
   * same, and a push mostly changes one field or none (a note). One statement per field set.
   */
  updateFields(c: Case, fields: Iterable<keyof Case>): void {
    const columns = [...new Set(fields)].sort();
    const fixed = columns.find((f) => !(f in UPDATABLE_COLUMNS));
    if (fixed) throw new Error(`cases.${fixed} is set at registration and never updated`);
    const key = columns.join(',');
    let statement = this.partialUpdates.get(key);
    if (!statement) {
      const sets = columns.map((f) => `${UPDATABLE_COLUMNS[f as keyof typeof UPDATABLE_COLUMNS]} = @${f}`);
      statement = this.db.prepare(
        `UPDATE cases SET ${[...sets, 'updated_at = @updatedAt', 'version = @version', 'field_versions = @fieldVersions'].join(', ')} WHERE id = @id`,
      );
      this.partialUpdates.set(key, statement);
    }
    statement.run(this.params(c));
  }

  get(id: string): Case | null {
    return fromJsonOrNull<Case>(this.byId.get(id));
  }

  getByNumber(n: number): Case | null {
    return fromJsonOrNull<Case>(this.byNumber.get(n));
  }

  jsonByIds(ids: readonly string[]): string[] {
    return ids.length === 0 ? [] : this.byIds.all(idList(ids));
  }

  /** The customer's open cases, the given contact's first, newest first. */
  openForCustomer(customerId: string, contactId: string | null, limit: number): Case[] {
    return this.openOfCustomer.all(customerId, contactId ?? '', limit).map((j) => fromJson<Case>(j));
  }

  /** Every case of the customer, open and closed, newest first (the customer centre's list). */
  ofCustomer(customerId: string, limit: number): Case[] {
    return this.ofCustomerAll.all(customerId, limit).map((j) => fromJson<Case>(j));
  }

  byContact(contactId: string): Case[] {
    return this.ofContact.all(contactId).map((j) => fromJson<Case>(j));
  }

  isNumberUsed(n: number): boolean {
    return (this.numberUsed.get(n) ?? 0) > 0;
  }

  count(): number {
    return this.countAll.get() ?? 0;
  }

  /** The customer's cases not closed. */
  openCountOfCustomer(customerId: string): number {
    return this.countOpenOfCustomer.get(customerId) ?? 0;
  }

  countOpenInTeams(teams: readonly TeamId[]): number {
    return this.countOpenIn.get(...teamPair(teams)) ?? 0;
  }

  /** Bootstrap phase 1: open cases of the teams, by number. */
  openInTeams(teams: readonly TeamId[], afterNumber: number, limit: number): NumberJson[] {
    return this.openInTeamsPage.all(afterNumber, ...teamPair(teams), limit);
  }

  /** Bootstrap phase 2: every case phase 1 does not cover, by number. */
  allOthers(teams: readonly TeamId[], afterNumber: number, limit: number): NumberJson[] {
    return this.restPage.all(afterNumber, ...teamPair(teams), limit);
  }
}

/** `team IN (?, ?)` keeps the open-cases index usable; one team is passed twice. */
function teamPair(teams: readonly TeamId[]): [number, number] {
  const first = teams[0] ?? 1;
  return [first, teams[1] ?? first];
}
