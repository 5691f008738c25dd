import type Database from 'better-sqlite3';
import type { Customer } from '../../shared/contract';
import { CUSTOMER_JSON, fromJson, fromJsonOrNull, idList } from './json';

export class CustomerRepo {
  private readonly byId;
  private readonly byIds;
  private readonly insertRow;
  private readonly countRows;
  private readonly searchRows;
  private readonly updateRow;
  private readonly allRows;

  constructor(db: Database.Database) {
    this.byId = db.prepare<[string], string>(`SELECT ${CUSTOMER_JSON} FROM customers cu WHERE cu.id = ?`).pluck();
    this.byIds = db
      .prepare<[string], string>(`SELECT ${CUSTOMER_JSON} FROM customers cu WHERE cu.id IN (SELECT value FROM json_each(?))`)
      .pluck();
    this.insertRow = db.prepare(
      `INSERT INTO customers (id, name, org_number, country, language, industry, licensed_modules, payment_status, superuser_quota)
       VALUES (@id, @name, @orgNumber, @country, @language, @industry, @licensedModules, @paymentStatus, @superUserQuota)`,
    );
    this.updateRow = db.prepare(
      `UPDATE customers SET name = @name, org_number = @orgNumber, country = @country, language = @language, industry = @industry,
       licensed_modules = @licensedModules, payment_status = @paymentStatus, superuser_quota = @superUserQuota WHERE id = @id`,
    );
    this.allRows = db.prepare<[], string>(`SELECT ${CUSTOMER_JSON} FROM customers cu ORDER BY cu.name, cu.id`).pluck();
    this.countRows = db.prepare<[], number>('SELECT count(*) FROM customers').pluck();
    // desk_fold (registered by the store) lower-cases and drops diacritics, which SQLite's LIKE cannot.
    this.searchRows = db
      .prepare<[string, string | null, number], string>(
        `SELECT ${CUSTOMER_JSON} FROM customers cu
         WHERE instr(desk_fold(cu.name), ?) > 0 OR replace(cu.org_number, '-', '') LIKE ? ESCAPE '\\'
         ORDER BY cu.name, cu.id LIMIT ?`,
      )
      .pluck();
  }

  insert(customer: Customer): void {
    this.insertRow.run({ ...customer, licensedModules: JSON.stringify(customer.licensedModules) });
  }

  update(customer: Customer): void {
    this.updateRow.run({ ...customer, licensedModules: JSON.stringify(customer.licensedModules) });
  }

  /** Every customer, by name (the lead's register and the import read them all). */
  all(): Customer[] {
    return this.allRows.all().map((j) => fromJson<Customer>(j));
  }

  get(id: string): Customer | null {
    return fromJsonOrNull<Customer>(this.byId.get(id));
  }

  jsonByIds(ids: readonly string[]): string[] {
    return ids.length === 0 ? [] : this.byIds.all(idList(ids));
  }

  count(): number {
    return this.countRows.get() ?? 0;
  }

  /** By a part of the name, or by the start of the organisation number (dashes ignored). */
  search(foldedText: string, orgPrefixPattern: string | null, limit: number): Customer[] {
    return this.searchRows.all(foldedText, orgPrefixPattern, limit).map((j) => fromJson<Customer>(j));
  }
}
