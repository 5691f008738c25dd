import type Database from 'better-sqlite3';
import type { Call } from '../../shared/contract';
import { CALL_JSON, fromJson, fromJsonOrNull, idList, type IdJson } from './json';

export type CallFilter = 'all' | 'missed' | 'open';

/** The caller log. */
export class CallRepo {
  private readonly insertRow;
  private readonly updateRow;
  private readonly byId;
  private readonly bySwitchId;
  private readonly lists: Record<CallFilter, Database.Statement<[number], string>>;
  private readonly ofPerson;
  private readonly byIds;
  private readonly window;

  constructor(db: Database.Database) {
    const columns = `@id, @callId, @direction, @fromRaw, @from, @to, @option, @team, @contactId, @customerId, @state,
      @missed, @done, @user, @startedAt, @answeredAt, @endedAt`;
    this.insertRow = db.prepare(
      `INSERT INTO calls (id, call_id, direction, from_raw, from_e164, to_number, option, team, contact_id, customer_id, state,
         missed, done, user, started_at, answered_at, ended_at) VALUES (${columns})`,
    );
    this.updateRow = db.prepare(
      `UPDATE calls SET state = @state, missed = @missed, done = @done, user = @user, answered_at = @answeredAt,
         ended_at = @endedAt, done_by = @doneBy, done_at = @doneAt WHERE id = @id`,
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
    // The contact id beside each row: the answer carries the caller's number, audited per contact.
    this.byIds = db
      .prepare<[string], IdJson>(`SELECT ca.contact_id, ${CALL_JSON} FROM calls ca WHERE ca.id IN (SELECT value FROM json_each(?))`)
      .raw();
    // A desk's caller log: its teams' calls (and those no team could be told for) since a time,
    // and every missed call still waiting for a call back, however old.
    this.window = db
      .prepare<Record<string, unknown>, IdJson>(
        `SELECT ca.contact_id, ${CALL_JSON} FROM calls ca
         WHERE (ca.team IS NULL OR ca.team IN (@teamA, @teamB))
           AND (ca.started_at >= @since OR (ca.missed = 1 AND ca.done = 0))
         ORDER BY ca.started_at, ca.rowid`,
      )
      .raw();
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

  /** The calls with these ids, as JSON, each with its contact id (null when the caller is unknown). */
  jsonByIds(ids: readonly string[]): Array<[contactId: string | null, json: string]> {
    return ids.length === 0 ? [] : (this.byIds.all(idList(ids)) as Array<[string | null, string]>);
  }

  /** The caller log a desk of `teams` starts with (see `window`). */
  windowJson(teams: readonly number[], since: string): Array<[contactId: string | null, json: string]> {
    return this.window.all({ teamA: teams[0] ?? 1, teamB: teams[1] ?? teams[0] ?? 1, since }) as Array<[string | null, string]>;
  }

  /** Calls linked to the contact or made from the number (a phone is personal data too). */
  ofContact(contactId: string, phone: string | null): Call[] {
    return this.ofPerson.all(contactId, phone ?? '').map((j) => fromJson<Call>(j));
  }
}
