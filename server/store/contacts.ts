import type Database from 'better-sqlite3';
import type { Contact } from '../../shared/contract';
import { CONTACT_JSON, fromJson, fromJsonOrNull, idList, type IdJson } from './json';

export class ContactRepo {
  private readonly byId;
  private readonly byIds;
  private readonly ofCustomer;
  private readonly withPhone;
  private readonly insertRow;
  private readonly updateRow;
  private readonly searchRows;
  private readonly withEmail;

  constructor(db: Database.Database) {
    this.byId = db.prepare<[string], string>(`SELECT ${CONTACT_JSON} FROM contacts co WHERE co.id = ?`).pluck();
    this.byIds = db
      .prepare<[string], IdJson>(`SELECT co.id, ${CONTACT_JSON} FROM contacts co WHERE co.id IN (SELECT value FROM json_each(?))`)
      .raw();
    this.ofCustomer = db
      .prepare<[string], string>(`SELECT ${CONTACT_JSON} FROM contacts co WHERE co.customer_id = ? ORDER BY co.id`)
      .pluck();
    this.withPhone = db
      .prepare<[string], string>(
        `SELECT ${CONTACT_JSON} FROM contacts co WHERE co.phone = ? AND co.anonymised_at IS NULL
         ORDER BY co.superuser DESC, co.id`,
      )
      .pluck();
    this.insertRow = db.prepare(
      `INSERT INTO contacts (id, customer_id, name, email, phone, superuser, superuser_since, trained_modules, anonymised_at)
       VALUES (@id, @customerId, @name, @email, @phone, @superUser, @superUserSince, @trainedModules, @anonymisedAt)`,
    );
    this.updateRow = db.prepare(
      `UPDATE contacts SET name = @name, email = @email, phone = @phone, superuser = @superUser,
       superuser_since = @superUserSince, trained_modules = @trainedModules, anonymised_at = @anonymisedAt WHERE id = @id`,
    );
    this.withEmail = db
      .prepare<[string], string>(
        `SELECT ${CONTACT_JSON} FROM contacts co WHERE co.email = ? COLLATE NOCASE AND co.email IS NOT NULL AND co.anonymised_at IS NULL ORDER BY co.id`,
      )
      .pluck();
    this.searchRows = db
      .prepare<[string, string | null, string | null, number], string>(
        `SELECT ${CONTACT_JSON} FROM contacts co
         WHERE co.anonymised_at IS NULL
           AND (instr(desk_fold(co.name), ?) > 0 OR co.phone LIKE ? ESCAPE '\\' OR co.phone LIKE ? ESCAPE '\\')
         ORDER BY co.name, co.id LIMIT ?`,
      )
      .pluck();
  }

  private params(contact: Contact): Record<string, unknown> {
    return { ...contact, superUser: contact.superUser ? 1 : 0, trainedModules: JSON.stringify(contact.trainedModules) };
  }

  insert(contact: Contact): void {
    this.insertRow.run(this.params(contact));
  }

  update(contact: Contact): void {
    this.updateRow.run(this.params(contact));
  }

  get(id: string): Contact | null {
    return fromJsonOrNull<Contact>(this.byId.get(id));
  }

  jsonByIds(ids: readonly string[]): IdJson[] {
    return ids.length === 0 ? [] : this.byIds.all(idList(ids));
  }

  ofCustomerList(customerId: string): Contact[] {
    return this.ofCustomer.all(customerId).map((j) => fromJson<Contact>(j));
  }

  /** Contacts with this E.164 number, SuperUsers first. */
  byPhone(e164: string): Contact[] {
    return this.withPhone.all(e164).map((j) => fromJson<Contact>(j));
  }

  /** Contacts with this e-mail address (case-insensitive); anonymised contacts never match. */
  byEmail(address: string): Contact[] {
    return this.withEmail.all(address).map((j) => fromJson<Contact>(j));
  }

  /** By a part of the name, or by the start of the E.164 number (a national prefix has two readings). */
  search(foldedText: string, phonePattern: string | null, otherPhonePattern: string | null, limit: number): Contact[] {
    return this.searchRows.all(foldedText, phonePattern, otherPhonePattern, limit).map((j) => fromJson<Contact>(j));
  }
}
