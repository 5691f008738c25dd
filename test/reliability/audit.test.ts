/**
 * "Every processing of personal data is logged": a walk over every route of the contract, each
 * called with a valid request, with a detector for contacts' personal data (phone numbers and
 * e-mail addresses) in every answer. Whatever contact an answer exposes has an audit row for
 * that specialist, that contact and that route — including the case history and the call pushed
 * over the live socket. Refused requests write none.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../shared/api';
import { CALL_DONE, CTI } from '../../server/routes/calls';
import { CASE_BY_NUMBER, CASE_EVENTS } from '../../server/routes/cases';
import { PASSWORD_RESET, SPECIALIST } from '../../server/routes/admin';
import { SESSION_REVOKE } from '../../server/routes/auth';
import { GDPR_ACCESS_LOG, GDPR_ANONYMISE, GDPR_CONTACT, GDPR_EXPORT } from '../../server/routes/gdpr';
import { ATTACHMENT } from '../../server/routes/attachments';
import { GDPR_ANONYMISE_PREVIEW, GDPR_EXPORT_ZIP, GDPR_SEARCH } from '../../server/routes/gdpr-lead';
import { CENTRE_CASE, CENTRE_REPLIES } from '../../server/routes/centre';
import { CENTRE_GRANT } from '../../server/routes/centre-grants';
import { CENTRE_ARTICLE } from '../../server/routes/centre-qa';
import { CENTRE_FILE } from '../../server/routes/centre-files';
import { CENTRE_SESSION } from '../../server/routes/centre-account';
import { upload } from '../support/attachments';
import { pngBytes } from '../support/png';
import { CALENDAR_EXCEPTION } from '../../server/routes/escalation';
import { DEFAULT_ESCALATION_SETTINGS } from '../../shared/escalation';
import { MAIL_HTML, MAIL_REVIEW_CONTACT, MAIL_REVIEW_DISMISS, MAIL_REVIEW_LINK } from '../../server/routes/mail';
import { freePort, seedMail, testMailSettings } from '../support/mail';
import { CONTACT, CUSTOMER_CONTACTS, CUSTOMER_ROUTE } from '../../server/routes/customers';
import { startTestServer, type TestServer } from '../support/server';
import { connectLive } from '../support/live';
import { request, type Reply } from '../support/http';
import { fixturesOf, ROUTE_SPECS, type Fixtures, type RouteSpec } from './support/routes';
import { REPORT } from '../../server/reports/routes';
import { reliabilityTally } from './support/summary';
import { leadWithTwoFactor } from '../support/two-factor';

const tally = reliabilityTally(import.meta.url);
afterAll(() => tally.finish());

/** The pattern a route is audited under: the registered path, parameters unfilled. */
const PATTERN: Record<RouteSpec['key'], string> = {
  ...(Object.fromEntries(ROUTE_SPECS.map((s) => [s.key, typeof ROUTES[s.key] === 'string' ? ROUTES[s.key] : ''])) as Record<RouteSpec['key'], string>),
  caseByNumber: CASE_BY_NUMBER,
  caseEvents: CASE_EVENTS,
  callDone: CALL_DONE,
  cti: CTI,
  specialist: SPECIALIST,
  passwordReset: PASSWORD_RESET,
  sessionRevoke: SESSION_REVOKE,
  gdprContact: GDPR_CONTACT,
  gdprExport: GDPR_EXPORT,
  gdprAnonymise: GDPR_ANONYMISE,
  gdprAccessLog: GDPR_ACCESS_LOG,
  attachment: ATTACHMENT,
  mailHtml: MAIL_HTML,
  mailReviewLink: MAIL_REVIEW_LINK,
  mailReviewContact: MAIL_REVIEW_CONTACT,
  mailReviewDismiss: MAIL_REVIEW_DISMISS,
  customer: CUSTOMER_ROUTE,
  customerContacts: CUSTOMER_CONTACTS,
  contact: CONTACT,
  gdprSearch: GDPR_SEARCH,
  gdprAnonymisePreview: GDPR_ANONYMISE_PREVIEW,
  gdprExportZip: GDPR_EXPORT_ZIP,
  report: REPORT,
  centreCase: CENTRE_CASE,
  centreReplies: CENTRE_REPLIES,
  calendarException: CALENDAR_EXCEPTION,
  centreGrant: CENTRE_GRANT,
  centreArticle: CENTRE_ARTICLE,
  centreFile: CENTRE_FILE,
  centreSession: CENTRE_SESSION,
};

interface Person {
  id: string;
  phone: string | null;
  email: string | null;
}

const ACCOUNT_ROUTES = new Set<RouteSpec['key']>(['loginCode', 'password', 'account', 'twoFactorSetup', 'twoFactorConfirm', 'twoFactorDisable', 'sessions', 'sessionRevoke', 'passwordReset', 'profile', 'centreLogin', 'centrePassword', 'centreReset']);

describe('the audit trail of personal data', () => {
  let server: TestServer;
  let fixtures: Fixtures;
  let specialist: { id: string; token: string };
  let lead: { id: string; token: string };
  let people: Person[];
  let walkedAttachment = '';

  const me = async (token: string): Promise<string> => (await request<{ specialist: { id: string } }>(server.url, 'GET', ROUTES.me, { token })).body.specialist.id;

  beforeAll(async () => {
    // The mail channel is on (its servers unreachable: the routes work on what the store holds).
    const [imapPort, smtpPort] = [await freePort(), await freePort()];
    server = await startTestServer({
      cases: 60,
      server: { ctiOptions: '1=hantverk;2=handel', mail: { settings: testMailSettings({ host: '127.0.0.1', port: imapPort }, { port: smtpPort }), reconnect: { baseMs: 60_000, maxMs: 60_000 } } },
    });
    // A mail with HTML on a case, and mail from known contacts waiting in the review list.
    const mailers = server.store.db.prepare<[], { id: string; email: string; case_id: string }>(
      `SELECT co.id, co.email, c.id AS case_id FROM contacts co JOIN cases c ON c.contact_id = co.id WHERE co.email IS NOT NULL AND co.anonymised_at IS NULL ORDER BY c.number DESC LIMIT 4`,
    ).all();
    const [first, ...others] = mailers;
    if (!first) throw new Error('no contact with an address');
    seedMail(server.store, { from: first.email, subject: 'Med HTML', html: '<p>Hej <b>där</b></p>', caseId: first.case_id });
    for (const other of others) seedMail(server.store, { from: other.email, subject: 'Okänd avsändare' });
    fixtures = fixturesOf(server.store.db, server.ctiToken);
    const specialistToken = await server.login(server.specialistEmails[0]);
    const leadToken = (await leadWithTwoFactor(server)).token;
    specialist = { id: await me(specialistToken), token: specialistToken };
    lead = { id: await me(leadToken), token: leadToken };
    people = server.store.db.prepare<[], Person>('SELECT id, phone, email FROM contacts').all();
  });
  afterAll(() => server.close());

  const lastAuditId = (): number => server.store.db.prepare<[], number>('SELECT coalesce(max(id), 0) FROM audit_log').pluck().get() ?? 0;
  const auditedSince = (since: number, specialistId: string, route: string): Set<string> =>
    new Set(
      server.store.db
        .prepare<[number, string, string], string>('SELECT contact_id FROM audit_log WHERE id > ? AND specialist_id = ? AND route = ?')
        .pluck()
        .all(since, specialistId, route),
    );
  /** The contacts whose phone number or e-mail address is in an answer. */
  const exposedIn = (text: string): Set<string> =>
    new Set(people.filter((p) => (p.phone !== null && text.includes(p.phone)) || (p.email !== null && text.includes(p.email))).map((p) => p.id));

  /** A valid request for every route, as the client would make it. */
  function validRequest(spec: RouteSpec): { path: string; json?: unknown; raw?: string; contentType?: string; headers?: Record<string, string> } {
    const path = spec.path(fixtures);
    const contact = people.find((p) => p.id === fixtures.contactId);
    switch (`${spec.method} ${spec.key}`) {
      case 'POST login':
        return { path, json: { email: server.specialistEmails[0], password: server.password } };
      case 'GET bootstrap':
        return { path: `${path}?teams=1,2&limit=10000` };
      case 'GET changes':
        return { path: `${path}?after=0&limit=10000` };
      case 'POST push':
        return { path, json: { mutations: [{ clientId: randomUUID(), mutationId: 1, name: 'addNote', args: { caseId: fixtures.caseId, eventId: randomUUID(), text: 'Ringde upp kunden.' } }] } };
      case 'POST numbers':
        return { path, json: { clientId: randomUUID(), size: 1 } };
      case 'GET phoneLookup':
        return { path: `${path}?number=${encodeURIComponent(contact?.phone ?? '')}` };
      case 'GET customerSearch':
        return { path: `${path}?q=${encodeURIComponent((contact?.phone ?? '').slice(0, 6))}` };
      case 'POST cti':
        return { path, json: { event: 'newCall', from: contact?.phone, to: '', direction: 'in', callId: randomUUID(), queue: 'hantverk' } };
      case 'POST specialists':
        return { path, json: { email: `audit-${randomUUID()}@softone.se`, name: 'Granskad', role: 'specialist', teams: [1], office: 'SE', language: 'sv', password: 'a long enough password' } };
      case 'PATCH specialist':
        return { path, json: { name: 'Omdöpt Specialist' } };
      case 'PATCH gdprContact':
        return { path, json: { name: 'Rättat Namn' } };
      case 'POST attachments':
        return { path, raw: 'Loggfil', contentType: 'application/octet-stream', headers: { 'x-attachment-id': randomUUID(), 'x-file-name': 'logg.txt', 'x-case-id': fixtures.caseId } };
      case 'GET attachment':
        return { path: ROUTES.attachment(walkedAttachment) };
      case 'GET mailReview':
        return { path: `${path}?office=SE` };
      case 'POST mailReviewLink':
        return { path, json: { contactId: fixtures.contactId } };
      case 'POST centreInvitations':
        return {
          path,
          json: {
            contactId: server.store.db
              .prepare<[], string>('SELECT id FROM contacts WHERE superuser = 1 AND email IS NOT NULL AND anonymised_at IS NULL ORDER BY id LIMIT 1')
              .pluck()
              .get(),
          },
        };
      case 'POST mailReviewContact':
        return { path, json: { customerId: server.store.contacts.get(fixtures.contactId)?.customerId, name: 'Ny Kontakt' } };
      case 'POST customers':
        return { path, json: { name: 'Granskad Kund AB', orgNumber: `5599${String(Date.now()).slice(-6)}`, country: 'SE', language: 'sv', industry: 'retail' } };
      case 'PATCH customer':
        return { path, json: { paymentStatus: 'overdue' } };
      case 'POST customerContacts':
        return { path, json: { name: 'Ny Kontakt', trainedModules: ['finance'] } };
      case 'PATCH contact':
        return { path, json: { name: 'Rättad Kontakt' } };
      case 'POST customerImport': {
        // A dry run naming the walked contact by e-mail: its report shows the person's changes.
        const customer = server.store.customers.get(fixtures.customerId);
        return { path: `${path}?dryRun=1`, raw: `org_number,contact_email,contact_name\n${customer?.orgNumber},${contact?.email ?? 'ny@kund.se'},Importerad Kontakt`, contentType: 'text/csv' };
      }
      case 'GET gdprSearch':
        return { path: `${path}?q=${encodeURIComponent(contact?.phone ?? '')}` };
      case 'PUT escalationSettings':
        return { path, json: DEFAULT_ESCALATION_SETTINGS };
      case 'POST calendarExceptions':
        return { path, json: { office: 'SE', date: new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10), kind: 'closed', note: 'granskad' } };
      case 'DELETE calendarException': {
        const open = server.store.calendarExceptions.all().filter((e) => e.deletedAt === null);
        return { path: ROUTES.calendarException(open[open.length - 1]?.id ?? 'none') };
      }
      default:
        return { path, ...(spec.method === 'GET' ? {} : { json: {} }) };
    }
  }

  it('audits every route the server registers: none is left out of the walk', () => {
    // A route added to the server but not to the contract (and so not to ROUTE_SPECS) would
    // never be walked, and could show personal data without an audit row unnoticed.
    const walked = new Set(ROUTE_SPECS.map((s) => `${s.method} ${PATTERN[s.key]}`));
    expect(server.routes.length).toBeGreaterThanOrEqual(ROUTE_SPECS.length);
    const unwalked = server.routes.filter((route) => !walked.has(route));
    expect(unwalked, 'routes the audit walk does not call: add them to ROUTES and test/reliability/support/routes.ts').toEqual([]);
  });

  it('writes an audit row for every contact whose data any route answers with', async () => {
    // The feed carries a contact once someone changed it.
    expect((await request(server.url, 'PATCH', ROUTES.gdprContact(fixtures.contactId), { token: lead.token, json: { email: 'ny.adress@kund.se' } })).status).toBe(200);
    people = server.store.db.prepare<[], Person>('SELECT id, phone, email FROM contacts').all();
    // Another person's call logged on the walked case: its history, the case, the feed and the
    // overview of the case's contact now carry that caller's number too.
    const caller = people.find((p) => p.id !== fixtures.contactId && p.phone !== null);
    const switchId = randomUUID();
    await request(server.url, 'POST', ROUTES.cti(server.ctiToken), { json: { event: 'newCall', from: caller?.phone, to: '', direction: 'in', callId: switchId, queue: 'hantverk' } });
    const call = server.store.calls.getBySwitchId(switchId);
    const logged = await request<{ results: Array<{ status: string }> }>(server.url, 'POST', ROUTES.push, {
      token: specialist.token,
      json: { mutations: [{ clientId: randomUUID(), mutationId: 1, name: 'logCall', args: { caseId: fixtures.caseId, callId: call?.id, eventId: randomUUID() } }] },
    });
    expect(logged.body.results[0]?.status).toBe('applied');
    // A file on the walked case, for the download.
    walkedAttachment = (await upload(server.url, specialist.token, { caseId: fixtures.caseId, name: 'skärmbild.png', bytes: pngBytes() })).id;
    // Anonymising ends the walk: it removes the data the other routes would show.
    // The account's own routes (password, two-factor, sessions, resets) answer no contact's data;
    // their audit rows are account events, checked in attack-accounts.test.ts.
    // The customer centre's own routes take a customer's session: walked in test/server/routes/centre.test.ts.
    const walked = ROUTE_SPECS.filter((s) => !ACCOUNT_ROUTES.has(s.key) && s.access !== 'customer');
    const ordered = [...walked.filter((s) => s.key !== 'gdprAnonymise' && s.key !== 'logout'), ...walked.filter((s) => s.key === 'gdprAnonymise')];
    const checked: string[] = [];
    for (const spec of ordered) {
      const actor = spec.access === 'lead' ? lead : specialist;
      const since = lastAuditId();
      const { path, json, raw, contentType, headers } = validRequest(spec);
      const answer: Reply = await request(server.url, spec.method, path, { token: actor.token, json, raw, contentType, headers });
      expect(answer.status, `${spec.method} ${spec.key}: ${answer.text.slice(0, 200)}`).toBeLessThan(spec.key === 'live' || spec.key === 'centreLive' ? 427 : 300);
      const exposed = exposedIn(answer.text);
      const audited = auditedSince(since, actor.id, PATTERN[spec.key]);
      for (const contactId of exposed) expect(audited.has(contactId), `${spec.method} ${spec.key} showed contact ${contactId} without an audit row`).toBe(true);
      if (exposed.size > 0) checked.push(spec.key);
    }
    // The detector did see personal data where the contract puts it.
    expect(checked).toEqual(expect.arrayContaining(['bootstrap', 'changes', 'caseByNumber', 'caseEvents', 'phoneLookup', 'customerSearch', 'calls', 'gdprContact', 'gdprExport']));
    // Rectifying and anonymising answer with little or no personal data, but they process it: audited.
    const actions = server.store.db
      .prepare<[string], { specialist_id: string; action: string; route: string }>('SELECT specialist_id, action, route FROM audit_log WHERE contact_id = ?')
      .all(fixtures.contactId);
    expect(actions).toContainEqual({ specialist_id: specialist.id, action: 'update', route: GDPR_CONTACT });
    expect(actions).toContainEqual({ specialist_id: lead.id, action: 'anonymise', route: GDPR_ANONYMISE });
  });

  it('audits the case history (its notes and calls are about the contact) and the call pushed to a desk', async () => {
    // A case without mail (a mail's sender is audited too: another walk above may have mailed one).
    const caseId =
      server.store.db
        .prepare<[string], string>(
          `SELECT id FROM cases WHERE contact_id IS NOT NULL AND contact_id <> ? AND id NOT IN (SELECT case_id FROM case_events WHERE kind = 'mail') ORDER BY number DESC LIMIT 1`,
        )
        .pluck()
        .get(fixtures.contactId) ?? '';
    const contactId = server.store.cases.get(caseId)?.contactId ?? '';
    let since = lastAuditId();
    expect((await request(server.url, 'GET', ROUTES.caseEvents(caseId), { token: specialist.token })).status).toBe(200);
    expect([...auditedSince(since, specialist.id, CASE_EVENTS)]).toEqual([contactId]);

    // A known caller choosing option 1 (queue "hantverk"): the team-1 desk gets the call, and the audit log says so.
    const caller = server.store.db
      .prepare<[string], { id: string; phone: string }>(
        `SELECT co.id, co.phone FROM contacts co WHERE co.phone IS NOT NULL AND co.anonymised_at IS NULL AND co.id <> ? ORDER BY co.id LIMIT 1`,
      )
      .get(fixtures.contactId);
    if (!caller) throw new Error('no contact with a phone');
    const socket = await connectLive(server.url, specialist.token);
    try {
      since = lastAuditId();
      const posted = await request(server.url, 'POST', ROUTES.cti(server.ctiToken), {
        json: { event: 'newCall', from: caller.phone, to: '', direction: 'in', callId: randomUUID(), queue: 'hantverk' },
      });
      expect(posted.status).toBe(200);
      await socket.until(() => socket.of('call').length > 0);
      expect(socket.of('call')[0]?.caller.contact?.id).toBe(caller.id);
      const rows = server.store.db
        .prepare<[number, string], { contact_id: string; action: string; route: string }>('SELECT contact_id, action, route FROM audit_log WHERE id > ? AND specialist_id = ?')
        .all(since, specialist.id);
      expect(rows).toContainEqual({ contact_id: caller.id, action: 'call', route: ROUTES.live });
    } finally {
      socket.close();
    }
  });

  it('writes no audit row for refused requests', async () => {
    const since = lastAuditId();
    const refused: Array<[string, string, string | undefined]> = [
      ['GET', ROUTES.caseByNumber(999_999_998), specialist.token],
      ['GET', ROUTES.caseEvents('no-such-case'), specialist.token],
      ['GET', ROUTES.gdprContact('no-such-contact'), specialist.token],
      ['GET', ROUTES.gdprExport(fixtures.contactId), undefined],
      ['GET', `${ROUTES.bootstrap}?teams=3`, specialist.token],
      ['GET', `${ROUTES.phoneLookup}?number=`, specialist.token],
      ['GET', ROUTES.gdprAccessLog(fixtures.contactId), specialist.token],
    ];
    for (const [method, path, token] of refused) {
      const answer = await request(server.url, method, path, { token });
      tally.add({ badInputs: 1 });
      expect(answer.status, path).toBeGreaterThanOrEqual(400);
    }
    expect(lastAuditId()).toBe(since);
  });
});
