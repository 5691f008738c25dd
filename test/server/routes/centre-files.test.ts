/**
 * The customer centre's files against a real server: the upload checked like the desk's (size,
 * emptiness, the kind read from the bytes) and limited to the kinds a customer may attach; files
 * named in a new case or a reply linked in the same transaction (on the desk's feed like a mail's
 * files), a bad id refusing the whole case; downloads of the company's own public files only
 * (another company's, a forged id, an internal note's and a desk's unsent upload are 404), with
 * safe headers; tokens of the other side refused both ways; unused uploads swept after a day (the
 * bytes only once the rows' removal has committed); only so many uploads waiting per person.
 */
import { createHash, randomUUID } from 'node:crypto';
import { addCentreParty } from '../../support/centre';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CaseEventsResponseSchema, ROUTES } from '../../../shared/api';
import { CENTRE_PENDING_UPLOAD_FILES_OF_MAX_SIZE, CENTRE_PENDING_UPLOADS_MAX, CENTRE_UPLOAD_KEEP_HOURS, CentreCaseResponseSchema, CentreSessionSchema, CentreUploadResponseSchema, type CentreUpload } from '../../../shared/centre';
import type { Contact, Customer } from '../../../shared/contract';
import { ATTACHMENTS_PER_EVENT_MAX } from '../../../shared/mail';
import { startTestServer, type TestServer } from '../../support/server';
import { Desk } from '../../support/cases';
import { api, request } from '../../support/http';
import { leadWithTwoFactor } from '../../support/two-factor';
import { download, read, upload as deskUpload, type RawReply } from '../../support/attachments';
import { exeBytes, pngBytes } from '../../support/png';
import { freePort, startRelay, testMailSettings, type Relay } from '../../support/mail';

const PASSWORD = 'mörk blå fjällräv hoppar 7 gånger';
/** Small, so the limit is cheap to cross (the desk's own setting, DESK_ATTACHMENT_MAX_MB). */
const LIMIT_MB = 0.05;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

let clock = Date.now();
let server: TestServer;
let lead: string;
let specialist: string;
let relay: Relay;

interface Party {
  customer: Customer;
  contact: Contact;
  token: string;
}

async function party(tag: string): Promise<Party> {
  const { customer, contact } = addCentreParty(server.store, 'files', tag, { licensedModules: ['finance'] });
  const invited = await request(server.url, 'POST', ROUTES.centreInvitations, { token: lead, json: { contactId: contact.id } });
  expect(invited.status, invited.text).toBe(200);
  const sent = await relay.waitFor((m) => m.envelopeTo.includes(contact.email ?? ''));
  const link = /#\/invitation\/([A-Za-z0-9_-]{43})/.exec(sent.mail.text ?? '')?.[1] ?? '';
  const set = await request(server.url, 'POST', ROUTES.centrePassword, { json: { token: link, password: PASSWORD } });
  expect(set.status, set.text).toBe(200);
  return { customer, contact, token: CentreSessionSchema.parse(set.body).token };
}

/** Signs in again (after the clock moved past the session's idle time). */
async function again(p: Party): Promise<string> {
  const answer = await request(server.url, 'POST', ROUTES.centreLogin, { json: { email: p.contact.email, password: PASSWORD } });
  expect(answer.status, answer.text).toBe(200);
  return CentreSessionSchema.parse(answer.body).token;
}

/** A customer's upload as the centre sends it: the bytes, the name URI-encoded. */
async function upload(token: string | undefined, name: string, bytes: Uint8Array, type?: string): Promise<RawReply> {
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name) };
  if (type !== undefined) headers['x-file-type'] = type;
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return read(await fetch(`${server.url}${ROUTES.centreUploads}`, { method: 'POST', headers, body: Buffer.from(bytes) }));
}

async function uploaded(token: string, name: string, bytes: Uint8Array): Promise<CentreUpload> {
  const answer = await upload(token, name, bytes);
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return CentreUploadResponseSchema.parse(answer.body).upload;
}

const fileOf = async (token: string | undefined, id: string): Promise<RawReply> =>
  read(await fetch(`${server.url}${ROUTES.centreFile(id)}`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } }));

const register = (token: string, body: Record<string, unknown>) =>
  request(server.url, 'POST', ROUTES.centreCases, { token, json: { module: 'finance', category: 'support', serviceLevel: null, title: 'Rapporten visar fel', description: 'Se skärmbilden.', ...body } });

const view = async (token: string, id: string) => CentreCaseResponseSchema.parse((await request(server.url, 'GET', ROUTES.centreCase(id), { token })).body);

const rows = (sql: string, ...args: string[]): number => server.store.db.prepare<string[], number>(sql).pluck().get(...args) ?? 0;
const auditRows = (contactId: string, action: string): number => rows('SELECT count(*) FROM audit_log WHERE contact_id = ? AND action = ?', contactId, action);

let a: Party;
let b: Party;
/** Of the tests of the waiting uploads' allowance and of the sweep's rollback (signed in before the clock moves). */
let c: Party;
let d: Party;
let e: Party;

beforeAll(async () => {
  // The mail channel on (a specialist's reply needs the office's mailbox): an unreachable IMAP server, a real SMTP relay.
  relay = await startRelay();
  const settings = testMailSettings({ host: '127.0.0.1', port: await freePort() }, relay);
  server = await startTestServer({
    cases: 30,
    server: { now: () => new Date(clock), attachmentMaxMb: LIMIT_MB, mail: { settings, reconnect: { baseMs: 60_000, maxMs: 60_000 } } },
  });
  lead = (await leadWithTwoFactor(server)).token;
  specialist = await server.login(server.specialistEmails[0]);
  a = await party('a');
  b = await party('b');
  c = await party('c');
  d = await party('d');
  e = await party('e');
}, 120_000);
afterAll(async () => {
  await server.close();
  await relay.stop();
});

describe('the customer centre\'s files', () => {
  it('takes a screenshot, puts it on the registered case\'s first event for the desk, and serves it back to the company only', async () => {
    const png = pngBytes(16, 16, [200, 40, 40], 7);
    const shot = await uploaded(a.token, 'skärmbild 1.png', png);
    expect(shot).toMatchObject({ name: 'skärmbild 1.png', size: png.length, contentType: 'image/png' });
    // Not a case's file yet: nobody downloads it, the uploader neither.
    expect((await fileOf(a.token, shot.id)).status).toBe(404);
    expect(auditRows(a.contact.id, 'centre_upload')).toBe(1);

    const before = server.store.changes.latestSeq();
    const created = await register(a.token, { files: [shot.id] });
    expect(created.status, created.text).toBe(201);
    const caseId = (created.body as { case: { id: string } }).case.id;
    const first = server.store.events.forCase(caseId).find((e) => e.kind === 'created');
    expect(first?.data).toMatchObject({ attachments: 1 });
    expect(server.store.attachments.get(shot.id)).toMatchObject({ caseId, eventId: first?.id, contactId: a.contact.id, uploadedBy: null });

    // The desk sees it like a mail's file: in the change feed and in the case's events.
    const desk = api(server, specialist);
    const feed = await desk.get<{ attachments: Array<{ id: string; eventId: string }> }>(`${ROUTES.changes}?after=${before}&limit=1000`);
    expect(feed.body.attachments).toEqual(expect.arrayContaining([expect.objectContaining({ id: shot.id, eventId: first?.id })]));
    const events = CaseEventsResponseSchema.parse((await desk.get(ROUTES.caseEvents(caseId))).body);
    expect(events.attachments.map((f) => f.id)).toEqual([shot.id]);
    expect((await download(server.url, specialist, shot.id)).bytes.equals(png)).toBe(true);

    // The customer's case view lists it with the registration, and the bytes come back with safe headers.
    expect((await view(a.token, caseId)).files).toEqual([{ id: shot.id, entryId: null, name: 'skärmbild 1.png', size: png.length, contentType: 'image/png' }]);
    const got = await fileOf(a.token, shot.id);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(png)).toBe(true);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('content-disposition')).toMatch(/^inline; filename="sk_rmbild 1.png"; filename\*=UTF-8''sk%C3%A4rmbild%201.png$/);
    expect(got.headers.get('content-security-policy')).toContain('sandbox');
    expect(auditRows(a.contact.id, 'centre_file_download')).toBe(1);

    // Another company's SuperUser, and forged ids: 404, nothing said.
    expect((await fileOf(b.token, shot.id)).status).toBe(404);
    expect((await fileOf(b.token, randomUUID())).status).toBe(404);
    expect((await fileOf(b.token, '../../etc/passwd')).status).toBe(404);
    // Named again in another case: it is on a case already.
    const again = await register(a.token, { files: [shot.id] });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: { code: 'file_not_found', field: 'files' } });
  });

  it('refuses a file over the limit, an empty one and a program (whatever it is called), writing nothing', async () => {
    const count = () => rows('SELECT count(*) FROM attachments WHERE contact_id = ?', a.contact.id);
    const before = count();
    const big = await upload(a.token, 'stor.png', Buffer.concat([pngBytes(), Buffer.alloc(Math.ceil(LIMIT_MB * 1024 * 1024))]));
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ error: { code: 'too_large' } });
    expect((await upload(a.token, 'tom.txt', Buffer.alloc(0))).body).toMatchObject({ error: { code: 'empty' } });
    const program = await upload(a.token, 'skärmbild.png', exeBytes(), 'image/png');
    expect(program.status).toBe(415);
    expect(program.body).toMatchObject({ error: { code: 'type_not_allowed' } });
    // Bytes of no known kind are refused too; plain text is a kind a customer may send.
    expect((await upload(a.token, 'data.bin', Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0, 9]))).status).toBe(415);
    expect((await upload(a.token, 'logg.txt', Buffer.from('2026-12-07 fel i rad 4\n'), 'text/plain')).status).toBe(201);
    expect(count()).toBe(before + 1);
    // Not as a form or JSON: the bytes only.
    const json = await request(server.url, 'POST', ROUTES.centreUploads, { token: a.token, json: { file: 'x' }, headers: { 'x-file-name': 'x.txt' } });
    expect(json.status).toBe(415);
    const nameless = await upload(a.token, '', pngBytes());
    expect(nameless.body).toMatchObject({ error: { field: 'x-file-name' } });
  });

  it('refuses a case naming too many files, a file twice, or a file not the SuperUser\'s own, and registers nothing', async () => {
    const cases = () => rows('SELECT count(*) FROM cases WHERE customer_id = ?', a.customer.id);
    const before = cases();
    const mine = await uploaded(a.token, 'min.png', pngBytes(4, 4, [1, 2, 3], 11));
    const theirs = await uploaded(b.token, 'deras.png', pngBytes(4, 4, [1, 2, 3], 12));
    const many = Array.from({ length: ATTACHMENTS_PER_EVENT_MAX + 1 }, () => randomUUID());
    expect((await register(a.token, { files: many })).body).toMatchObject({ error: { field: 'files' } });
    expect((await register(a.token, { files: [mine.id, mine.id] })).body).toMatchObject({ error: { field: 'files' } });
    expect((await register(a.token, { files: [mine.id, theirs.id] })).body).toMatchObject({ error: { code: 'file_not_found', field: 'files' } });
    expect((await register(a.token, { files: [mine.id, randomUUID()] })).body).toMatchObject({ error: { code: 'file_not_found', field: 'files' } });
    // A desk's upload is a specialist's, never a customer's.
    const deskCase = server.store.db.prepare<[], string>("SELECT id FROM cases WHERE status <> 'closed' LIMIT 1").pluck().get() ?? '';
    const deskFile = await deskUpload(server.url, specialist, { caseId: deskCase, name: 'desk.png', bytes: pngBytes(4, 4, [9, 9, 9], 13) });
    expect(deskFile.status).toBe(200);
    expect((await register(a.token, { files: [deskFile.id] })).body).toMatchObject({ error: { code: 'file_not_found' } });
    expect(cases()).toBe(before);
    // Nothing was linked by the refused attempts: the upload still goes on a case.
    expect(server.store.attachments.get(mine.id)).toMatchObject({ caseId: null, eventId: null });
    expect((await register(a.token, { files: [mine.id] })).status).toBe(201);
  });

  it('puts a reply\'s files on its mail event; shows the public entries\' files and never a note\'s', async () => {
    const created = await register(a.token, { title: 'Lönebeskedet saknas' });
    const caseId = (created.body as { case: { id: string } }).case.id;
    // The specialist's internal note with a file, and a public reply with one.
    const desk = new Desk(api(server, specialist));
    const noteFile = await deskUpload(server.url, specialist, { caseId, name: 'intern.png', bytes: pngBytes(6, 6, [5, 5, 5], 21) });
    const replyFile = await deskUpload(server.url, specialist, { caseId, name: 'instruktion.png', bytes: pngBytes(6, 6, [6, 6, 6], 22) });
    const replyEvent = randomUUID();
    const pushed = await desk.push(
      desk.mutation('addNote', { caseId, eventId: randomUUID(), text: 'INTERN: se bilden', attachmentIds: [noteFile.id] }),
      desk.mutation('sendReply', { caseId, eventId: replyEvent, text: 'Hej! Se instruktionen.', attachmentIds: [replyFile.id] }),
    );
    expect(pushed.results.map((r) => r.status), JSON.stringify(pushed.results)).toEqual(['applied', 'applied']);

    const pdf = await uploaded(a.token, 'lönebesked.pdf', PDF);
    expect(pdf.contentType).toBe('application/pdf');
    const replied = await request(server.url, 'POST', ROUTES.centreReplies(caseId), { token: a.token, json: { text: 'Här är lönebeskedet.', files: [pdf.id] } });
    expect(replied.status, replied.text).toBe(201);
    const eventId = (replied.body as { eventId: string }).eventId;
    expect(server.store.events.forCase(caseId).find((e) => e.id === eventId)).toMatchObject({ kind: 'mail', data: { direction: 'in', attachments: 1 } });
    expect(server.store.attachments.get(pdf.id)).toMatchObject({ caseId, eventId });

    const seen = await view(a.token, caseId);
    expect(seen.files.map((f) => [f.name, f.entryId])).toEqual([
      ['instruktion.png', replyEvent],
      ['lönebesked.pdf', eventId],
    ]);
    expect(JSON.stringify(seen)).not.toContain('intern.png');
    expect((await fileOf(a.token, noteFile.id)).status).toBe(404);
    expect((await fileOf(a.token, replyFile.id)).status).toBe(200);
    const doc = await fileOf(a.token, pdf.id);
    expect(doc.status).toBe(200);
    expect(doc.headers.get('content-type')).toBe('application/pdf');
    expect(doc.headers.get('content-disposition')).toMatch(/^attachment; /);
    expect(doc.headers.get('x-content-type-options')).toBe('nosniff');
    // A bad file id refuses the reply whole: no mail event is added.
    const events = server.store.events.forCase(caseId).length;
    const bad = await request(server.url, 'POST', ROUTES.centreReplies(caseId), { token: a.token, json: { text: 'Och en till.', files: [pdf.id] } });
    expect(bad.body).toMatchObject({ error: { code: 'file_not_found', field: 'files' } });
    expect(server.store.events.forCase(caseId)).toHaveLength(events);
  });

  it('opens the customer\'s file routes with no specialist\'s token, and the desk\'s file routes with no customer\'s', async () => {
    const created = await register(a.token, { files: [(await uploaded(a.token, 'egen.png', pngBytes(5, 5, [7, 7, 7], 31))).id] });
    const caseId = (created.body as { case: { id: string } }).case.id;
    const fileId = server.store.attachments.ofCase(caseId)[0]?.id ?? '';
    for (const token of [specialist, lead, undefined]) {
      expect((await upload(token, 'x.png', pngBytes())).status).toBe(401);
      expect((await fileOf(token, fileId)).status).toBe(401);
    }
    expect((await deskUpload(server.url, a.token, { caseId, name: 'x.png', bytes: pngBytes() })).status).toBe(401);
    expect((await download(server.url, a.token, fileId)).status).toBe(401);
  });

  it(`sweeps an upload never named in a case or reply after ${CENTRE_UPLOAD_KEEP_HOURS} hours, and keeps a recent one`, async () => {
    const stale = await uploaded(a.token, 'glömd.png', pngBytes(7, 7, [40, 41, 42], 41));
    const blob = server.store.attachments.blobPath(server.store.attachments.get(stale.id)?.sha256 ?? '');
    expect(existsSync(blob)).toBe(true);
    clock += (CENTRE_UPLOAD_KEEP_HOURS - 1) * 3_600_000;
    a.token = await again(a);
    const recent = await uploaded(a.token, 'ny.png', pngBytes(7, 7, [40, 41, 42], 42));
    // Not a day old yet: still there.
    expect(server.store.attachments.get(stale.id)).not.toBeNull();
    clock += 2 * 3_600_000;
    a.token = await again(a);
    // The next upload sweeps what is over a day old (the server also sweeps every hour).
    await uploaded(a.token, 'senare.png', pngBytes(7, 7, [40, 41, 42], 43));
    expect(server.store.attachments.get(stale.id)).toBeNull();
    expect(existsSync(blob)).toBe(false);
    expect(server.store.attachments.get(recent.id)).not.toBeNull();
    expect((await register(a.token, { files: [stale.id] })).body).toMatchObject({ error: { code: 'file_not_found', field: 'files' } });
    expect((await register(a.token, { files: [recent.id] })).status).toBe(201);
    // A linked file is never swept, however old.
    clock += 48 * 3_600_000;
    a.token = await again(a);
    await uploaded(a.token, 'sist.png', pngBytes(7, 7, [40, 41, 42], 44));
    expect(server.store.attachments.get(recent.id)).not.toBeNull();
  });
  it(`refuses a ${CENTRE_PENDING_UPLOADS_MAX + 1}st upload waiting to be named (429), writing nothing, until files go on a case`, async () => {
    c.token = await again(c);
    const text = (i: number): Buffer => Buffer.from(`logg ${i} ${randomUUID()}\n`);
    for (let i = 0; i < CENTRE_PENDING_UPLOADS_MAX; i++) await uploaded(c.token, `logg-${i}.txt`, text(i));
    const count = () => rows('SELECT count(*) FROM attachments WHERE contact_id = ?', c.contact.id);
    expect(count()).toBe(CENTRE_PENDING_UPLOADS_MAX);
    const extra = text(-1);
    const refused = await upload(c.token, 'en-till.txt', extra);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: { code: 'too_many_uploads', field: 'body' } });
    expect(count()).toBe(CENTRE_PENDING_UPLOADS_MAX);
    expect(existsSync(server.store.attachments.blobPath(createHash('sha256').update(extra).digest('hex')))).toBe(false);
    // Named in a case, they wait no more: there is room again.
    const ids = server.store.db
      .prepare<[string], string>(`SELECT id FROM attachments WHERE contact_id = ? AND case_id IS NULL LIMIT ${ATTACHMENTS_PER_EVENT_MAX}`)
      .pluck()
      .all(c.contact.id);
    expect((await register(c.token, { files: ids })).status).toBe(201);
    await uploaded(c.token, 'en-till.txt', extra);
  });

  it(`refuses an upload when the waiting ones would pass ${CENTRE_PENDING_UPLOAD_FILES_OF_MAX_SIZE} times the size limit`, async () => {
    d.token = await again(d);
    const limit = server.store.attachments.maxBytes;
    const size = Math.floor(limit * 0.9);
    const big = (i: number): Buffer => Buffer.from(`${i}`.padEnd(size, 'x'));
    for (let i = 0; i < CENTRE_PENDING_UPLOAD_FILES_OF_MAX_SIZE; i++) await uploaded(d.token, `stor-${i}.txt`, big(i));
    const refused = await upload(d.token, 'en-till.txt', big(99));
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: { code: 'too_many_uploads' } });
    expect(rows('SELECT count(*) FROM attachments WHERE contact_id = ?', d.contact.id)).toBe(CENTRE_PENDING_UPLOAD_FILES_OF_MAX_SIZE);
    // A small one still fits under the sum.
    await uploaded(d.token, 'liten.txt', Buffer.from('liten logg\n'));
  });

  it('deletes a swept upload\'s bytes only after the rows\' removal committed, even when the upload that swept fails', async () => {
    e.token = await again(e);
    const stale = await uploaded(e.token, 'gammal.png', pngBytes(6, 6, [70, 71, 72], 71));
    const blob = server.store.attachments.blobPath(server.store.attachments.get(stale.id)?.sha256 ?? '');
    clock += (CENTRE_UPLOAD_KEEP_HOURS + 1) * 3_600_000;
    e.token = await again(e);
    // The upload's own transaction fails after the sweep ran.
    const original = server.store.audit.recordAction.bind(server.store.audit);
    const spy = vi.spyOn(server.store.audit, 'recordAction').mockImplementation((entry) => {
      if (entry.action === 'centre_upload') throw new Error('the disk is full');
      return original(entry);
    });
    const failedBytes = pngBytes(6, 6, [70, 71, 72], 72);
    try {
      expect((await upload(e.token, 'ny.png', failedBytes)).status).toBe(500);
    } finally {
      spy.mockRestore();
    }
    // No row names bytes that are gone: the stale row went with its bytes, the failed upload left neither.
    expect(server.store.attachments.get(stale.id)).toBeNull();
    expect(existsSync(blob)).toBe(false);
    expect(existsSync(server.store.attachments.blobPath(createHash('sha256').update(failedBytes).digest('hex')))).toBe(false);
    // And the sweep refuses to run inside another transaction, where a rollback would bring rows back.
    expect(() => server.store.transaction(() => server.store.attachments.sweepCentreUploads(new Date(clock).toISOString()))).toThrow(/outside a transaction/);
    await uploaded(e.token, 'ny.png', failedBytes);
  });
});
