import type Database from 'better-sqlite3';
import type { Call } from '../../shared/contract';
import { CALL_JSON, fromJson, fromJsonOrNull } from './json';

export type CallFilter = 'all' | 'missed' | 'open';

/** The caller log. */
export class CallRepo {
  private readonly insertRow;
  private readonly updateRow;
  private readonly byId;
  private readonly bySwitchId;
  private readonly lists: Record<CallFilter, Database.Statement<[number], string>>;
  private readonly ofPerson;

  constructor(db: Database.Database) {
    const columns = `@id, @callId, @direction, @fromRaw, @from, @to, @option, @team, @contactId, @customerId, @state,
      @missed, @done, @user, @startedAt, @answeredAt, @endedAt`;
    this.insertRow = db.prepare(
      `INSERT INTO calls (id, call_id, direction, from_raw, from_e164, to_number, option, team, contact_id, customer_id, state,
         missed, done, user, started_at, answered_at, ended_at) VALUES (${columns})`,
    );
    this.updateRow = db.prepare(
      `UPDATE calls SET state = @state, missed = @missed, done = @done, user = @user, answered_at = @answeredAt,
         ended_at = @endedAt WHERE id = @id`,
    );
    this.byId = db.prepare<[string], string>(`SELECT ${CALL_JSON} FROM calls ca WHERE ca.id = ?`).pluck();
    this.bySwitchId = db.prepare<[string], string>(`SELECT ${CALL_JSON} FROM calls ca WHERE ca.call_id = ?`).pluck();
    const list = (where: string): Database.Statement<[number], string> =>
      db
        .prepare<[number], string>(`SELECT ${CALL_JSON} FROM calls ca ${where} ORDER BY ca.started_at DESC, ca.rowid DESC LIMIT ?`)
        .pluck();
    this.lists = {
      all: list(''),
      // Missed calls still waiting for a call back.
      missed: list('WHERE ca.missed = 1 AND ca.done = 0'),
      open: list('WHERE ca.done = 0'),
    };
    this.ofPerson = db
      .prepare<[string, string], string>(
        `SELECT ${CALL_JSON} FROM calls ca WHERE ca.contact_id = ? OR ca.from_e164 = ? ORDER BY ca.started_at, ca.rowid`,
      )
      .pluck();
  }

  private params(call: Call): Record<string, unknown> {
    return { ...call, missed: call.missed ? 1 : 0, done: call.done ? 1 : 0 };
  }

  insert(call: Call): void {
    this.insertRow.run(this.params(call));
  }

  update(call: Call): void {
    this.updateRow.run(this.params(call));
  }

  get(id: string): Call | null {
    return fromJsonOrNull<Call>(this.byId.get(id));
  }

  getBySwitchId(callId: string): Call | null {
    return fromJsonOrNull<Call>(this.bySwitchId.get(callId));
  }

  list(filter: CallFilter, limit: number): Call[] {
    return this.lists[filter].all(limit).map((j) => fromJson<Call>(j));
  }

  /** Calls linked to the contact or made from the number (a phone is personal data too). */
  ofContact(contactId: string, phone: string | null): Call[] {
    return this.ofPerson.all(contactId, phone ?? '').map((j) => fromJson<Call>(j));
  }
}
