import type Database from 'better-sqlite3';

/** What the log knows of a mutation id a desk used before. */
export interface LoggedMutation {
  /** Null on rows from before replay keys named the specialist (migration 5). */
  specialistId: string | null;
  /** The edit's digest (server/sync/mutations.ts `mutationDigest`); null on rows from before migration 5. */
  bodyHash: string | null;
}

/**
 * Every applied mutation under its replay key (specialist, clientId, mutationId) with the digest
 * of the edit, so a replay is recognised and not applied twice, and a different edit under a used
 * key is told apart from a replay; and the specialist each client id belongs to.
 */
export class MutationLog {
  private readonly find;
  private readonly insertRow;
  private readonly ownerOf;
  private readonly insertOwner;

  constructor(db: Database.Database) {
    this.find = db.prepare<[string, number], LoggedMutation>(
      'SELECT specialist_id AS specialistId, body_hash AS bodyHash FROM applied_mutations WHERE client_id = ? AND mutation_id = ?',
    );
    this.insertRow = db.prepare<[string, number, string, string, string]>(
      'INSERT INTO applied_mutations (client_id, mutation_id, specialist_id, body_hash, applied_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.ownerOf = db.prepare<[string], string>('SELECT specialist_id FROM client_owners WHERE client_id = ?').pluck();
    this.insertOwner = db.prepare<[string, string, string]>('INSERT OR IGNORE INTO client_owners (client_id, specialist_id, since) VALUES (?, ?, ?)');
  }

  /** The mutation applied under (clientId, mutationId), if any. */
  applied(clientId: string, mutationId: number): LoggedMutation | undefined {
    return this.find.get(clientId, mutationId);
  }

  record(clientId: string, mutationId: number, specialistId: string, bodyHash: string, at: string): void {
    this.insertRow.run(clientId, mutationId, specialistId, bodyHash, at);
  }

  /**
   * The specialist `clientId` belongs to: the one who used it first. A client id nobody has used
   * is given to `specialistId` now (inside the caller's transaction, if any).
   */
  claimClient(clientId: string, specialistId: string, at: string): string {
    const owner = this.ownerOf.get(clientId);
    if (owner !== undefined) return owner;
    this.insertOwner.run(clientId, specialistId, at);
    return specialistId;
  }
}
