import { randomBytes, randomUUID } from 'node:crypto';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { AttachmentStore } from '../../../server/store/attachments';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnonymisePreviewSchema, AuditPageSchema, GdprOverviewSchema, GdprSearchResultSchema, ROUTES, type Contact } from '../../../shared/index';
import { startTestServer, type TestServer } from '../../support/server';
import { api, type Api } from '../../support/http';
import { leadWithTwoFactor } from '../../support/two-factor';
import { pngBytes } from '../../support/png';
import { seedMail } from '../../support/mail';

describe('the lead\'s GDPR screen: search, anonymisation preview, ZIP export, admin audit', () => {
  let server: TestServer;
  let lead: Api;
  let leadToken: string;
  let leadId: string;
  let specialist: Api;
  let person: Contact;
  let caseId: string;

  beforeAll(async () => {
    server = await startTestServer({ cases: 200 });
    const enrolled = await leadWithTwoFactor(server);
    leadToken = enrolled.token;
    lead = api(server, leadToken);
    leadId = (await lead.get(ROUTES.me)).body.specialist.id;
    specialist = api(server, await server.login(server.specialistEmails[0]));
    const id = server.store.db
      .prepare('SELECT contact_id FROM cases c JOIN contacts co ON co.id = c.contact_id WHERE co.phone IS NOT NULL AND co.email IS NOT NULL GROUP BY contact_id ORDER BY count(*) DESC LIMIT 1')
      .pluck()
      .get() as string;
    person = server.store.contacts.get(id) as Contact;
    caseId = server.store.cases.byContact(person.id)[0]?.id as string;
  });
  afterAll(() => server.close());

  const lastAuditId = (): number => server.store.db.prepare('SELECT coalesce(max(id), 0) FROM audit_log').pluck().get() as number;
  const auditSince = (since: number) =>
    server.store.db.prepare<[number], { action: string; specialist_id: string | null; contact_id: string | null; detail: string | null; route: string }>(
      'SELECT action, specialist_id, contact_id, detail, route FROM audit_log WHERE id > ? ORDER BY id',
    ).all(since);

  it('refuses every new route to a specialist (403) and writes no audit row', async () => {
    const since = lastAuditId();
    for (const path of [`${ROUTES.gdprSearch}?q=${encodeURIComponent(person.name)}`, ROUTES.gdprAnonymisePreview(person.id), ROUTES.gdprExportZip(person.id), `${ROUTES.audit}?kind=admin`]) {
      expect((await specialist.get(path)).status, path).toBe(403);
    }
    expect(auditSince(since).filter((r) => r.contact_id !== null || r.action.startsWith('gdpr'))).toEqual([]);
  });

  it('finds a person by name, e-mail and phone, anonymised ones marked, and audits what was found (never the query)', async () => {
    for (const q of [person.name, (person.email ?? '').toUpperCase(), person.phone ?? '', `0${(person.phone ?? '').slice(3)}`]) {
      const since = lastAuditId();
      const reply = await lead.get(`${ROUTES.gdprSearch}?q=${encodeURIComponent(q)}`);
      expect(reply.status, q).toBe(200);
      const found = GdprSearchResultSchema.parse(reply.body);
      expect(found.contacts.map((c) => c.contact.id), q).toContain(person.id);
      const rows = auditSince(since);
      expect(rows).toContainEqual(expect.objectContaining({ action: 'search', contact_id: person.id, specialist_id: leadId }));
      const admin = rows.find((r) => r.action === 'gdpr_search');
      expect(admin?.detail).toBe(JSON.stringify({ contacts: found.contacts.length, numbers: found.numbers.length }));
      expect(JSON.stringify(rows)).not.toContain(q);
    }
    expect((await lead.get(`${ROUTES.gdprSearch}?q=x`)).status).toBe(400);
  });

  it('finds names with å, ä, ö (Swedish) and Finnish names by any case and with or without the marks', async () => {
    const ids = server.store.db.prepare('SELECT id FROM contacts WHERE anonymised_at IS NULL AND id <> ? ORDER BY id LIMIT 2').pluck().all(person.id) as string[];
    const [swede, finn] = ids as [string, string];
    const rename = server.store.db.prepare('UPDATE contacts SET name = ? WHERE id = ?');
    rename.run('Åke Öberg-Ärlig', swede);
    rename.run('Päivi Äijälä', finn);
    for (const [q, id] of [['åke', swede], ['ÅKE', swede], ['öberg', swede], ['ärlig', swede], ['ake oberg', swede], ['äijälä', finn], ['ÄIJÄLÄ', finn], ['paivi', finn]] as const) {
      const found = GdprSearchResultSchema.parse((await lead.get(`${ROUTES.gdprSearch}?q=${encodeURIComponent(q)}`)).body);
      expect(found.contacts.map((c) => c.contact.id), q).toContain(id);
    }
  });

  it('finds a number no contact has by its calls', async () => {
    const number = '+46855501234';
    const callId = randomUUID();
    await api(server).post(ROUTES.cti(server.ctiToken), { event: 'newCall', from: number, to: '+46812345000', direction: 'in', callId });
    const reply = await lead.get(`${ROUTES.gdprSearch}?q=${encodeURIComponent('08-555 012 34')}`);
    const found = GdprSearchResultSchema.parse(reply.body);
    expect(found.numbers).toHaveLength(1);
    expect(found.numbers[0]?.number).toBe(number);
    expect(found.numbers[0]?.calls.map((c) => c.callId)).toEqual([callId]);
  });

  it('exports a ZIP with the JSON and the person\'s files, audited', async () => {
    const bytes = pngBytes();
    const prepared = await server.store.attachments.prepare(bytes, 'skärmbild.png', 'image/png');
    server.store.attachments.insert(prepared, { caseId, contactId: person.id, createdAt: new Date().toISOString() });
    const since = lastAuditId();
    const response = await fetch(`${server.url}${ROUTES.gdprExportZip(person.id)}`, { headers: { authorization: `Bearer ${leadToken}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="contact-${person.id}.zip"`);
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    const names = Object.keys(files).sort();
    expect(names).toEqual(['attachments/001-skärmbild.png', `contact-${person.id}.json`]);
    const json = GdprOverviewSchema.parse(JSON.parse(strFromU8(files[`contact-${person.id}.json`] as Uint8Array)));
    expect(json.contact).toEqual(person);
    expect(json.attachments.map((a) => a.name)).toEqual([prepared.name]);
    expect(Buffer.from(files['attachments/001-skärmbild.png'] as Uint8Array).equals(Buffer.from(bytes))).toBe(true);
    expect(auditSince(since)).toContainEqual(expect.objectContaining({ action: 'gdpr_export', contact_id: person.id, specialist_id: leadId, route: '/api/gdpr/contacts/:id/export/zip' }));
  });

  it('streams one export at a time: a second one while the first is downloading is refused (429 export_busy), the next one after it works', async () => {
    // A file larger than the sockets' buffers, so the first download stays open while its reader waits.
    const bytes = randomBytes(24 * 1024 * 1024);
    const sha256 = AttachmentStore.hash(bytes);
    server.store.attachments.ensureBlob(sha256, bytes);
    server.store.attachments.insert({ sha256, size: bytes.byteLength, contentType: 'application/octet-stream', name: 'stor.bin', bytes }, { caseId, contactId: person.id, createdAt: new Date().toISOString() });
    const url = new URL(`${server.url}${ROUTES.gdprExportZip(person.id)}`);
    const first = await new Promise<IncomingMessage>((resolve, reject) => {
      httpGet(url, { headers: { authorization: `Bearer ${leadToken}` } }, resolve).on('error', reject);
    });
    try {
    expect(first.statusCode).toBe(200);
    // The first one's body is not read yet: the export waits on it.
    const second = await fetch(url, { headers: { authorization: `Bearer ${leadToken}` } });
    expect(second.status).toBe(429);
    expect(await second.json()).toMatchObject({ error: { code: 'export_busy' } });
    const chunks: Buffer[] = [];
    for await (const chunk of first as AsyncIterable<Buffer>) chunks.push(chunk);
    const files = unzipSync(new Uint8Array(Buffer.concat(chunks)));
    const big = Object.entries(files).find(([name]) => name.endsWith('-stor.bin'))?.[1];
    expect(big && Buffer.from(big).equals(bytes)).toBe(true);
    const third = await fetch(url, { headers: { authorization: `Bearer ${leadToken}` } });
    expect(third.status).toBe(200);
    expect(Object.keys(unzipSync(new Uint8Array(await third.arrayBuffer())))).toContain(`contact-${person.id}.json`);
    } finally {
      first.destroy();
      // The next tests count this person's files: this one goes again.
      server.store.db.prepare('DELETE FROM attachments WHERE sha256 = ?').run(sha256);
    }
  });

  it('previews an anonymisation without changing anything, and the anonymisation then does what it said', async () => {
    // A note naming the person, so the preview has free text to count.
    const push = await specialist.post(ROUTES.push, {
      mutations: [{ clientId: randomUUID(), mutationId: 1, name: 'addNote', args: { caseId, eventId: randomUUID(), text: `Ringde ${person.name} på ${person.phone}` } }],
    });
    expect(push.body.results[0]?.status).toBe('applied');
    await api(server).post(ROUTES.cti(server.ctiToken), { event: 'newCall', from: person.phone, to: '+46812345000', direction: 'in', callId: randomUUID() });
    // Their mail: one on their case (a mail event too), one waiting in the review list (no event),
    // and someone else's on the case with them in Cc and their address in the subject (an event too).
    const address = person.email ?? '';
    seedMail(server.store, { from: address, subject: 'Fråga', caseId });
    seedMail(server.store, { from: address, subject: 'Okänt ärende' });
    seedMail(server.store, { from: 'kollega@kund.example', subject: `Angående ${address}`, cc: address, caseId });
    // A customer-centre account, which the anonymisation deletes.
    server.store.centre.ensure(person.id, address, leadId, new Date().toISOString());
    const seq = server.store.changes.latestSeq();
    const before = JSON.stringify(GdprOverviewSchema.parse((await lead.get(ROUTES.gdprContact(person.id))).body).events);

    const reply = await lead.get(ROUTES.gdprAnonymisePreview(person.id));
    expect(reply.status).toBe(200);
    const preview = AnonymisePreviewSchema.parse(reply.body);
    expect(preview).toMatchObject({ contactId: person.id, alreadyAnonymised: false, casesKept: server.store.cases.byContact(person.id).length });
    expect(preview.fields).toEqual(expect.arrayContaining(['name', 'email', 'phone', 'centreAccount']));
    // Three stored mails change; their two mail events are counted in `events`, not again here.
    expect(preview.mails).toBe(3);
    expect(preview.events).toBeGreaterThan(0);
    expect(preview.calls).toBeGreaterThan(0);
    expect(preview.attachments).toBe(1);
    // Nothing changed: the contact, the histories, the feed, the file.
    expect(server.store.contacts.get(person.id)).toEqual(person);
    expect(server.store.changes.latestSeq()).toBe(seq);
    expect(server.store.attachments.ofContact(person.id)).toHaveLength(1);
    const after = JSON.stringify(GdprOverviewSchema.parse((await lead.get(ROUTES.gdprContact(person.id))).body).events);
    expect(after).toBe(before);

    const since = lastAuditId();
    expect((await lead.post(ROUTES.gdprAnonymise(person.id))).status).toBe(200);
    const done = auditSince(since).find((r) => r.action === 'anonymise');
    expect(JSON.parse(done?.detail ?? '{}')).toEqual({ calls: preview.calls, events: preview.events, cases: preview.casesChanged, attachments: preview.attachments, mails: 3 });
    expect(server.store.centre.get(person.id)).toBeNull();
    expect(server.store.db.prepare('SELECT count(*) FROM mail_messages WHERE from_address = ? OR cc_address LIKE ?').pluck().get(address, `%${address}%`)).toBe(0);
    expect(server.store.cases.byContact(person.id)).toHaveLength(preview.casesKept);

    const again = AnonymisePreviewSchema.parse((await lead.get(ROUTES.gdprAnonymisePreview(person.id))).body);
    expect(again).toMatchObject({ alreadyAnonymised: true, fields: [], events: 0, calls: 0 });
    // Still found, by the placeholder name, and marked.
    const found = GdprSearchResultSchema.parse((await lead.get(`${ROUTES.gdprSearch}?q=${encodeURIComponent('Anonym')}`)).body);
    expect(found.contacts.find((c) => c.contact.id === person.id)?.contact.anonymisedAt).not.toBeNull();
  });

  it('lists admin actions only with kind=admin, newest first, paged, filtered by actor and action', async () => {
    const target = server.store.specialists.list().find((s) => s.role === 'specialist' && s.active);
    expect((await lead.post(ROUTES.passwordReset(target?.id ?? ''))).status).toBe(200);
    const page = AuditPageSchema.parse((await lead.get(`${ROUTES.audit}?kind=admin&limit=3`)).body);
    expect(page.entries).toHaveLength(3);
    expect(page.entries.map((e) => e.action)).not.toContain('sync');
    expect(page.entries[0]).toMatchObject({ action: 'password_reset_issued', specialistId: leadId, targetId: target?.id });
    const ids = page.entries.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const next = AuditPageSchema.parse((await lead.get(`${ROUTES.audit}?kind=admin&limit=3&before=${page.next}`)).body);
    expect(Math.max(...next.entries.map((e) => e.id))).toBeLessThan(Math.min(...ids));
    const all = AuditPageSchema.parse((await lead.get(`${ROUTES.audit}?kind=admin&limit=1000`)).body).entries;
    const reads = new Set(['sync', 'view', 'search', 'call', 'gdpr_overview', 'login']);
    expect(all.filter((e) => reads.has(e.action))).toEqual([]);
    expect([...new Set(all.map((e) => e.action))]).toEqual(expect.arrayContaining(['gdpr_search', 'gdpr_export', 'anonymise', 'password_reset_issued']));
    const mine = AuditPageSchema.parse((await lead.get(`${ROUTES.audit}?kind=admin&specialistId=${leadId}&action=anonymise`)).body).entries;
    expect(mine.map((e) => e.contactId)).toEqual([person.id]);
    // Without kind, the reads are there too (the existing behaviour).
    const everything = AuditPageSchema.parse((await lead.get(`${ROUTES.audit}?limit=1000`)).body).entries;
    expect(everything.some((e) => reads.has(e.action))).toBe(true);
    expect((await lead.get(`${ROUTES.audit}?kind=other`)).status).toBe(400);
  });
});
