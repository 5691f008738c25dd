import type Database from 'better-sqlite3';
import type { CaseEvent } from '../../shared/contract';
import { EVENT_JSON, fromJson, idList } from './json';

export class EventRepo {
  private readonly insertRow;
  private readonly ofCase;
  private readonly ofCases;
  private readonly byIds;
  private readonly exists;
  private readonly callLogged;
  private readonly callContacts;
  private readonly latestActor;
  private readonly setData;
  private readonly mailContacts;
  private readonly one;
  constructor(db: Database.Database) {
    // The contacts whose address a mail event carries (its sender or recipient).
    this.mailContacts = db
      .prepare<[string, string], string>(
        `SELECT co.id FROM case_events e JOIN contacts co ON co.email = json_extract(e.data, '$.from') COLLATE NOCASE
         WHERE e.id IN (SELECT value FROM json_each(?)) AND e.kind = 'mail'
         UNION
         SELECT co.id FROM case_events e JOIN contacts co ON co.email = json_extract(e.data, '$.to') COLLATE NOCASE
         WHERE e.id IN (SELECT value FROM json_each(?)) AND e.kind = 'mail'`,
      )
      .pluck();
    this.setData = db.prepare<[string, string]>('UPDATE case_events SET data = ? WHERE id = ?');
    this.one = db.prepare<[string], string>(`SELECT ${EVENT_JSON} FROM case_events e WHERE e.id = ?`).pluck();
    this.insertRow = db.prepare(
      'INSERT INTO case_events (id, case_id, at, received_at, actor_id, kind, text, data) VALUES (@id, @caseId, @at, @receivedAt, @actorId, @kind, @text, @data)',
    );
    this.ofCase = db.prepare<[string], string>(`SELECT ${EVENT_JSON} FROM case_events e WHERE e.case_id = ? ORDER BY e.at, e.rowid`).pluck();
    this.ofCases = db
      .prepare<[string], string>(
        `SELECT ${EVENT_JSON} FROM case_events e WHERE e.case_id IN (SELECT value FROM json_each(?)) ORDER BY e.case_id, e.at, e.rowid`,
      )
      .pluck();
    this.byIds = db
      .prepare<[string], string>(`SELECT ${EVENT_JSON} FROM case_events e WHERE e.id IN (SELECT value FROM json_each(?))`)
      .pluck();
    this.callContacts = db
      .prepare<[string], string>(
        `SELECT DISTINCT json_extract(e.data, '$.contactId') FROM case_events e
         WHERE e.id IN (SELECT value FROM json_each(?)) AND e.kind = 'call' AND json_extract(e.data, '$.contactId') IS NOT NULL`,
      )
      .pluck();
    this.latestActor = db
      // In the order the server received the changes (rowid), not their effective time: an edit
      // made offline and pushed late is still the latest change. The one asking is not "the other".
      .prepare<[string, string], string>(
        'SELECT actor_id FROM case_events WHERE case_id = ? AND actor_id IS NOT NULL AND actor_id <> ? ORDER BY rowid DESC LIMIT 1',
      )
      .pluck();
    this.exists = db.prepare<[string], number>('SELECT count(*) FROM case_events WHERE id = ?').pluck();
    this.callLogged = db
      .prepare<[string, string], number>(
        `SELECT count(*) FROM case_events WHERE case_id = ? AND kind = 'call' AND json_extract(data, '$.callId') = ?`,
      )
      .pluck();
  }

  insert(event: CaseEvent): void {
    // The receipt is stored only where it differs from `at` (an edit made offline); EVENT_JSON
    // reads it back as `at` otherwise. Most events are received as they happen, and every
    // mutation writes one: an empty column keeps the row and the insert as small as before.
    const receivedAt = event.receivedAt === event.at ? null : event.receivedAt;
    this.insertRow.run({ ...event, receivedAt, data: JSON.stringify(event.data) });
  }

  get(id: string): CaseEvent | null {
    const json = this.one.get(id);
    return json === undefined ? null : fromJson<CaseEvent>(json);
  }

  /**
   * Replaces an event's data (an outgoing mail's status moving queued → sent or failed). The
   * caller records ('events', id) in the change log again in the same transaction, so desks
   * learn the new state through the feed.
   */
  updateData(id: string, data: CaseEvent['data']): void {
    this.setData.run(JSON.stringify(data), id);
  }

  forCase(caseId: string): CaseEvent[] {
    return this.ofCase.all(caseId).map((j) => fromJson<CaseEvent>(j));
  }

  /** Who other than `asking` made the case's latest change (a conflict names the other editor), or null. */
  lastActor(caseId: string, asking: string): string | null {
    return this.latestActor.get(caseId, asking) ?? null;
  }

  forCases(caseIds: readonly string[]): CaseEvent[] {
    return caseIds.length === 0 ? [] : this.ofCases.all(idList(caseIds)).map((j) => fromJson<CaseEvent>(j));
  }

  jsonByIds(ids: readonly string[]): string[] {
    return ids.length === 0 ? [] : this.byIds.all(idList(ids));
  }

  /** The contacts named by the logged calls among these events (for the audit log). */
  callContactsOf(ids: readonly string[]): string[] {
    return ids.length === 0 ? [] : this.callContacts.all(idList(ids));
  }

  /** The contacts whose address the mail events among these carry (for the audit log). */
  mailContactsOf(ids: readonly string[]): string[] {
    if (ids.length === 0) return [];
    const list = idList(ids);
    return this.mailContacts.all(list, list);
  }

  has(id: string): boolean {
    return (this.exists.get(id) ?? 0) > 0;
  }

  /** Whether the call (`Call.id`) is already in the case's history. */
  hasCall(caseId: string, callId: string): boolean {
    return (this.callLogged.get(caseId, callId) ?? 0) > 0;
  }
}
