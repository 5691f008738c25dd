/**
 * Attacks on the privacy promises (issue 18): reading a person's data where no audit row is
 * written (a call logged on a case, the change feed), finding an anonymised person again (in
 * the calls of either direction, in case histories, notes and titles, in the raw bytes of the
 * database file and its WAL), and bringing them back by restoring a backup taken before (into
 * the data folder, or into a new folder to try it), or through the databases restores keep aside.
 * Each attack is counted in the reliability tally and must not get through.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangesPageSchema, ROUTES } from '../../shared/api';
import type { Call, CaseEvent, Contact } from '../../shared/contract';
import { startServer, type RunningServer } from '../../server/http/app';
import { CASE_EVENTS } from '../../server/routes/cases';
import { GDPR_ANONYMISE } from '../../server/routes/gdpr';
import { DEMO_PASSWORD, seedDemoData } from '../../server/demo/seed';
import { REAPPLY_ROUTE } from '../../server/store/anonymisation-list';
import { backupDataDir, restoreDataDir } from '../../server/store/backup';
import { dataFile, openStore, type Store } from '../../server/store/store';
import { Desk } from '../support/cases';
import { api, login, type Api } from '../support/http';
import { reliabilityTally } from './support/summary';
import { leadWithTwoFactor } from '../support/two-factor';

const tally = reliabilityTally(import.meta.url);
afterAll(() => tally.finish());

/** The person, rectified to values found nowhere else in the demo data. */
const PERSON = { name: 'Zlatan Testperson', phone: '+46701239876', email: 'zlatan.test@exempel.se' };
/** Every way the test writes the person's data, and what must be found nowhere afterwards. */
const TRACES = ['Zlatan', 'Testperson', 'zlatan.test', 'exempel.se', '+46701239876', '701239876', '070-123 98 76', '070-1239876', '+46 70 123 98 76', '70 123 98 76'];

const lastAuditId = (store: Store): number => store.db.prepare<[], number>('SELECT coalesce(max(id), 0) FROM audit_log').pluck().get() ?? 0;
const auditedSince = (store: Store, since: number, specialistId: string, route: string): string[] =>
  store.db.prepare<[number, string, string], string>('SELECT contact_id FROM audit_log WHERE id > ? AND specialist_id = ? AND route = ?').pluck().all(since, specialistId, route);
const tracesIn = (text: string): string[] => TRACES.filter((t) => text.toLowerCase().includes(t.toLowerCase()));

interface World {
  dataDir: string;
  server: RunningServer;
  lead: Api;
  specialist: Api;
  specialistId: string;
  person: Contact;
  /** The person's own case and a case of another customer, both mentioning the person. */
  ownCase: string;
  otherCase: string;
  desk: Desk;
}

/** A server in its own data folder (so the test can stop it and restore into the same folder). */
async function world(): Promise<World> {
  const dataDir = mkdtempSync(join(tmpdir(), 'desk-privacy-'));
  const store = openStore(dataFile(dataDir));
  const seed = await seedDemoData(store, { cases: 120, seed: 18 });
  const server = await startServer({ store, ctiOptions: '1=hantverk;2=handel' });
  // Lead-only routes need a session that passed two-factor.
  const lead = api(server, (await leadWithTwoFactor(server)).token);
  const specialist = api(server, await login(server.url, seed.specialistEmails[0] ?? '', DEMO_PASSWORD));
  const specialistId = (await specialist.get<{ specialist: { id: string } }>(ROUTES.me)).body.specialist.id;
  const row = store.db
    .prepare<[], { contact_id: string; id: string; customer_id: string }>(
      `SELECT c.contact_id, c.id, c.customer_id FROM cases c JOIN customers cu ON cu.id = c.customer_id
       WHERE c.contact_id IS NOT NULL AND cu.country = 'SE' ORDER BY c.number LIMIT 1`,
    )
    .get();
  if (!row) throw new Error('no case with a contact');
  const otherCase = store.db.prepare<[string], string>('SELECT id FROM cases WHERE customer_id <> ? ORDER BY number LIMIT 1').pluck().get(row.customer_id) ?? '';
  const desk = new Desk(specialist);

  // An outgoing call to the number before it was the contact's: the call is not linked to them.
  await api(server).post(ROUTES.cti(server.ctiToken), { event: 'newCall', direction: 'out', from: '201', to: '070-1239876', callId: randomUUID() });
  const rectified = await specialist.patch<{ contact: Contact }>(ROUTES.gdprContact(row.contact_id), PERSON);
  expect(rectified.status).toBe(200);
  // An incoming call from the person, an outgoing one to them (both linked), a note in each form.
  const incoming = randomUUID();
  await api(server).post(ROUTES.cti(server.ctiToken), { event: 'newCall', direction: 'in', from: '070-123 98 76', to: '+46812345000', callId: incoming, queue: 'hantverk' });
  await api(server).post(ROUTES.cti(server.ctiToken), { event: 'newCall', direction: 'out', from: '201', to: '+46 70 123 98 76', callId: randomUUID() });
  const call = store.calls.getBySwitchId(incoming);
  if (!call) throw new Error('the call was not recorded');
  const caseNow = store.cases.get(row.id);
  await desk.push(
    desk.mutation('logCall', { caseId: otherCase, callId: call.id, eventId: randomUUID() }),
    desk.mutation('addNote', { caseId: row.id, eventId: randomUUID(), text: 'Zlatan ringde från 070-123 98 76, mejla zlatan.test@EXEMPEL.se' }),
    desk.mutation('addNote', { caseId: otherCase, eventId: randomUUID(), text: 'Testperson, Zlatan (+46 70 123 98 76) hörde av sig om detta.' }),
    desk.mutation('editFields', { caseId: row.id, fields: { description: 'Kontakt: Zlatan Testperson, 0701239876' } }, caseNow?.version),
  );
  return { dataDir, server, lead, specialist, specialistId, person: rectified.body.contact, ownCase: row.id, otherCase, desk };
}

describe('attacks on privacy', () => {
  let w: World;
  let closed = false;

  beforeAll(async () => {
    w = await world();
  });
  afterAll(async () => {
    if (!closed) await w.server.close();
    rmSync(w.dataDir, { recursive: true, force: true });
  });

  it('reads a caller\'s name and number through another case\'s history: audited for that caller', async () => {
    const since = lastAuditId(w.server.store);
    const reply = await w.specialist.get<{ events: CaseEvent[] }>(ROUTES.caseEvents(w.otherCase));
    const logged = reply.body.events.find((e) => e.kind === 'call');
    expect(logged?.data.number).toBe(PERSON.phone);
    const succeeded = !auditedSince(w.server.store, since, w.specialistId, CASE_EVENTS).includes(w.person.id);
    tally.add({ attacks: 1, gotThrough: succeeded ? 1 : 0 });
    expect(succeeded).toBe(false);
  });

  it('reads the caller through the change feed\'s call events: audited for that caller', async () => {
    // The feed from before the call was logged: the page carries the call event, not the contact.
    const seq = w.server.store.db.prepare<[], number>(`SELECT max(seq) FROM change_log WHERE entity = 'contacts'`).pluck().get() ?? 0;
    const since = lastAuditId(w.server.store);
    const page = ChangesPageSchema.parse((await w.specialist.get(`${ROUTES.changes}?after=${seq}&limit=1000`)).body);
    expect(page.contacts.map((c) => c.id)).not.toContain(w.person.id);
    expect(page.events.some((e) => e.kind === 'call' && e.data.contactId === w.person.id)).toBe(true);
    const succeeded = !auditedSince(w.server.store, since, w.specialistId, ROUTES.changes).includes(w.person.id);
    tally.add({ attacks: 1, gotThrough: succeeded ? 1 : 0 });
    expect(succeeded).toBe(false);
  });

  let backup = '';

  it('finds an anonymised person nowhere: calls of both directions, case histories, notes, titles, search', async () => {
    backup = (await backupDataDir(w.dataDir)).file;
    const seq = w.server.store.changes.latestSeq();
    const reply = await w.lead.post<{ contact: Contact }>(ROUTES.gdprAnonymise(w.person.id));
    expect(reply.status).toBe(200);
    const calls = (await w.specialist.get<{ calls: Call[] }>(`${ROUTES.calls}?filter=all&limit=500`)).body.calls;
    const own = (await w.specialist.get<{ events: CaseEvent[] }>(ROUTES.caseEvents(w.ownCase))).body;
    const other = (await w.specialist.get<{ events: CaseEvent[] }>(ROUTES.caseEvents(w.otherCase))).body;
    const feed = (await w.specialist.get(`${ROUTES.changes}?after=${seq}&limit=1000`)).text;
    const search = await Promise.all(['Zlatan', '0701239876', 'zlatan.test'].map(async (q) => (await w.specialist.get(`${ROUTES.customerSearch}?q=${encodeURIComponent(q)}`)).text));
    const caseRows = JSON.stringify([w.server.store.cases.get(w.ownCase), w.server.store.cases.get(w.otherCase)]);
    const found = tracesIn(JSON.stringify({ calls, own, other, feed, search, caseRows }));
    tally.add({ attacks: 1, gotThrough: found.length > 0 ? 1 : 0 });
    expect(found).toEqual([]);
    // What was there stays, without the person: the calls, the notes, the call event.
    expect(own.events.some((e) => e.kind === 'note' && e.text?.includes('[borttaget] ringde från [borttaget]'))).toBe(true);
    expect(other.events.find((e) => e.kind === 'call')?.data).toMatchObject({ number: null, name: null, contactId: w.person.id });
    const audit = w.server.store.audit.query({ contactId: w.person.id, action: 'anonymise', limit: 5 });
    expect(audit[0]).toMatchObject({ route: GDPR_ANONYMISE, detail: { calls: 3 } });
  });

  it('finds an anonymised person nowhere in the raw bytes of the database file and its WAL', () => {
    const file = dataFile(w.dataDir);
    const bytes = [file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f));
    const found = TRACES.filter((trace) => bytes.some((b) => b.includes(Buffer.from(trace, 'utf8')) || b.includes(Buffer.from(trace.toLowerCase(), 'utf8'))));
    tally.add({ attacks: 1, gotThrough: found.length > 0 ? 1 : 0 });
    expect(found).toEqual([]);
  });

  it('restores a backup from before the anonymisation: the person stays anonymised, and the audit log says so', async () => {
    await w.server.close();
    closed = true;
    const restored = await restoreDataDir(backup, w.dataDir);
    expect(restored.reapplied).toBe(1);
    const store = openStore(dataFile(w.dataDir));
    try {
      const contact = store.contacts.get(w.person.id);
      const calls = store.calls.list('all', 500);
      const events = [...store.events.forCase(w.ownCase), ...store.events.forCase(w.otherCase)];
      const cases = [store.cases.get(w.ownCase), store.cases.get(w.otherCase)];
      const found = tracesIn(JSON.stringify({ contact, calls, events, cases }));
      const succeeded = contact?.anonymisedAt === null || found.length > 0;
      tally.add({ attacks: 1, gotThrough: succeeded ? 1 : 0 });
      expect(found).toEqual([]);
      expect(succeeded).toBe(false);
      expect(store.audit.query({ contactId: w.person.id, action: 'anonymise', limit: 5 })[0]).toMatchObject({ route: REAPPLY_ROUTE, specialistId: null, detail: { reapplied: true } });
    } finally {
      store.close();
    }
  });

  it('restores the backup into a new folder to try it: refused without the list, and with it the person stays anonymised', async () => {
    const check = mkdtempSync(join(tmpdir(), 'desk-privacy-check-'));
    try {
      const bare = await restoreDataDir(backup, join(check, 'bare')).then(
        () => true,
        () => false,
      );
      const restored = await restoreDataDir(backup, join(check, 'tried'), new Date(), { listFrom: w.dataDir });
      const store = openStore(restored.file);
      let found: string[];
      try {
        const contact = store.contacts.get(w.person.id);
        found = tracesIn(JSON.stringify({ contact, calls: store.calls.list('all', 500), events: store.events.forCase(w.ownCase), cases: store.cases.get(w.ownCase) }));
      } finally {
        store.close();
      }
      const succeeded = bare || found.length > 0;
      tally.add({ attacks: 1, gotThrough: succeeded ? 1 : 0 });
      expect(found).toEqual([]);
      expect(succeeded).toBe(false);
    } finally {
      rmSync(check, { recursive: true, force: true });
    }
  });

  it('reads the person in the databases restores keep aside: they age out with the backups (DESK_BACKUP_KEEP) and hold nobody listed', async () => {
    for (let i = 0; i < 3; i++) await restoreDataDir(backup, w.dataDir, new Date(Date.now() + (i + 1) * 1000), { keep: 2 });
    const copies = readdirSync(w.dataDir).filter((name) => /\.before-restore-[\dTZ-]+$/.test(name));
    const bytes = copies.map((name) => readFileSync(join(w.dataDir, name)));
    const found = TRACES.filter((trace) => bytes.some((b) => b.includes(Buffer.from(trace, 'utf8'))));
    const succeeded = copies.length > 2 || found.length > 0;
    tally.add({ attacks: 1, gotThrough: succeeded ? 1 : 0 });
    expect(copies).toHaveLength(2);
    expect(found).toEqual([]);
    expect(succeeded).toBe(false);
  });
});

