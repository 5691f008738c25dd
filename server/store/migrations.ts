/**
 * The schema as an ordered list of numbered steps, tracked by `PRAGMA user_version` (the
 * Signal Desktop way). A step is never edited once released: a change is a new step. Each step
 * runs in its own transaction together with the version bump, so a crash leaves the database
 * at the previous step, never half-way.
 *
 * Conventions: times are ISO 8601 UTC strings (they sort as text); lists and maps the API
 * carries as JSON (teams, modules, field versions, event data) are stored as JSON text and
 * rendered with SQLite's JSON functions, so reads never re-validate them row by row.
 */
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts and customers',
    up(db) {
      db.exec(`
        CREATE TABLE specialists (
          id TEXT PRIMARY KEY,
          email TEXT NOT NULL UNIQUE COLLATE NOCASE,
          name TEXT NOT NULL,
          role TEXT NOT NULL CHECK (role IN ('specialist', 'lead')),
          teams TEXT NOT NULL CHECK (json_valid(teams)),
          office TEXT NOT NULL CHECK (office IN ('SE', 'FI')),
          language TEXT NOT NULL CHECK (language IN ('sv', 'fi')),
          active INTEGER NOT NULL DEFAULT 1,
          password_hash TEXT NOT NULL,
          created_at TEXT NOT NULL
        );
        CREATE TABLE sessions (
          token_hash TEXT PRIMARY KEY,
          specialist_id TEXT NOT NULL REFERENCES specialists(id) ON DELETE CASCADE,
          created_at TEXT NOT NULL,
          expires_at TEXT NOT NULL
        );
        CREATE INDEX sessions_specialist ON sessions(specialist_id);
        CREATE TABLE customers (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          org_number TEXT NOT NULL,
          country TEXT NOT NULL CHECK (country IN ('SE', 'FI')),
          language TEXT NOT NULL CHECK (language IN ('sv', 'fi')),
          industry TEXT NOT NULL,
          licensed_modules TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(licensed_modules)),
          payment_status TEXT NOT NULL CHECK (payment_status IN ('ok', 'overdue')),
          superuser_quota INTEGER NOT NULL CHECK (superuser_quota BETWEEN 2 AND 4)
        );
        CREATE INDEX customers_name ON customers(name COLLATE NOCASE);
        CREATE INDEX customers_org_number ON customers(org_number);
        CREATE TABLE contacts (
          id TEXT PRIMARY KEY,
          customer_id TEXT NOT NULL REFERENCES customers(id),
          name TEXT NOT NULL,
          email TEXT,
          phone TEXT,
          superuser INTEGER NOT NULL DEFAULT 0,
          superuser_since TEXT,
          trained_modules TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(trained_modules)),
          anonymised_at TEXT
        );
        CREATE INDEX contacts_customer ON contacts(customer_id);
        CREATE INDEX contacts_phone ON contacts(phone) WHERE phone IS NOT NULL;
      `);
    },
  },
  {
    version: 2,
    name: 'cases, events, calls and access grants',
    up(db) {
      db.exec(`
        CREATE TABLE cases (
          id TEXT PRIMARY KEY,
          number INTEGER NOT NULL UNIQUE,
          customer_id TEXT NOT NULL REFERENCES customers(id),
          contact_id TEXT REFERENCES contacts(id),
          product TEXT NOT NULL,
          module TEXT NOT NULL,
          category TEXT NOT NULL,
          service_level INTEGER CHECK (service_level BETWEEN 1 AND 5),
          status TEXT NOT NULL,
          team INTEGER NOT NULL CHECK (team IN (1, 2)),
          assignee_id TEXT REFERENCES specialists(id),
          title TEXT NOT NULL,
          description TEXT NOT NULL DEFAULT '',
          channel TEXT NOT NULL,
          billable_minutes INTEGER NOT NULL DEFAULT 0,
          billing_informed INTEGER NOT NULL DEFAULT 0,
          registered_at TEXT NOT NULL,
          handling_started_at TEXT,
          resolved_at TEXT,
          updated_at TEXT NOT NULL,
          version INTEGER NOT NULL DEFAULT 1,
          field_versions TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(field_versions))
        );
        CREATE INDEX cases_customer ON cases(customer_id);
        CREATE INDEX cases_contact ON cases(contact_id) WHERE contact_id IS NOT NULL;
        -- The bootstrap's first phase walks the open cases in number order.
        CREATE INDEX cases_open ON cases(number) WHERE status <> 'closed';
        CREATE TABLE case_events (
          id TEXT PRIMARY KEY,
          case_id TEXT NOT NULL REFERENCES cases(id),
          at TEXT NOT NULL,
          actor_id TEXT REFERENCES specialists(id),
          kind TEXT NOT NULL,
          text TEXT,
          data TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data))
        );
        CREATE INDEX case_events_case ON case_events(case_id, at);
        CREATE TABLE calls (
          id TEXT PRIMARY KEY,
          call_id TEXT NOT NULL UNIQUE,
          direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
          from_raw TEXT NOT NULL,
          from_e164 TEXT,
          to_number TEXT NOT NULL,
          option INTEGER CHECK (option IN (1, 2)),
          team INTEGER CHECK (team IN (1, 2)),
          contact_id TEXT REFERENCES contacts(id),
          customer_id TEXT REFERENCES customers(id),
          state TEXT NOT NULL CHECK (state IN ('ringing', 'answered', 'ended')),
          missed INTEGER NOT NULL DEFAULT 0,
          done INTEGER NOT NULL DEFAULT 0,
          user TEXT,
          started_at TEXT NOT NULL,
          answered_at TEXT,
          ended_at TEXT
        );
        CREATE INDEX calls_started ON calls(started_at);
        CREATE INDEX calls_from ON calls(from_e164) WHERE from_e164 IS NOT NULL;
        CREATE INDEX calls_contact ON calls(contact_id) WHERE contact_id IS NOT NULL;
        CREATE TABLE access_grants (
          id TEXT PRIMARY KEY,
          customer_id TEXT NOT NULL REFERENCES customers(id),
          kind TEXT NOT NULL CHECK (kind IN ('support', 'consultant')),
          granted_by_contact_id TEXT NOT NULL REFERENCES contacts(id),
          recorded_by TEXT REFERENCES specialists(id),
          granted_at TEXT NOT NULL,
          expires_at TEXT NOT NULL,
          revoked_at TEXT
        );
        CREATE INDEX access_grants_customer ON access_grants(customer_id);
        CREATE INDEX access_grants_contact ON access_grants(granted_by_contact_id);
        CREATE INDEX access_grants_expires ON access_grants(expires_at);
      `);
    },
  },
  {
    version: 3,
    name: 'sync bookkeeping and audit log',
    up(db) {
      db.exec(`
        -- AUTOINCREMENT: a seq is never reused, even after the newest rows are deleted.
        CREATE TABLE change_log (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          entity TEXT NOT NULL,
          entity_id TEXT NOT NULL
        );
        CREATE TABLE applied_mutations (
          client_id TEXT NOT NULL,
          mutation_id INTEGER NOT NULL,
          applied_at TEXT NOT NULL,
          PRIMARY KEY (client_id, mutation_id)
        ) WITHOUT ROWID;
        CREATE TABLE number_blocks (
          client_id TEXT NOT NULL,
          from_number INTEGER NOT NULL,
          to_number INTEGER NOT NULL,
          leased_at TEXT NOT NULL,
          PRIMARY KEY (client_id, from_number)
        ) WITHOUT ROWID;
        CREATE TABLE counters (
          name TEXT PRIMARY KEY,
          value INTEGER NOT NULL
        );
        INSERT INTO counters (name, value) VALUES ('case_number', 100001);
        CREATE TABLE audit_log (
          id INTEGER PRIMARY KEY,
          at TEXT NOT NULL,
          specialist_id TEXT REFERENCES specialists(id),
          contact_id TEXT REFERENCES contacts(id),
          action TEXT NOT NULL,
          route TEXT NOT NULL
        );
        CREATE INDEX audit_log_contact ON audit_log(contact_id, id) WHERE contact_id IS NOT NULL;
        CREATE INDEX audit_log_specialist ON audit_log(specialist_id, id);
        CREATE INDEX audit_log_at ON audit_log(at);
      `);
    },
  },
  {
    version: 4,
    name: 'when the server received an edit',
    up(db) {
      // An edit made offline is recorded at the time it was made (`at`) and received later.
      // Null where it was received when it happened, which every event before this step was.
      db.exec('ALTER TABLE case_events ADD COLUMN received_at TEXT');
    },
  },
  {
    version: 5,
    name: 'replay keys that name the specialist and the edit',
    up(db) {
      // A replay is the same specialist, desk, mutation id and edit (`body_hash`: see
      // server/sync/mutations.ts). Rows from before this step have neither: they stay replays of
      // whatever is sent under their key, as they were.
      // A desk's client id belongs to the specialist who first used it. Desks that created cases
      // before this step are given to the one specialist who registered their cases; any other
      // old id goes to whoever uses it first.
      db.exec(`
        ALTER TABLE applied_mutations ADD COLUMN specialist_id TEXT;
        ALTER TABLE applied_mutations ADD COLUMN body_hash TEXT;
        CREATE TABLE client_owners (
          client_id TEXT PRIMARY KEY,
          specialist_id TEXT NOT NULL REFERENCES specialists(id),
          since TEXT NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO client_owners (client_id, specialist_id, since)
          SELECT b.client_id, min(e.actor_id), min(b.leased_at)
          FROM number_blocks b
          JOIN cases c ON c.number BETWEEN b.from_number AND b.to_number
          JOIN case_events e ON e.case_id = c.id AND e.kind = 'created'
          WHERE e.actor_id IS NOT NULL
          GROUP BY b.client_id
          HAVING count(DISTINCT e.actor_id) = 1;
      `);
    },
  },
  {
    version: 6,
    name: 'failed logins, kept across restarts',
    up(db) {
      // One row per throttled key: a pair (account, address), an address, or an account-wide
      // lock. `account` is the e-mail as typed, lower-cased ('' for an address row); `address`
      // is the client's address as the server believes it ('' for an account row). Rows whose
      // last failure is old are purged (server/store/login-attempts.ts).
      db.exec(`
        CREATE TABLE login_attempts (
          scope TEXT NOT NULL CHECK (scope IN ('pair', 'address', 'account')),
          account TEXT NOT NULL,
          address TEXT NOT NULL,
          failures INTEGER NOT NULL,
          last_failure_at TEXT NOT NULL,
          locked_until TEXT,
          PRIMARY KEY (scope, account, address)
        ) WITHOUT ROWID;
        CREATE INDEX login_attempts_last_failure ON login_attempts(last_failure_at);
      `);
    },
  },
  {
    version: 7,
    name: 'accounts: password changes, one-time resets, two-factor, session activity',
    up(db) {
      db.exec(`
        -- Set by a one-time reset and for the first admin's generated password: until the
        -- specialist chooses a password, a session opens only the password route.
        ALTER TABLE specialists ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE specialists ADD COLUMN password_changed_at TEXT;
        -- A public id (to list and revoke), when it was last used (written at most once a
        -- minute), where from, and whether a second factor was passed in it.
        ALTER TABLE sessions ADD COLUMN id TEXT;
        ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;
        ALTER TABLE sessions ADD COLUMN address TEXT;
        ALTER TABLE sessions ADD COLUMN user_agent TEXT;
        ALTER TABLE sessions ADD COLUMN two_factor_at TEXT;
        UPDATE sessions SET id = lower(hex(randomblob(16))), last_seen_at = created_at;
        CREATE UNIQUE INDEX sessions_id ON sessions(id);
        -- TOTP: the secret (enabled_at null while enrolment awaits its first code) and the last
        -- time step accepted, so no code is accepted twice.
        CREATE TABLE two_factor (
          specialist_id TEXT PRIMARY KEY REFERENCES specialists(id) ON DELETE CASCADE,
          secret TEXT NOT NULL,
          created_at TEXT NOT NULL,
          enabled_at TEXT,
          last_time_step INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE recovery_codes (
          specialist_id TEXT NOT NULL REFERENCES specialists(id) ON DELETE CASCADE,
          code_hash TEXT NOT NULL,
          used_at TEXT,
          PRIMARY KEY (specialist_id, code_hash)
        ) WITHOUT ROWID;
        -- One pending one-time reset per account, kept only as a hash.
        CREATE TABLE password_resets (
          specialist_id TEXT PRIMARY KEY REFERENCES specialists(id) ON DELETE CASCADE,
          code_hash TEXT NOT NULL,
          issued_by TEXT REFERENCES specialists(id),
          issued_at TEXT NOT NULL,
          expires_at TEXT NOT NULL
        );
      `);
    },
  },
  {
    version: 8,
    name: 'what an audited action was about, and the server\'s own remembered facts',
    up(db) {
      db.exec(`
        -- Admin actions are about an account (target_id, a specialist) and say what changed
        -- (detail, a JSON object: fields before and after, counts). Null for plain reads.
        ALTER TABLE audit_log ADD COLUMN target_id TEXT;
        ALTER TABLE audit_log ADD COLUMN detail TEXT CHECK (detail IS NULL OR json_valid(detail));
        CREATE INDEX audit_log_target ON audit_log(target_id, id) WHERE target_id IS NOT NULL;
        -- Facts the server compares at start, such as a salted hash of the phone-switch token
        -- (a changed token is audited).
        CREATE TABLE server_state (
          name TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 9,
    name: 'wrong second-factor codes are counted in login_attempts (scope code)',
    up(db) {
      // SQLite cannot change a CHECK constraint in place: the table is rebuilt with its rows.
      db.exec(`
        CREATE TABLE login_attempts_new (
          scope TEXT NOT NULL CHECK (scope IN ('pair', 'address', 'account', 'code')),
          account TEXT NOT NULL,
          address TEXT NOT NULL,
          failures INTEGER NOT NULL,
          last_failure_at TEXT NOT NULL,
          locked_until TEXT,
          PRIMARY KEY (scope, account, address)
        ) WITHOUT ROWID;
        INSERT INTO login_attempts_new SELECT scope, account, address, failures, last_failure_at, locked_until FROM login_attempts;
        DROP TABLE login_attempts;
        ALTER TABLE login_attempts_new RENAME TO login_attempts;
        CREATE INDEX login_attempts_last_failure ON login_attempts(last_failure_at);
      `);
    },
  },
  {
    version: 10,
    name: 'the caller log: who marked a call done and when; calls by team and time, open missed calls',
    up(db) {
      db.exec(`
        ALTER TABLE calls ADD COLUMN done_by TEXT REFERENCES specialists(id);
        ALTER TABLE calls ADD COLUMN done_at TEXT;
        CREATE INDEX calls_team_started ON calls(team, started_at);
        CREATE INDEX calls_open_missed ON calls(started_at) WHERE missed = 1 AND done = 0;
      `);
    },
  },
  {
    version: 11,
    name: 'a specialist\'s phone extension, unique among active specialists',
    up(db) {
      db.exec(`
        -- The extension the phone switch names as answeringNumber when this specialist answers.
        ALTER TABLE specialists ADD COLUMN extension TEXT;
        CREATE UNIQUE INDEX specialists_extension ON specialists(extension) WHERE active = 1 AND extension IS NOT NULL;
      `);
    },
  },
  {
    version: 12,
    name: 'the e-mail channel: mail received and sent, where each mailbox was read to, the review list, the outgoing queue',
    up(db) {
      db.exec(`
        -- Every mail received or sent, once by its Message-ID (without the angle brackets).
        CREATE TABLE mail_messages (
          id TEXT PRIMARY KEY,
          message_id TEXT NOT NULL UNIQUE,
          direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
          office TEXT NOT NULL CHECK (office IN ('SE', 'FI')),
          mailbox TEXT NOT NULL,
          case_id TEXT REFERENCES cases(id),
          event_id TEXT,
          from_address TEXT,
          from_name TEXT,
          to_address TEXT,
          subject TEXT NOT NULL DEFAULT '',
          text TEXT NOT NULL DEFAULT '',
          html TEXT,
          in_reply_to TEXT,
          refs TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(refs)),
          auto_kind TEXT,
          raw_hash TEXT,
          size INTEGER NOT NULL DEFAULT 0,
          attachment_count INTEGER NOT NULL DEFAULT 0,
          at TEXT NOT NULL
        );
        CREATE INDEX mail_messages_case ON mail_messages(case_id) WHERE case_id IS NOT NULL;
        -- How far each mailbox has been read: the UID of the last message processed under UIDVALIDITY.
        CREATE TABLE mail_cursors (
          mailbox TEXT PRIMARY KEY,
          uid_validity TEXT NOT NULL,
          last_uid INTEGER NOT NULL
        ) WITHOUT ROWID;
        -- Mail that did not become (part of) a case by itself, for a person of the office to judge.
        CREATE TABLE mail_review (
          id TEXT PRIMARY KEY,
          mail_id TEXT NOT NULL UNIQUE REFERENCES mail_messages(id),
          office TEXT NOT NULL CHECK (office IN ('SE', 'FI')),
          reason TEXT NOT NULL,
          case_number INTEGER,
          state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'linked', 'dismissed')),
          received_at TEXT NOT NULL,
          resolved_by TEXT REFERENCES specialists(id),
          resolved_at TEXT,
          case_id TEXT REFERENCES cases(id)
        );
        CREATE INDEX mail_review_open ON mail_review(office, received_at) WHERE state = 'open';
        -- The outgoing queue: automatic replies and specialists' replies, sent at least once.
        CREATE TABLE mail_outbox (
          id TEXT PRIMARY KEY,
          mail_id TEXT NOT NULL UNIQUE REFERENCES mail_messages(id),
          event_id TEXT,
          auto INTEGER NOT NULL DEFAULT 0,
          from_address TEXT NOT NULL,
          to_address TEXT NOT NULL,
          subject TEXT NOT NULL,
          text TEXT NOT NULL,
          message_id TEXT NOT NULL,
          in_reply_to TEXT,
          refs TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(refs)),
          headers TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(headers)),
          attachment_ids TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(attachment_ids)),
          state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
          attempts INTEGER NOT NULL DEFAULT 0,
          next_at TEXT NOT NULL,
          created_at TEXT NOT NULL,
          sent_at TEXT,
          error TEXT
        );
        CREATE INDEX mail_outbox_due ON mail_outbox(next_at) WHERE state IN ('queued', 'sending');
        CREATE INDEX mail_outbox_auto ON mail_outbox(to_address, created_at) WHERE auto = 1;
        -- A sender is matched to a contact by address, whatever its case.
        CREATE INDEX contacts_email ON contacts(email COLLATE NOCASE) WHERE email IS NOT NULL AND anonymised_at IS NULL;
      `);
    },
  },
  {
    version: 13,
    name: 'attachments: files on notes and mails, stored once by content hash',
    up(db) {
      db.exec(`
        -- The bytes are a file named by sha256 under <data>/attachments/ (store/attachments.ts).
        CREATE TABLE attachments (
          id TEXT PRIMARY KEY,
          sha256 TEXT NOT NULL,
          size INTEGER NOT NULL,
          content_type TEXT NOT NULL,
          name TEXT NOT NULL,
          -- NULL only for a file of a mail waiting in the review list (no case yet).
          case_id TEXT REFERENCES cases(id),
          -- The note or mail it is on; NULL until the note naming it is saved.
          event_id TEXT,
          -- The inbound mail it came with, and the person who sent it (GDPR export, anonymisation).
          mail_id TEXT,
          contact_id TEXT REFERENCES contacts(id),
          uploaded_by TEXT REFERENCES specialists(id),
          created_at TEXT NOT NULL
        );
        CREATE INDEX attachments_case ON attachments(case_id);
        CREATE INDEX attachments_event ON attachments(event_id) WHERE event_id IS NOT NULL;
        CREATE INDEX attachments_sha256 ON attachments(sha256);
        CREATE INDEX attachments_contact ON attachments(contact_id) WHERE contact_id IS NOT NULL;
      `);
    },
  },
  {
    version: 14,
    name: 'answers: reply templates (a team\'s or one specialist\'s) and knowledge-base articles',
    up(db) {
      db.exec(`
        -- A team's template has a team and no owner; a personal one an owner and no team.
        CREATE TABLE reply_templates (
          id TEXT PRIMARY KEY,
          language TEXT NOT NULL CHECK (language IN ('sv', 'fi')),
          team INTEGER CHECK (team IN (1, 2)),
          owner_id TEXT REFERENCES specialists(id),
          title TEXT NOT NULL,
          body TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          updated_by TEXT NOT NULL REFERENCES specialists(id),
          deleted_at TEXT,
          CHECK ((team IS NULL) <> (owner_id IS NULL))
        );
        CREATE INDEX reply_templates_owner ON reply_templates(owner_id) WHERE owner_id IS NOT NULL;
        CREATE TABLE kb_articles (
          id TEXT PRIMARY KEY,
          language TEXT NOT NULL CHECK (language IN ('sv', 'fi')),
          module TEXT NOT NULL,
          title TEXT NOT NULL,
          body TEXT NOT NULL,
          public INTEGER NOT NULL DEFAULT 0,
          updated_at TEXT NOT NULL,
          updated_by TEXT NOT NULL REFERENCES specialists(id),
          deleted_at TEXT
        );
      `);
    },
  },
  {
    version: 15,
    name: 'mail: the Cc of received mail (anonymising finds a person there too), and failures of the intake per message counted across restarts',
    up(db) {
      db.exec(`
        -- One row per message (mailbox key, UIDVALIDITY, UID) the intake failed on; see server/mail/intake.ts failed().
        CREATE TABLE mail_failures (
          mailbox TEXT NOT NULL,
          uid_validity TEXT NOT NULL,
          uid INTEGER NOT NULL,
          failures INTEGER NOT NULL,
          last_error TEXT NOT NULL,
          last_at TEXT NOT NULL,
          PRIMARY KEY (mailbox, uid_validity, uid)
        ) WITHOUT ROWID;
        -- The Cc addresses of a received mail, ', '-separated like to_address.
        ALTER TABLE mail_messages ADD COLUMN cc_address TEXT;
      `);
    },
  },
  {
    version: 16,
    name: 'calendar exceptions and SLA escalation',
    up: (db) => {
      db.exec(`
        -- An office's extra closed day or early closing; removed ones stay as tombstones for the feed.
        CREATE TABLE calendar_exceptions (
          id TEXT PRIMARY KEY,
          office TEXT NOT NULL CHECK (office IN ('SE', 'FI')),
          date TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('closed', 'closesEarly')),
          closes_at TEXT,
          note TEXT NOT NULL DEFAULT '',
          created_at TEXT NOT NULL,
          created_by TEXT NOT NULL REFERENCES specialists(id),
          deleted_at TEXT,
          deleted_by TEXT REFERENCES specialists(id)
        );
        CREATE INDEX calendar_exceptions_office ON calendar_exceptions(office, date);
        -- One row: the lead's escalation settings (NULL: the defaults) and when escalation began.
        CREATE TABLE escalation_state (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          settings TEXT CHECK (settings IS NULL OR json_valid(settings)),
          updated_at TEXT,
          updated_by TEXT REFERENCES specialists(id),
          started_at TEXT NOT NULL
        );
        -- Every escalation point sent (or passed over for a later one): never twice, also across a restart.
        CREATE TABLE escalations_sent (
          case_id TEXT NOT NULL REFERENCES cases(id),
          deadline TEXT NOT NULL,
          point TEXT NOT NULL,
          deadline_at TEXT NOT NULL,
          sent_at TEXT NOT NULL,
          event_id TEXT,
          PRIMARY KEY (case_id, deadline, point, deadline_at)
        ) WITHOUT ROWID;
        -- The escalation index starts from the open cases with a service level.
        CREATE INDEX cases_open_sla ON cases(id) WHERE status <> 'closed' AND service_level IS NOT NULL AND resolved_at IS NULL;
      `);
    },
  },
  {
    version: 17,
    name: 'reports: cases by registration time, call backs by the call they answer',
    up(db) {
      db.exec(`
        -- The reports read the cases registered in a period (by channel, the SLA kept) in one
        -- ordered pass that never visits the table: the index holds every column they read.
        CREATE INDEX cases_report ON cases(registered_at, customer_id, team, channel, category, service_level, handling_started_at, resolved_at);
        -- The backlog: open cases by team, category and age, likewise from the index alone.
        CREATE INDEX cases_open_report ON cases(customer_id, team, category, registered_at) WHERE status <> 'closed';
        -- The calls report finds a missed call's first call back (a call event naming it).
        CREATE INDEX case_events_call ON case_events(json_extract(data, '$.callId'), at) WHERE kind = 'call';
      `);
    },
  },
  {
    version: 18,
    name: 'the digital customer centre: SuperUsers\' accounts, their one-time links and their own sessions',
    up(db) {
      db.exec(`
        -- One account per contact (a SuperUser a lead invited); no password until the invitation's link is used.
        CREATE TABLE centre_accounts (
          contact_id TEXT PRIMARY KEY REFERENCES contacts(id),
          email TEXT NOT NULL COLLATE NOCASE UNIQUE,
          password_hash TEXT,
          invited_by TEXT REFERENCES specialists(id),
          created_at TEXT NOT NULL,
          password_changed_at TEXT
        );
        -- Invitation and reset links: only a SHA-256 of the token, single use, expiring.
        CREATE TABLE centre_tokens (
          token_hash TEXT PRIMARY KEY,
          contact_id TEXT NOT NULL REFERENCES centre_accounts(contact_id),
          kind TEXT NOT NULL CHECK (kind IN ('invite', 'reset')),
          created_at TEXT NOT NULL,
          expires_at TEXT NOT NULL,
          used_at TEXT
        ) WITHOUT ROWID;
        CREATE INDEX centre_tokens_contact ON centre_tokens(contact_id, created_at);
        -- Customers' sessions, apart from the specialists' (a token opens one kind of route only).
        CREATE TABLE centre_sessions (
          token_hash TEXT PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          contact_id TEXT NOT NULL REFERENCES centre_accounts(contact_id),
          created_at TEXT NOT NULL,
          expires_at TEXT NOT NULL,
          last_seen_at TEXT NOT NULL,
          address TEXT,
          user_agent TEXT
        ) WITHOUT ROWID;
        CREATE INDEX centre_sessions_contact ON centre_sessions(contact_id);
      `);
    },
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export class DatabaseFromTheFutureError extends Error {
  constructor(found: number, supported: number) {
    super(
      `This database has schema version ${found}, but this server only knows versions up to ${supported}. ` +
        'It was written by a newer Desk server: run that version (or restore a backup) instead of downgrading.',
    );
    this.name = 'DatabaseFromTheFutureError';
  }
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings the database up to `target` (default: the newest step), one transaction per step. */
export function migrate(db: Database.Database, target = LATEST_SCHEMA_VERSION, migrations: readonly Migration[] = MIGRATIONS): void {
  const current = schemaVersion(db);
  const supported = migrations[migrations.length - 1]?.version ?? 0;
  if (current > supported) throw new DatabaseFromTheFutureError(current, supported);
  for (const step of migrations) {
    if (step.version <= current || step.version > target) continue;
    db.transaction(() => {
      step.up(db);
      // user_version lives in the database header, which is part of the transaction.
      db.pragma(`user_version = ${step.version}`);
    })();
  }
}
