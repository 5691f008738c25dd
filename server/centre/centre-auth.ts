/**
 * The customer centre's accounts and sessions: a lead invites a SuperUser contact by e-mail, the
 * link (single use, expiring, stored as a hash) sets the password, a forgotten password is reset
 * by another such link. Logins are throttled by the desk's own throttle (keys of their own) and
 * passwords follow the desk's rules. Sessions live in their own table and their tokens carry
 * `CENTRE_TOKEN_PREFIX`, so a customer's token opens no specialist route and the other way round.
 */
import { randomBytes } from 'node:crypto';
import type { AuditActionName } from '../../shared/admin';
import type { Contact, Customer } from '../../shared/contract';
import {
  CENTRE_INVITE_HOURS,
  CENTRE_RESET_MINUTES,
  CENTRE_RESETS_PER_HOUR,
  CENTRE_TOKEN_PREFIX,
  centreLinkMail,
  type CentreMe,
  type CentreSession,
} from '../../shared/centre';
import { centrePasswordChangedMail } from '../../shared/centreAccount';
import { officeLanguage } from '../../shared/mail';
import { HttpError, ThrottledError } from '../http/errors';
import { newMessageId } from '../mail/message-id';
import type { Store } from '../store/store';
import { LoginThrottle, type ThrottleOptions } from '../auth/login-throttle';
import { assertStrongPassword } from '../auth/password-rules';
import { dummyPasswordHash, hashPassword, sha256, verifyPassword } from '../auth/passwords';

export interface CentreAuthOptions {
  sessionTtlMs: number;
  idleMs: number;
  throttle: ThrottleOptions;
  /** The centre's public address, for the links in mails (`DESK_CENTRE_URL`), ending in `/`. */
  centreUrl: () => string;
  /** The address a mail to a customer of this office comes from (the office's mailbox). */
  fromAddress: (office: Customer['country']) => string;
  now: () => Date;
}

/** A customer's signed-in session: the SuperUser and their company. */
export interface CentreAuthSession {
  tokenHash: string;
  id: string;
  expiresAt: string;
  contact: Contact;
  customer: Customer;
}

/** The audit log's names for the centre's account events. */
export const CENTRE_AUDIT = {
  invited: 'centre_invite',
  passwordSet: 'centre_password_set',
  resetRequested: 'centre_reset_requested',
  login: 'centre_login',
  loginFailed: 'centre_login_failed',
  loginThrottled: 'centre_login_throttled',
  logout: 'centre_logout',
  passwordChanged: 'centre_password_changed',
  passwordChangeFailed: 'centre_password_change_failed',
  passwordChangeThrottled: 'centre_password_change_throttled',
  sessionsViewed: 'centre_sessions',
  sessionEnded: 'centre_session_end',
  otherSessionsEnded: 'centre_sessions_end_others',
} as const satisfies Record<string, AuditActionName>;

const HOUR_MS = 3_600_000;
/** Throttle keys of the centre's logins: never the same rows as a specialist with the same address. */
const throttleKey = (email: string): string => `centre:${email.trim().toLowerCase()}`;

/** Whether the contact may hold a centre account: a SuperUser of the company, not anonymised, with an address. */
export function mayUseCentre(contact: Contact | null): contact is Contact & { email: string } {
  return contact !== null && contact.superUser && contact.anonymisedAt === null && contact.email !== null;
}

export class CentreAuth {
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly store: Store,
    private readonly options: CentreAuthOptions,
  ) {
    this.throttle = new LoginThrottle(store, options.throttle);
  }

  /**
   * A lead invites a SuperUser: the account (if new), a fresh invitation link (earlier ones end),
   * and the mail through the outgoing queue, in the customer's language. In one transaction.
   */
  invite(contactId: string, leadId: string, route: string): { contactId: string; email: string; expiresAt: string } {
    const now = this.options.now();
    const at = now.toISOString();
    const contact = this.store.contacts.get(contactId);
    if (!contact) throw new HttpError(404, 'not_found', 'contact not found', 'contactId');
    if (!mayUseCentre(contact)) {
      if (contact.email === null || contact.anonymisedAt !== null) throw new HttpError(400, 'no_email', 'the contact has no e-mail address to invite', 'contactId');
      throw new HttpError(400, 'not_superuser', 'only a SuperUser of the customer can get a customer centre account', 'contactId');
    }
    const customer = this.customerOf(contact);
    const taken = this.store.centre.byAddress(contact.email);
    if (taken && taken.contactId !== contact.id) throw new HttpError(409, 'email_in_use', 'another SuperUser has a centre account with this e-mail address', 'contactId');
    const expiresAt = new Date(now.getTime() + CENTRE_INVITE_HOURS * HOUR_MS).toISOString();
    this.store.transaction(() => {
      this.store.centre.ensure(contact.id, contact.email, leadId, at);
      this.issueLink(contact, customer, 'invite', expiresAt);
      this.store.audit.recordAction({ at, specialistId: leadId, action: CENTRE_AUDIT.invited, route, contactId: contact.id, targetId: contact.id });
    });
    return { contactId: contact.id, email: contact.email, expiresAt };
  }

  /**
   * A forgotten password: a reset link to the account's address, at most a few an hour. The
   * answer is the same whether or not the address has an account (nothing to learn from it).
   */
  requestReset(email: string, route: string): void {
    const now = this.options.now();
    const account = this.store.centre.byAddress(email);
    if (!account) return;
    const contact = this.store.contacts.get(account.contactId);
    if (!mayUseCentre(contact)) return;
    const since = new Date(now.getTime() - HOUR_MS).toISOString();
    if (this.store.centre.tokensSince(contact.id, 'reset', since) >= CENTRE_RESETS_PER_HOUR) return;
    const customer = this.customerOf(contact);
    const expiresAt = new Date(now.getTime() + CENTRE_RESET_MINUTES * 60_000).toISOString();
    this.store.transaction(() => {
      this.issueLink(contact, customer, 'reset', expiresAt);
      this.store.audit.recordAction({ at: now.toISOString(), specialistId: null, action: CENTRE_AUDIT.resetRequested, route, contactId: contact.id, targetId: contact.id });
    });
  }

  /** The link's token is used up, the password set (the desk's rules), other sessions end, and a session opens. */
  async setPassword(token: string, password: string, client: { address: string; userAgent: string | null }, route: string): Promise<CentreSession> {
    const tokenHash = sha256(token);
    // The strength is checked before the link is used: a weak password does not waste it.
    const pending = this.store.centre.pendingLink(tokenHash, this.options.now().toISOString());
    if (!pending) throw new HttpError(400, 'link_invalid', 'the link is used, expired or not valid: ask for a new one', 'token');
    const contact = this.store.contacts.get(pending.contactId);
    if (!mayUseCentre(contact)) throw new HttpError(400, 'link_invalid', 'the link is used, expired or not valid: ask for a new one', 'token');
    assertStrongPassword(password, 'password', [contact.name, contact.email]);
    const hash = await hashPassword(password);
    const now = this.options.now();
    const at = now.toISOString();
    return this.store.transaction(() => {
      const used = this.store.centre.useLink(tokenHash, at);
      if (!used || used.contactId !== contact.id) throw new HttpError(400, 'link_invalid', 'the link is used, expired or not valid: ask for a new one', 'token');
      this.store.centre.setPassword(contact.id, hash, at);
      this.store.centre.endSessionsOf(contact.id);
      this.store.audit.recordAction({ at, specialistId: null, action: CENTRE_AUDIT.passwordSet, route, contactId: contact.id, targetId: contact.id, detail: { link: used.kind } });
      return this.openSession(contact, client, now);
    });
  }

  /** E-mail and password, throttled like the desk's login; a session or a 401 (429 when throttled). */
  async login(email: string, password: string, client: { address: string; userAgent: string | null }, route: string): Promise<CentreSession> {
    const key = throttleKey(email);
    try {
      this.throttle.check(key, client.address, this.options.now());
    } catch (error) {
      if (error instanceof ThrottledError) this.audit(null, CENTRE_AUDIT.loginThrottled, route);
      throw error;
    }
    const account = this.store.centre.byAddress(email);
    const ok = await verifyPassword(password, account?.passwordHash ?? (await dummyPasswordHash()));
    const now = this.options.now();
    this.throttle.check(key, client.address, now);
    const contact = account ? this.store.contacts.get(account.contactId) : null;
    if (!account || account.passwordHash === null || !ok || !mayUseCentre(contact)) {
      this.throttle.fail(key, client.address, now);
      this.audit(account?.contactId ?? null, CENTRE_AUDIT.loginFailed, route);
      throw new HttpError(401, 'invalid_credentials', 'wrong e-mail or password');
    }
    this.throttle.succeed(key, client.address, now);
    this.audit(contact.id, CENTRE_AUDIT.login, route);
    return this.openSession(contact, client, now);
  }

  /** The session of a customer's bearer token, or null (unknown, expired, idle, or no longer a SuperUser). */
  authenticate(token: string): CentreAuthSession | null {
    if (!token.startsWith(CENTRE_TOKEN_PREFIX)) return null;
    const now = this.options.now();
    const tokenHash = sha256(token);
    const row = this.store.centre.session(tokenHash, now.toISOString());
    if (!row) return null;
    if (now.getTime() - Date.parse(row.lastSeenAt) >= this.options.idleMs) {
      this.store.centre.endSession(tokenHash);
      return null;
    }
    const contact = this.store.contacts.get(row.contactId);
    if (!mayUseCentre(contact)) return null;
    const customer = this.store.customers.get(contact.customerId);
    if (!customer) return null;
    if (now.getTime() - Date.parse(row.lastSeenAt) >= 60_000) this.store.centre.touch(tokenHash, now.toISOString());
    return { tokenHash, id: row.id, expiresAt: row.expiresAt, contact, customer };
  }

  logout(session: CentreAuthSession, route: string): void {
    this.store.centre.endSession(session.tokenHash);
    this.audit(session.contact.id, CENTRE_AUDIT.logout, route);
  }

  /**
   * Whether a connected live socket's session still holds (not ended, expired or idle, still a
   * SuperUser), without counting as use: the live channel asks at every heartbeat.
   */
  stillValid(tokenHash: string): boolean {
    const now = this.options.now();
    const row = this.store.centre.session(tokenHash, now.toISOString());
    if (!row || now.getTime() - Date.parse(row.lastSeenAt) >= this.options.idleMs) return false;
    return mayUseCentre(this.store.contacts.get(row.contactId));
  }

  /**
   * Changes the password while signed in. The current password is checked and throttled like a
   * login (the same keys: guessing here counts as guessing at the login); the new one follows
   * the desk's rules. Every other session of the account ends (their token hashes are answered,
   * so their live sockets can be closed), unused links end, and a mail tells the address.
   */
  async changePassword(session: CentreAuthSession, input: { currentPassword: string; newPassword: string }, client: { address: string }, route: string): Promise<string[]> {
    const { contact, customer } = session;
    const account = this.store.centre.get(contact.id);
    const key = throttleKey(account?.email ?? contact.email ?? contact.id);
    try {
      this.throttle.check(key, client.address, this.options.now());
    } catch (error) {
      if (error instanceof ThrottledError) this.audit(contact.id, CENTRE_AUDIT.passwordChangeThrottled, route);
      throw error;
    }
    const ok = await verifyPassword(input.currentPassword, account?.passwordHash ?? (await dummyPasswordHash()));
    const now = this.options.now();
    this.throttle.check(key, client.address, now);
    if (!account?.passwordHash || !ok) {
      this.throttle.fail(key, client.address, now);
      this.audit(contact.id, CENTRE_AUDIT.passwordChangeFailed, route);
      // 403, not 401: the session is fine, the password typed is not.
      throw new HttpError(403, 'wrong_password', 'the current password is wrong', 'currentPassword');
    }
    this.throttle.succeed(key, client.address, now);
    if (!mayUseCentre(contact)) throw new HttpError(401, 'unauthorized', 'log in to the customer centre first: a valid bearer token is required');
    assertStrongPassword(input.newPassword, 'newPassword', [contact.name, contact.email]);
    const hash = await hashPassword(input.newPassword);
    const at = this.options.now().toISOString();
    return this.store.transaction(() => {
      this.store.centre.setPassword(contact.id, hash, at);
      const others = this.store.centre.sessionsOf(contact.id, '').filter((s) => s.tokenHash !== session.tokenHash);
      for (const other of others) this.store.centre.endSession(other.tokenHash);
      // A reset link asked for earlier would set another password over this one.
      this.store.centre.expireLinksOf(contact.id, at);
      const language = customer.language ?? officeLanguage(customer.country);
      const when = new Intl.DateTimeFormat(language === 'fi' ? 'fi-FI' : 'sv-SE', {
        dateStyle: 'long',
        timeStyle: 'short',
        timeZone: customer.country === 'FI' ? 'Europe/Helsinki' : 'Europe/Stockholm',
      }).format(new Date(at));
      const mail = centrePasswordChangedMail(language, contact.name, when, this.options.centreUrl());
      this.queueAccountMail(contact, customer, mail.subject, mail.text, mail.text, at);
      this.store.audit.recordAction({ at, specialistId: null, action: CENTRE_AUDIT.passwordChanged, route, contactId: contact.id, targetId: contact.id, detail: { endedSessions: others.length } });
      return others.map((s) => s.tokenHash);
    });
  }

  /** The account's own sessions, newest first, "this one" marked; sessions idle too long are left out. */
  sessionsOf(session: CentreAuthSession, route: string): Array<{ id: string; createdAt: string; lastSeenAt: string; address: string | null; userAgent: string | null; current: boolean }> {
    const now = this.options.now();
    const cutoff = now.getTime() - this.options.idleMs;
    this.audit(session.contact.id, CENTRE_AUDIT.sessionsViewed, route);
    return this.store.centre
      .sessionsOf(session.contact.id, now.toISOString())
      .filter((s) => Date.parse(s.lastSeenAt) > cutoff || s.tokenHash === session.tokenHash)
      .map(({ tokenHash, ...rest }) => ({ ...rest, current: tokenHash === session.tokenHash }));
  }

  /** Ends one of the account's own sessions (this one too, if named); answers its token hash, or 404 for any other id. */
  endSession(session: CentreAuthSession, sessionId: string, route: string): string {
    const target = this.store.centre.sessionsOf(session.contact.id, '').find((s) => s.id === sessionId);
    if (!target) throw new HttpError(404, 'not_found', 'session not found', 'id');
    this.store.centre.endSession(target.tokenHash);
    this.store.audit.recordAction({ at: this.options.now().toISOString(), specialistId: null, action: CENTRE_AUDIT.sessionEnded, route, contactId: session.contact.id, targetId: session.contact.id, detail: { session: target.id } });
    return target.tokenHash;
  }

  /** "Sign out everywhere else": every session of the account but this one ends; answers their token hashes. */
  endOtherSessions(session: CentreAuthSession, route: string): string[] {
    return this.store.transaction(() => {
      const others = this.store.centre.sessionsOf(session.contact.id, '').filter((s) => s.tokenHash !== session.tokenHash);
      for (const other of others) this.store.centre.endSession(other.tokenHash);
      this.store.audit.recordAction({ at: this.options.now().toISOString(), specialistId: null, action: CENTRE_AUDIT.otherSessionsEnded, route, contactId: session.contact.id, targetId: session.contact.id, detail: { ended: others.length } });
      return others.map((s) => s.tokenHash);
    });
  }

  /** What the centre shows of the signed-in SuperUser and the company. */
  me(contact: Contact, customer: Customer): CentreMe {
    return {
      contact: { id: contact.id, name: contact.name, email: contact.email ?? '' },
      customer: { id: customer.id, name: customer.name, language: customer.language, country: customer.country },
      modules: customer.licensedModules.map((id) => ({ id, trained: contact.trainedModules.includes(id) })),
      overduePayment: customer.paymentStatus === 'overdue',
    };
  }

  private customerOf(contact: Contact): Customer {
    const customer = this.store.customers.get(contact.customerId);
    if (!customer) throw new HttpError(404, 'not_found', 'customer not found', 'contactId');
    return customer;
  }

  private openSession(contact: Contact, client: { address: string; userAgent: string | null }, now: Date): CentreSession {
    const token = CENTRE_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const at = now.toISOString();
    const expiresAt = new Date(now.getTime() + this.options.sessionTtlMs).toISOString();
    this.store.centre.purge(at, new Date(now.getTime() - this.options.idleMs).toISOString());
    this.store.centre.createSession({
      tokenHash: sha256(token),
      id: randomBytes(16).toString('hex'),
      contactId: contact.id,
      createdAt: at,
      expiresAt,
      address: client.address,
      userAgent: client.userAgent?.slice(0, 300) ?? null,
    });
    return { token, expiresAt, me: this.me(contact, this.customerOf(contact)) };
  }

  /** A link's token (256 bits, only its hash kept) and its mail in the outgoing queue. */
  private issueLink(contact: Contact & { email: string }, customer: Customer, kind: 'invite' | 'reset', expiresAt: string): void {
    const now = this.options.now();
    const at = now.toISOString();
    const token = randomBytes(32).toString('base64url');
    this.store.centre.issueToken(contact.id, kind, sha256(token), at, expiresAt);
    const language = customer.language ?? officeLanguage(customer.country);
    const path = kind === 'invite' ? 'invitation' : 'reset';
    // In the fragment: never sent to the server by the browser, so never in a log or a Referer.
    const link = `${this.options.centreUrl()}#/${path}/${token}`;
    const validFor = kind === 'invite' ? (language === 'fi' ? `${CENTRE_INVITE_HOURS} tuntia` : `${CENTRE_INVITE_HOURS} timmar`) : language === 'fi' ? `${CENTRE_RESET_MINUTES} minuuttia` : `${CENTRE_RESET_MINUTES} minuter`;
    const mail = centreLinkMail(kind, language, contact.name, link, validFor);
    // The stored copy keeps no usable link: only the queue row has it until it is sent.
    this.queueAccountMail(contact, customer, mail.subject, mail.text, mail.text.replace(token, '[…]'), at);
  }

  /** A mail about the account (a link, a changed password) through the outgoing queue; `storedText` is what the mail record keeps. */
  private queueAccountMail(contact: Contact & { email: string }, customer: Customer, subject: string, text: string, storedText: string, at: string): void {
    const from = this.options.fromAddress(customer.country);
    const mailId = randomBytes(16).toString('hex');
    const messageId = newMessageId(from);
    this.store.mail.insertMessage({
      id: mailId,
      messageId,
      direction: 'out',
      office: customer.country,
      mailbox: from,
      caseId: null,
      eventId: null,
      fromAddress: from,
      fromName: null,
      toAddress: contact.email,
      subject,
      text: storedText,
      html: null,
      inReplyTo: null,
      refs: [],
      autoKind: null,
      rawHash: null,
      size: 0,
      attachmentCount: 0,
      at,
    });
    this.store.mail.insertOutbox({
      id: randomBytes(16).toString('hex'),
      mailId,
      eventId: null,
      auto: false,
      fromAddress: from,
      toAddress: contact.email,
      subject,
      text,
      messageId,
      inReplyTo: null,
      refs: [],
      headers: { 'Auto-Submitted': 'auto-generated' },
      attachmentIds: [],
      nextAt: at,
      createdAt: at,
    });
  }

  private audit(contactId: string | null, action: AuditActionName, route: string): void {
    this.store.audit.recordAction({ at: this.options.now().toISOString(), specialistId: null, action, route, contactId, targetId: contactId });
  }
}
