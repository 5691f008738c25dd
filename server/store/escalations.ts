import type Database from 'better-sqlite3';
import { DEFAULT_ESCALATION_SETTINGS, EscalationSettingsSchema, type EscalationSettings } from '../../shared/escalation';
import type { TeamId } from '../../shared/teams';

export interface StoredEscalationSettings {
  settings: EscalationSettings;
  updatedAt: string | null;
  updatedBy: string | null;
  /** When this server first escalated: points due before it are never sent. */
  startedAt: string;
}

/** An open case as the escalation index needs it, its office from the customer's country. */
export interface EscalationCaseRow {
  id: string;
  number: number;
  title: string;
  team: TeamId;
  assigneeId: string | null;
  office: 'SE' | 'FI';
  category: 'support' | 'bug' | 'wish' | 'order';
  serviceLevel: 1 | 2 | 3 | 4 | 5 | null;
  status: string;
  registeredAt: string;
  handlingStartedAt: string | null;
  resolvedAt: string | null;
}

const CASE_COLUMNS = `c.id, c.number, c.title, c.team, c.assignee_id AS assigneeId, cu.country AS office, c.category,
  c.service_level AS serviceLevel, c.status, c.registered_at AS registeredAt, c.handling_started_at AS handlingStartedAt, c.resolved_at AS resolvedAt`;

/** The escalation settings, the keys of what was sent, and the open cases the index is built from. */
export class EscalationRepo {
  private readonly state;
  private readonly initState;
  private readonly saveSettings;
  private readonly sentRow;
  private readonly markRow;
  private readonly openRows;
  private readonly caseRow;

  constructor(db: Database.Database) {
    this.state = db.prepare<[], { settings: string | null; updated_at: string | null; updated_by: string | null; started_at: string }>(
      'SELECT settings, updated_at, updated_by, started_at FROM escalation_state WHERE id = 1',
    );
    this.initState = db.prepare<[string]>('INSERT OR IGNORE INTO escalation_state (id, started_at) VALUES (1, ?)');
    this.saveSettings = db.prepare<[string, string, string]>('UPDATE escalation_state SET settings = ?, updated_at = ?, updated_by = ? WHERE id = 1');
    this.sentRow = db.prepare<[string, string, string, string], number>('SELECT 1 FROM escalations_sent WHERE case_id = ? AND deadline = ? AND point = ? AND deadline_at = ?').pluck();
    this.markRow = db.prepare<[string, string, string, string, string, string | null]>(
      'INSERT OR IGNORE INTO escalations_sent (case_id, deadline, point, deadline_at, sent_at, event_id) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.openRows = db.prepare<[], EscalationCaseRow>(
      `SELECT ${CASE_COLUMNS} FROM cases c JOIN customers cu ON cu.id = c.customer_id
       WHERE c.status <> 'closed' AND c.service_level IS NOT NULL AND c.resolved_at IS NULL`,
    );
    this.caseRow = db.prepare<[string], EscalationCaseRow>(`SELECT ${CASE_COLUMNS} FROM cases c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = ?`);
  }

  /** The settings (the defaults until a lead saves some); the first call marks when escalation began. */
  settings(now: Date): StoredEscalationSettings {
    this.initState.run(now.toISOString());
    const row = this.state.get();
    if (!row) throw new Error('escalation_state is missing');
    const parsed = row.settings === null ? null : EscalationSettingsSchema.safeParse(JSON.parse(row.settings));
    return {
      settings: parsed?.success ? parsed.data : DEFAULT_ESCALATION_SETTINGS,
      updatedAt: row.updated_at,
      updatedBy: row.updated_by,
      startedAt: row.started_at,
    };
  }

  save(settings: EscalationSettings, at: string, by: string): void {
    this.initState.run(at);
    this.saveSettings.run(JSON.stringify(settings), at, by);
  }

  wasSent(caseId: string, deadline: string, point: string, deadlineAt: string): boolean {
    return this.sentRow.get(caseId, deadline, point, deadlineAt) !== undefined;
  }

  /** Records the key; false when it was recorded already (someone else sent it). */
  markSent(caseId: string, deadline: string, point: string, deadlineAt: string, at: string, eventId: string | null): boolean {
    return this.markRow.run(caseId, deadline, point, deadlineAt, at, eventId).changes === 1;
  }

  openCases(): EscalationCaseRow[] {
    return this.openRows.all();
  }

  caseOf(id: string): EscalationCaseRow | null {
    return this.caseRow.get(id) ?? null;
  }
}
