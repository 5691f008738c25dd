import type Database from 'better-sqlite3';

/** (clientId, mutationId) of every applied mutation: a replay is recognised, not applied twice. */
export class MutationLog {
  private readonly exists;
  private readonly insertRow;

  constructor(db: Database.Database) {
    this.exists = db
      .prepare<[string, number], number>('SELECT count(*) FROM applied_mutations WHERE client_id = ? AND mutation_id = ?')
      .pluck();
    this.insertRow = db.prepare<[string, number, string]>(
      'INSERT INTO applied_mutations (client_id, mutation_id, applied_at) VALUES (?, ?, ?)',
    );
  }

  isApplied(clientId: string, mutationId: number): boolean {
    return (this.exists.get(clientId, mutationId) ?? 0) > 0;
  }

  record(clientId: string, mutationId: number, at: string): void {
    this.insertRow.run(clientId, mutationId, at);
  }
}
