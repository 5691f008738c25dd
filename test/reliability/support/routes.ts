/**
 * Every route of the contract (shared/api.ts ROUTES), with its methods and who may call it.
 * Typed as a record over the keys of ROUTES, so a route added to the contract does not compile
 * here until it is classified; the auth test also probes the server for methods not listed.
 */
import type Database from 'better-sqlite3';
import { ROUTES } from '../../../shared/api';

export type Access =
  /** No credentials at all. */
  | 'public'
  /** The phone switch: the secret is part of the URL. */
  | 'secret-url'
  /** Any logged-in specialist. */
  | 'token'
  | 'lead'
  /** A customer signed in to the customer centre (no specialist's token opens it). */
  | 'customer';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Real ids of the running server's data, for paths that name something. */
export interface Fixtures {
  caseNumber: number;
  caseId: string;
  callId: string;
  specialistId: string;
  contactId: string;
  ctiToken: string;
  /** A mail event with an HTML part, and three open review items (link, contact, dismiss); placeholders where the store has none. */
  mailEventId: string;
  reviewIds: [link: string, contact: string, dismiss: string];
  /** The customer of `contactId`. */
  customerId: string;
}

export interface RouteSpec {
  key: keyof typeof ROUTES;
  method: Method;
  access: Access;
  /** Succeeding changes data tables (not only the audit log or the sessions). */
  writes: boolean;
  path(f: Fixtures): string;
}

type Table = Record<keyof typeof ROUTES, Array<Omit<RouteSpec, 'key' | 'path'>>>;

const TABLE: Table = {
  health: [{ method: 'GET', access: 'public', writes: false }],
  login: [{ method: 'POST', access: 'public', writes: false }],
  loginCode: [{ method: 'POST', access: 'public', writes: false }],
  logout: [{ method: 'POST', access: 'token', writes: false }],
  // The specialist's own account: password, two-factor, sessions (tables of accounts, not data).
  password: [{ method: 'POST', access: 'token', writes: true }],
  account: [{ method: 'GET', access: 'token', writes: false }],
  twoFactorSetup: [{ method: 'POST', access: 'token', writes: true }],
  twoFactorConfirm: [{ method: 'POST', access: 'token', writes: true }],
  twoFactorDisable: [{ method: 'POST', access: 'token', writes: true }],
  sessions: [{ method: 'GET', access: 'token', writes: false }],
  sessionRevoke: [{ method: 'POST', access: 'token', writes: false }],
  passwordReset: [{ method: 'POST', access: 'lead', writes: true }],
  me: [{ method: 'GET', access: 'token', writes: false }],
  bootstrap: [{ method: 'GET', access: 'token', writes: false }],
  changes: [{ method: 'GET', access: 'token', writes: false }],
  push: [{ method: 'POST', access: 'token', writes: true }],
  numbers: [{ method: 'POST', access: 'token', writes: true }],
  // A plain GET is answered 426; the socket authenticates with its first message (tested apart).
  live: [{ method: 'GET', access: 'public', writes: false }],
  caseByNumber: [{ method: 'GET', access: 'token', writes: false }],
  caseEvents: [{ method: 'GET', access: 'token', writes: false }],
  phoneLookup: [{ method: 'GET', access: 'token', writes: false }],
  customerSearch: [{ method: 'GET', access: 'token', writes: false }],
  calls: [{ method: 'GET', access: 'token', writes: false }],
  callDone: [{ method: 'POST', access: 'token', writes: true }],
  cti: [{ method: 'POST', access: 'secret-url', writes: true }],
  specialists: [
    { method: 'GET', access: 'token', writes: false },
    { method: 'POST', access: 'lead', writes: true },
  ],
  specialist: [{ method: 'PATCH', access: 'lead', writes: true }],
  audit: [{ method: 'GET', access: 'lead', writes: false }],
  gdprContact: [
    { method: 'GET', access: 'token', writes: false },
    { method: 'PATCH', access: 'token', writes: true },
  ],
  gdprExport: [{ method: 'GET', access: 'token', writes: false }],
  gdprAnonymise: [{ method: 'POST', access: 'lead', writes: true }],
  gdprAccessLog: [{ method: 'GET', access: 'lead', writes: false }],
  // The specialist's own extension on the phone switch.
  profile: [{ method: 'POST', access: 'token', writes: true }],
  // Files on notes: the upload (raw bytes, headers name the case) and the download.
  attachments: [{ method: 'POST', access: 'token', writes: true }],
  attachment: [{ method: 'GET', access: 'token', writes: false }],
  // The mail channel: a mail's HTML part and the office's review list.
  mailHtml: [{ method: 'GET', access: 'token', writes: false }],
  mailReview: [{ method: 'GET', access: 'token', writes: false }],
  mailReviewLink: [{ method: 'POST', access: 'token', writes: true }],
  mailReviewContact: [{ method: 'POST', access: 'token', writes: true }],
  mailReviewDismiss: [{ method: 'POST', access: 'token', writes: true }],
  // The lead's customer register and its import (a dry run writes nothing; the walk sends one).
  customers: [{ method: 'POST', access: 'lead', writes: true }],
  customer: [{ method: 'PATCH', access: 'lead', writes: true }],
  customerContacts: [{ method: 'POST', access: 'lead', writes: true }],
  contact: [{ method: 'PATCH', access: 'lead', writes: true }],
  customerImport: [{ method: 'POST', access: 'lead', writes: true }],
  gdprSearch: [{ method: 'GET', access: 'lead', writes: false }],
  gdprAnonymisePreview: [{ method: 'GET', access: 'lead', writes: false }],
  gdprExportZip: [{ method: 'GET', access: 'lead', writes: false }],
  // The lead's reports (aggregates; the read is audited).
  report: [{ method: 'GET', access: 'lead', writes: false }],
  // The customer centre: a lead's invitation, the customer's account (public), the customer's own routes.
  centreInvitations: [{ method: 'POST', access: 'lead', writes: true }],
  centreLogin: [{ method: 'POST', access: 'public', writes: false }],
  centreLogout: [{ method: 'POST', access: 'customer', writes: false }],
  centrePassword: [{ method: 'POST', access: 'public', writes: true }],
  centreReset: [{ method: 'POST', access: 'public', writes: true }],
  centreMe: [{ method: 'GET', access: 'customer', writes: false }],
  centreCases: [
    { method: 'GET', access: 'customer', writes: false },
    { method: 'POST', access: 'customer', writes: true },
  ],
  centreCase: [{ method: 'GET', access: 'customer', writes: false }],
  centreReplies: [{ method: 'POST', access: 'customer', writes: true }],
  // SLA escalation settings and the offices' calendar exceptions (every desk reads those).
  escalationSettings: [
    { method: 'GET', access: 'lead', writes: false },
    { method: 'PUT', access: 'lead', writes: true },
  ],
  calendarExceptions: [
    { method: 'GET', access: 'token', writes: false },
    { method: 'POST', access: 'lead', writes: true },
  ],
  calendarException: [{ method: 'DELETE', access: 'lead', writes: true }],
  // The customer centre's support logins.
  centreGrants: [
    { method: 'GET', access: 'customer', writes: false },
    { method: 'POST', access: 'customer', writes: true },
  ],
  centreGrant: [{ method: 'DELETE', access: 'customer', writes: true }],
  // The customer centre's questions and answers: public articles only, read.
  centreArticles: [{ method: 'GET', access: 'customer', writes: false }],
  centreArticle: [{ method: 'GET', access: 'customer', writes: false }],
  // The customer centre's files: a customer's upload, and a file of the company's own case.
  centreUploads: [{ method: 'POST', access: 'customer', writes: true }],
  centreFile: [{ method: 'GET', access: 'customer', writes: false }],
  // The customer centre's account page (own sessions, password) and its live socket (the token is its first message).
  centreSessions: [
    { method: 'GET', access: 'customer', writes: false },
    { method: 'DELETE', access: 'customer', writes: false },
  ],
  centreSession: [{ method: 'DELETE', access: 'customer', writes: false }],
  centreChangePassword: [{ method: 'POST', access: 'customer', writes: true }],
  centreLive: [{ method: 'GET', access: 'public', writes: false }],
};

/** The concrete path of a route: parameterised routes are functions in ROUTES. */
function pathOf(key: keyof typeof ROUTES, f: Fixtures): string {
  const route = ROUTES[key];
  if (typeof route === 'string') return route;
  switch (key) {
    case 'caseByNumber':
      return ROUTES.caseByNumber(f.caseNumber);
    case 'caseEvents':
      return ROUTES.caseEvents(f.caseId);
    case 'callDone':
      return ROUTES.callDone(f.callId);
    case 'cti':
      return ROUTES.cti(f.ctiToken);
    case 'specialist':
      return ROUTES.specialist(f.specialistId);
    case 'passwordReset':
      return ROUTES.passwordReset(f.specialistId);
    case 'mailHtml':
      return ROUTES.mailHtml(f.mailEventId);
    case 'mailReviewLink':
      return ROUTES.mailReviewLink(f.reviewIds[0]);
    case 'mailReviewContact':
      return ROUTES.mailReviewContact(f.reviewIds[1]);
    case 'mailReviewDismiss':
      return ROUTES.mailReviewDismiss(f.reviewIds[2]);
    case 'customer':
      return ROUTES.customer(f.customerId);
    case 'customerContacts':
      return ROUTES.customerContacts(f.customerId);
    case 'report':
      return ROUTES.report('sla');
    case 'centreCase':
      return ROUTES.centreCase(f.caseId);
    case 'centreReplies':
      return ROUTES.centreReplies(f.caseId);
    case 'calendarException':
      return ROUTES.calendarException('no-such-exception');
    case 'centreGrant':
      return ROUTES.centreGrant('no-such-grant');
    case 'centreArticle':
      return ROUTES.centreArticle('no-such-article');
    case 'centreSession':
      // A well-formed id of no session.
      return ROUTES.centreSession('0'.repeat(32));
    case 'sessionRevoke':
      // A well-formed id of no session.
      return ROUTES.sessionRevoke('0'.repeat(32));
    case 'centreFile':
      return ROUTES.centreFile('no-such-file');
    default:
      return (route as (id: string) => string)(f.contactId);
  }
}

export const ROUTE_SPECS: RouteSpec[] = (Object.keys(TABLE) as Array<keyof typeof ROUTES>).flatMap((key) =>
  TABLE[key].map((spec) => ({ ...spec, key, path: (f: Fixtures) => pathOf(key, f) })),
);

/** Path patterns (as the server registers them): every parameter replaced by a fixed placeholder. */
export const PLACEHOLDER_FIXTURES: Fixtures = {
  caseNumber: 123456,
  caseId: 'no-such-case',
  callId: 'no-such-call',
  specialistId: 'no-such-specialist',
  contactId: 'no-such-contact',
  ctiToken: 'not-the-token',
  mailEventId: 'no-such-event',
  reviewIds: ['no-such-review', 'no-such-review', 'no-such-review'],
  customerId: 'no-such-customer',
};

/** Ids from a server's store: a case with a contact, a call, a specialist, a contact with a phone. */
export function fixturesOf(db: Database.Database, ctiToken: string): Fixtures {
  const one = <T>(sql: string): T => {
    const row = db.prepare<[], T>(sql).get();
    if (row === undefined) throw new Error(`no fixture for ${sql}`);
    return row;
  };
  const contact = one<{ id: string; customer_id: string }>('SELECT id, customer_id FROM contacts WHERE phone IS NOT NULL AND anonymised_at IS NULL ORDER BY id LIMIT 1');
  const kase = one<{ id: string; number: number }>('SELECT id, number FROM cases WHERE contact_id IS NOT NULL ORDER BY number LIMIT 1');
  return {
    caseNumber: kase.number,
    caseId: kase.id,
    callId: one<{ id: string }>('SELECT id FROM calls ORDER BY started_at LIMIT 1').id,
    specialistId: one<{ id: string }>(`SELECT id FROM specialists WHERE role = 'specialist' ORDER BY id LIMIT 1`).id,
    contactId: one<{ id: string }>('SELECT id FROM contacts WHERE phone IS NOT NULL AND anonymised_at IS NULL ORDER BY id LIMIT 1').id,
    ctiToken,
    mailEventId: db.prepare<[], string>('SELECT event_id FROM mail_messages WHERE event_id IS NOT NULL AND html IS NOT NULL ORDER BY rowid LIMIT 1').pluck().get() ?? PLACEHOLDER_FIXTURES.mailEventId,
    reviewIds: [0, 1, 2].map(
      (i) => db.prepare<[number], string>(`SELECT id FROM mail_review WHERE state = 'open' ORDER BY rowid LIMIT 1 OFFSET ?`).pluck().get(i) ?? 'no-such-review',
    ) as Fixtures['reviewIds'],
    customerId: contact.customer_id,
  };
}
