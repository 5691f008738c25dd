/**
 * The reference data of a bootstrap after its first page. The first page carries the open cases
 * it lists together with exactly the customers and contacts they name (so the desk can show
 * them at once); the reference phase then sends every other customer and contact.
 *
 * "Every other" is computed, not remembered (the server keeps no state per bootstrap): the
 * customers and contacts named by open cases of the teams up to the first page's last number,
 * among the cases unchanged since the snapshot — exactly what the first page saw in that state,
 * since it was rendered at the snapshot's seq. A case changed since may have named someone else
 * then: those are sent again (harmless, the desk stores by id), never skipped.
 */
import type Database from 'better-sqlite3';
import { CONTACT_JSON, CUSTOMER_JSON, EVENT_JSON, type IdJson } from '../store/json';

/** Open cases of the teams up to the first page's last number, unchanged since the snapshot. */
const FIRST_PAGE_CASES = `
  SELECT fp.customer_id, fp.contact_id FROM cases fp
  WHERE fp.status <> 'closed' AND fp.team IN (@teamA, @teamB) AND fp.number <= @firstPageLast
    AND fp.id NOT IN (SELECT entity_id FROM change_log WHERE entity = 'cases' AND seq > @snapshotSeq)`;

export interface FirstPage {
  teams: [number, number];
  lastNumber: number;
  snapshotSeq: number;
}

/** One event of the events phase: its case's number (the phase's key), its id, its JSON. */
export type CaseEventRow = [number, string, string];

export class BootstrapQueries {
  private readonly customersAfter;
  private readonly contactsOfRange;
  private readonly openCasesAfter;
  private readonly eventsOfCases;

  constructor(db: Database.Database) {
    this.customersAfter = db
      .prepare<Record<string, unknown>, IdJson>(
        `SELECT cu.id, ${CUSTOMER_JSON} FROM customers cu
         WHERE cu.id > @after AND cu.id NOT IN (SELECT customer_id FROM (${FIRST_PAGE_CASES}))
         ORDER BY cu.id LIMIT @limit`,
      )
      .raw();
    this.contactsOfRange = db
      .prepare<Record<string, unknown>, IdJson>(
        `SELECT co.id, ${CONTACT_JSON} FROM contacts co
         WHERE co.customer_id > @after AND (@last IS NULL OR co.customer_id <= @last)
           AND co.id NOT IN (SELECT contact_id FROM (${FIRST_PAGE_CASES}) WHERE contact_id IS NOT NULL)
         ORDER BY co.customer_id, co.id`,
      )
      .raw();
    // The open-cases index (status, team, number) answers this as it does the open-cases phase.
    this.openCasesAfter = db
      .prepare<[number, number, number, number], [number, string]>(
        `SELECT c.number, c.id FROM cases c
         WHERE c.status <> 'closed' AND c.number > ? AND c.team IN (?, ?) ORDER BY c.number LIMIT ?`,
      )
      .raw();
    this.eventsOfCases = db
      .prepare<[string], CaseEventRow>(
        `SELECT c.number, e.id, ${EVENT_JSON} FROM json_each(?) j
         JOIN cases c ON c.id = j.value JOIN case_events e ON e.case_id = c.id
         ORDER BY c.number, e.at, e.rowid`,
      )
      .raw();
  }

  /**
   * The timelines of the next `caseLimit` open cases of the teams after case number `after`:
   * every event of each, ordered by case number. `last` is the number of the last case looked
   * at (null when there was none: the phase is complete).
   */
  openCaseEvents(teams: [number, number], after: number, caseLimit: number): { events: CaseEventRow[]; last: number | null; complete: boolean } {
    const cases = this.openCasesAfter.all(after, teams[0], teams[1], caseLimit);
    const last = cases[cases.length - 1]?.[0] ?? null;
    const events = cases.length === 0 ? [] : this.eventsOfCases.all(JSON.stringify(cases.map(([, id]) => id)));
    return { events, last, complete: cases.length < caseLimit };
  }

  private params(first: FirstPage): Record<string, unknown> {
    return { teamA: first.teams[0], teamB: first.teams[1], firstPageLast: first.lastNumber, snapshotSeq: first.snapshotSeq };
  }

  /** Customers by id after `after` that the first page did not carry. */
  customers(first: FirstPage, after: string, limit: number): IdJson[] {
    return this.customersAfter.all({ ...this.params(first), after, limit });
  }

  /**
   * Contacts of the customers with ids in (after, last] — or after `after` to the end when
   * `last` is null — that the first page did not carry. By customer range, not by the customers
   * sent: a customer the first page carried may have contacts no case named.
   */
  contacts(first: FirstPage, after: string, last: string | null): IdJson[] {
    return this.contactsOfRange.all({ ...this.params(first), after, last });
  }
}
