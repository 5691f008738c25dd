import { dirname, join } from 'node:path';
import type Database from 'better-sqlite3';
import { foldText } from '../../shared/search';
import { openDatabase } from './db';
import { AccountSecurityRepo } from './accounts';
import { AttachmentStore } from './attachments';
import { ArticleRepo, TemplateRepo } from './answers';
import { AuditRepo } from './audit';
import { CallRepo } from './calls';
import { CaseNumbers } from './case-numbers';
import { CaseRepo } from './cases';
import { CentreAccountRepo } from './centre-accounts';
import { ChangeLog } from './change-log';
import { ContactRepo } from './contacts';
import { CustomerRepo } from './customers';
import { EventRepo } from './events';
import { GrantRepo } from './grants';
import { LoginAttemptRepo } from './login-attempts';
import { MailRepo } from './mail';
import { MutationLog } from './mutation-log';
import { SessionRepo } from './sessions';
import { SpecialistRepo } from './specialists';
import { CalendarExceptionRepo } from './calendar-exceptions';
import { EscalationRepo } from './escalations';

/** The database and one repository per table; every write goes through these. */
export class Store {
  readonly specialists: SpecialistRepo;
  readonly sessions: SessionRepo;
  readonly accounts: AccountSecurityRepo;
  readonly customers: CustomerRepo;
  readonly contacts: ContactRepo;
  readonly cases: CaseRepo;
  readonly events: EventRepo;
  readonly calls: CallRepo;
  readonly grants: GrantRepo;
  readonly changes: ChangeLog;
  readonly mutations: MutationLog;
  readonly numbers: CaseNumbers;
  readonly audit: AuditRepo;
  readonly loginAttempts: LoginAttemptRepo;
  /** Files on notes and mails: rows here, bytes under `<data>/attachments`. */
  readonly attachments: AttachmentStore;
  readonly mail: MailRepo;
  readonly templates: TemplateRepo;
  readonly articles: ArticleRepo;
  /** The customer centre's accounts, links and sessions. */
  readonly centre: CentreAccountRepo;
  readonly calendarExceptions: CalendarExceptionRepo;
  readonly escalations: EscalationRepo;

  constructor(
    readonly db: Database.Database,
    readonly file: string,
  ) {
    // SQLite's LIKE folds ASCII only: searches fold names the way the desks do.
    db.function('desk_fold', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? foldText(text) : text));
    this.sessions = new SessionRepo(db);
    this.specialists = new SpecialistRepo(db, (id) => this.sessions.forgetSpecialist(id));
    this.accounts = new AccountSecurityRepo(db, (id) => this.sessions.forgetSpecialist(id));
    this.customers = new CustomerRepo(db);
    this.contacts = new ContactRepo(db);
    this.cases = new CaseRepo(db);
    this.events = new EventRepo(db);
    this.calls = new CallRepo(db);
    this.grants = new GrantRepo(db);
    this.changes = new ChangeLog(db);
    this.mutations = new MutationLog(db);
    this.numbers = new CaseNumbers(db);
    this.audit = new AuditRepo(db);
    this.loginAttempts = new LoginAttemptRepo(db);
    this.attachments = new AttachmentStore(db, join(dirname(file), 'attachments'), this.changes);
    this.mail = new MailRepo(db);
    this.templates = new TemplateRepo(db);
    this.articles = new ArticleRepo(db);
    this.centre = new CentreAccountRepo(db);
    this.calendarExceptions = new CalendarExceptionRepo(db);
    this.escalations = new EscalationRepo(db);
    this.inTransaction = db.transaction((fn: () => unknown) => fn());
  }

  /**
   * One wrapper for every transaction: better-sqlite3 builds four wrapped functions per
   * `db.transaction(fn)`, and a push runs three (nested) transactions per mutation. Whether it
   * begins a transaction or a savepoint is decided per call.
   */
  private readonly inTransaction: (fn: () => unknown) => unknown;

  /** Runs `fn` in one transaction (a savepoint when nested). */
  transaction<T>(fn: () => T): T {
    return this.inTransaction(fn) as T;
  }

  isEmpty(): boolean {
    return this.customers.count() === 0 && this.cases.count() === 0;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** The database file inside a data folder. */
export function dataFile(dataDir: string): string {
  return join(dataDir, 'desk.sqlite');
}

export function openStore(file: string): Store {
  return new Store(openDatabase(file), file);
}
