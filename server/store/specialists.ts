import type Database from 'better-sqlite3';
import type { Specialist } from '../../shared/contract';
import { SPECIALIST_JSON, fromJson, fromJsonOrNull, idList } from './json';

export class SpecialistRepo {
  private readonly byId;
  private readonly byEmail;
  private readonly all;
  private readonly byIds;
  private readonly insertRow;
  private readonly updateRow;
  private readonly countRows;
  private readonly hashById;
  private readonly setPasswordRow;
  private readonly rehashRow;
  private readonly byExtension;
  private readonly byNameOrEmail;

  constructor(
    db: Database.Database,
    /** Told after an account is updated (store.ts points it at the session memo). */
    private readonly onUpdate: (specialistId: string) => void = () => undefined,
  ) {
    this.byId = db.prepare<[string], string>(`SELECT ${SPECIALIST_JSON} FROM specialists s WHERE s.id = ?`).pluck();
    this.byEmail = db.prepare<[string], { j: string; password_hash: string; must_change_password: number }>(
      `SELECT ${SPECIALIST_JSON} AS j, s.password_hash, s.must_change_password FROM specialists s WHERE s.email = ?`,
    );
    this.hashById = db.prepare<[string], string>('SELECT password_hash FROM specialists WHERE id = ?').pluck();
    this.setPasswordRow = db.prepare<[string, number, string | null, string]>(
      'UPDATE specialists SET password_hash = ?, must_change_password = ?, password_changed_at = coalesce(?, password_changed_at) WHERE id = ?',
    );
    this.rehashRow = db.prepare<[string, string, string]>('UPDATE specialists SET password_hash = ? WHERE id = ? AND password_hash = ?');
    this.all = db.prepare<[], string>(`SELECT ${SPECIALIST_JSON} FROM specialists s ORDER BY s.name, s.id`).pluck();
    this.byIds = db
      .prepare<[string], string>(`SELECT ${SPECIALIST_JSON} FROM specialists s WHERE s.id IN (SELECT value FROM json_each(?))`)
      .pluck();
    this.insertRow = db.prepare(
      `INSERT INTO specialists (id, email, name, role, teams, office, language, active, extension, password_hash, created_at)
       VALUES (@id, @email, @name, @role, @teams, @office, @language, @active, @extension, @passwordHash, @createdAt)`,
    );
    this.updateRow = db.prepare(
      `UPDATE specialists SET name = @name, role = @role, teams = @teams, office = @office,
       language = @language, active = @active, extension = @extension WHERE id = @id`,
    );
    this.byExtension = db
      .prepare<[string], string>(`SELECT ${SPECIALIST_JSON} FROM specialists s WHERE s.extension = ? AND s.active = 1`)
      .pluck();
    this.byNameOrEmail = db
      .prepare<[string, string], string>(
        `SELECT ${SPECIALIST_JSON} FROM specialists s WHERE s.active = 1 AND (s.email = ? COLLATE NOCASE OR s.name = ? COLLATE NOCASE) ORDER BY s.id LIMIT 2`,
      )
      .pluck();
    this.countRows = db.prepare<[], number>('SELECT count(*) FROM specialists').pluck();
  }

  insert(specialist: Specialist, passwordHash: string, createdAt: string): void {
    this.insertRow.run({
      ...specialist,
      teams: JSON.stringify(specialist.teams),
      active: specialist.active ? 1 : 0,
      extension: specialist.extension ?? null,
      passwordHash,
      createdAt,
    });
  }

  /**
   * A new password hash. `mustChange`: the password is temporary (a generated one), so a
   * session opens only the password route until the specialist chooses their own.
   * `changedAt` is null for a rehash of the same password.
   */
  setPassword(id: string, passwordHash: string, options: { mustChange: boolean; changedAt: string | null }): void {
    this.setPasswordRow.run(passwordHash, options.mustChange ? 1 : 0, options.changedAt, id);
    this.onUpdate(id);
  }

  /** Replaces the hash only if it is still `verified` (a reset or change that came meanwhile wins); answers whether it did. */
  rehashPassword(id: string, verified: string, passwordHash: string): boolean {
    const changed = this.rehashRow.run(passwordHash, id, verified).changes > 0;
    if (changed) this.onUpdate(id);
    return changed;
  }

  passwordHashOf(id: string): string | null {
    return this.hashById.get(id) ?? null;
  }

  update(specialist: Specialist): void {
    this.updateRow.run({ ...specialist, teams: JSON.stringify(specialist.teams), active: specialist.active ? 1 : 0, extension: specialist.extension ?? null });
    this.onUpdate(specialist.id);
  }

  /** The active specialist with this extension. */
  byExtensionNumber(extension: string): Specialist | null {
    return fromJsonOrNull<Specialist>(this.byExtension.get(extension));
  }

  /** The one active specialist with this e-mail or name (as Zammad's `user` names agents); null when none or ambiguous. */
  byUser(user: string): Specialist | null {
    const rows = this.byNameOrEmail.all(user, user);
    return rows.length === 1 ? fromJsonOrNull<Specialist>(rows[0]) : null;
  }

  get(id: string): Specialist | null {
    return fromJsonOrNull<Specialist>(this.byId.get(id));
  }

  /** The account and its password hash, for login only. */
  findForLogin(email: string): { specialist: Specialist; passwordHash: string; mustChangePassword: boolean } | null {
    const row = this.byEmail.get(email);
    return row ? { specialist: fromJson<Specialist>(row.j), passwordHash: row.password_hash, mustChangePassword: row.must_change_password === 1 } : null;
  }

  list(): Specialist[] {
    return this.all.all().map((j) => fromJson<Specialist>(j));
  }

  listJson(): string[] {
    return this.all.all();
  }

  jsonByIds(ids: readonly string[]): string[] {
    return ids.length === 0 ? [] : this.byIds.all(idList(ids));
  }

  count(): number {
    return this.countRows.get() ?? 0;
  }
}
