import type Database from 'better-sqlite3';
import type { AccessGrant } from '../../shared/contract';
import { GRANT_JSON, fromJson, fromJsonOrNull, idList } from './json';

export class GrantRepo {
  private readonly insertRow;
  private readonly revokeRow;
  private readonly byId;
  private readonly byIds;
  private readonly ofCustomer;
  private readonly ofContact;
  private readonly since;

  constructor(db: Database.Database) {
    this.insertRow = db.prepare(
      `INSERT INTO access_grants (id, customer_id, kind, granted_by_contact_id, recorded_by, granted_at, expires_at, revoked_at)
       VALUES (@id, @customerId, @kind, @grantedByContactId, @recordedBy, @grantedAt, @expiresAt, @revokedAt)`,
    );
    this.revokeRow = db.prepare<[string, string]>('UPDATE access_grants SET revoked_at = ? WHERE id = ?');
    this.byId = db.prepare<[string], string>(`SELECT ${GRANT_JSON} FROM access_grants g WHERE g.id = ?`).pluck();
    this.byIds = db
      .prepare<[string], string>(`SELECT ${GRANT_JSON} FROM access_grants g WHERE g.id IN (SELECT value FROM json_each(?))`)
      .pluck();
    this.ofCustomer = db
      .prepare<[string], string>(`SELECT ${GRANT_JSON} FROM access_grants g WHERE g.customer_id = ? ORDER BY g.granted_at DESC`)
      .pluck();
    this.ofContact = db
      .prepare<[string], string>(
        `SELECT ${GRANT_JSON} FROM access_grants g WHERE g.granted_by_contact_id = ? ORDER BY g.granted_at DESC`,
      )
      .pluck();
    this.since = db
      .prepare<[string], string>(`SELECT ${GRANT_JSON} FROM access_grants g WHERE g.expires_at > ? ORDER BY g.id`)
      .pluck();
  }

  insert(grant: AccessGrant): void {
    this.insertRow.run(grant);
  }

  revoke(id: string, at: string): void {
    this.revokeRow.run(at, id);
  }

  get(id: string): AccessGrant | null {
    return fromJsonOrNull<AccessGrant>(this.byId.get(id));
  }

  jsonByIds(ids: readonly string[]): string[] {
    return ids.length === 0 ? [] : this.byIds.all(idList(ids));
  }

  forCustomer(customerId: string): AccessGrant[] {
    return this.ofCustomer.all(customerId).map((j) => fromJson<AccessGrant>(j));
  }

  grantedBy(contactId: string): AccessGrant[] {
    return this.ofContact.all(contactId).map((j) => fromJson<AccessGrant>(j));
  }

  /** Grants still running, or ended after `since` (what a desk shows), rendered. */
  expiringAfterJson(since: string): string[] {
    return this.since.all(since);
  }
}
