import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BootstrapPageSchema, CaseEventsResponseSchema, ChangesPageSchema, GdprOverviewSchema, ROUTES } from '../../../shared/api';
import type { Case, Contact } from '../../../shared/contract';
import { mailAttachmentSink } from '../../../server/store/attachments';
import { startTestServer, type TestServer } from '../../support/server';
import { Desk } from '../../support/cases';
import { api, type Api } from '../../support/http';
import { leadWithTwoFactor } from '../../support/two-factor';
import { download, upload } from '../../support/attachments';
import { exeBytes, pngBytes } from '../../support/png';

const LIMIT_MB = 0.05;

describe('attachments: store, upload, download, linking, feed, GDPR', () => {
  let server: TestServer;
  let token: string;
  let otherToken: string;
  let me: Api;
  let desk: Desk;
  let aCase: Case;
  let otherCase: Case;

  beforeAll(async () => {
    server = await startTestServer({ cases: 40, server: { attachmentMaxMb: LIMIT_MB } });
    token = await server.login(server.specialistEmails[0]);
    otherToken = await server.login(server.specialistEmails[1]);
    me = api(server, token);
    desk = new Desk(me);
    const open = server.store.db.prepare("SELECT id FROM cases WHERE status <> 'closed' AND contact_id IS NOT NULL ORDER BY number LIMIT 2").pluck().all() as string[];
    aCase = server.store.cases.get(open[0] as string) as Case;
    otherCase = server.store.cases.get(open[1] as string) as Case;
  });
  afterAll(() => server.close());

  const note = (caseId: string, attachmentIds: string[], eventId = randomUUID()) =>
    desk.mutation('addNote', { caseId, eventId, text: 'Skärmbild bifogad.', attachmentIds });

  it('stores the same bytes once, by content hash, in private files', async () => {
    const bytes = pngBytes(8, 8, [1, 2, 3], 1);
    const first = await upload(server.url, token, { caseId: aCase.id, name: 'bild.png', bytes });
    const second = await upload(server.url, otherToken, { caseId: otherCase.id, name: 'kopia.png', bytes });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(first.body.attachment).toMatchObject({ id: first.id, caseId: aCase.id, eventId: null, name: 'bild.png', size: bytes.length, contentType: 'image/png' });
    const rows = server.store.db.prepare('SELECT sha256 FROM attachments WHERE id IN (?, ?)').pluck().all(first.id, second.id) as string[];
    expect(new Set(rows).size).toBe(1);
    const dir = join(server.dataDir, 'attachments');
    const hash = rows[0] as string;
    const blob = join(dir, hash.slice(0, 2), hash);
    expect(readdirSync(join(dir, hash.slice(0, 2)))).toEqual([hash]);
    expect(statSync(blob).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, hash.slice(0, 2))).mode & 0o777).toBe(0o700);
  });

  it('believes the bytes, not the name or the declared type', async () => {
    const exe = await upload(server.url, token, { caseId: aCase.id, name: 'semester.png', bytes: exeBytes(), type: 'image/png' });
    expect(exe.status).toBe(200);
    expect(exe.body.attachment.contentType).toBe('application/x-msdownload');
    // Never shown inline, whatever it is called; downloaded as what it is.
    expect((await download(server.url, token, exe.id, true)).status).toBe(415);
    const got = await download(server.url, token, exe.id);
    expect(got.headers.get('content-type')).toBe('application/x-msdownload');
    // HTML declared as HTML is served as plain text, as a download, never sniffed.
    const html = await upload(server.url, token, { caseId: aCase.id, name: 'x.html', bytes: Buffer.from('<script>alert(1)</script>'), type: 'text/html' });
    expect(html.body.attachment.contentType).toBe('text/plain');
    const csv = await upload(server.url, token, { caseId: aCase.id, name: 'lista.csv', bytes: Buffer.from('a;b\n1;2\n'), type: 'text/csv' });
    expect(csv.body.attachment.contentType).toBe('text/csv');
  });

  it('refuses a file over the limit naming the limit, and an empty one', async () => {
    const big = await upload(server.url, token, { caseId: aCase.id, name: 'stor.bin', bytes: Buffer.alloc(Math.ceil(LIMIT_MB * 1024 * 1024) + 1, 7) });
    expect(big.status).toBe(413);
    expect(big.body.error).toMatchObject({ code: 'too_large' });
    expect(big.body.error.message).toContain(`${LIMIT_MB} MB`);
    const empty = await upload(server.url, token, { caseId: aCase.id, name: 'tom.txt', bytes: new Uint8Array(0) });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('empty');
    expect(server.store.attachments.get(big.id)).toBeNull();
    expect(server.store.attachments.get(empty.id)).toBeNull();
  });

  it('is idempotent by id: the same file again is the same answer, another file under it a 409', async () => {
    const bytes = pngBytes(4, 4, [9, 9, 9], 2);
    const first = await upload(server.url, token, { caseId: aCase.id, name: 'a.png', bytes });
    const again = await upload(server.url, token, { id: first.id, caseId: aCase.id, name: 'a.png', bytes });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(server.store.db.prepare('SELECT count(*) FROM attachments WHERE id = ?').pluck().get(first.id)).toBe(1);
    const other = await upload(server.url, token, { id: first.id, caseId: aCase.id, name: 'a.png', bytes: pngBytes(4, 4, [9, 9, 9], 3) });
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({ code: 'id_taken', field: 'x-attachment-id' });
    const someoneElse = await upload(server.url, otherToken, { id: first.id, caseId: aCase.id, name: 'a.png', bytes });
    expect(someoneElse.status).toBe(409);
  });

  it('keeps the bytes of an upload that races an anonymisation sweeping identical bytes, and a retried upload brings back a missing blob', async () => {
    const files = server.store.attachments;
    const bytes = Buffer.from(`samma kvitto ${randomUUID()}`);
    const createdAt = new Date().toISOString();
    // A file of a person about to be anonymised.
    const theirs = await files.prepare(bytes, 'kvitto.txt', 'text/plain');
    const row = server.store.transaction(() => files.insert(theirs, { caseId: aCase.id, createdAt }));
    // An upload of the same bytes has prepared (the blob was there, so it wrote nothing) ...
    const mine = await files.prepare(bytes, 'min-kopia.txt', 'text/plain');
    // ... when the anonymisation removes the person's row and sweeps the blob no row names.
    server.store.transaction(() => server.store.db.prepare('DELETE FROM attachments WHERE id = ?').run(row.id));
    expect(files.sweep([theirs.sha256])).toBe(1);
    const blob = files.blobPath(theirs.sha256);
    expect(existsSync(blob)).toBe(false);
    // The upload's row is written: its bytes are there again.
    server.store.transaction(() => files.insert(mine, { caseId: aCase.id, uploadedBy: null, createdAt }));
    expect(existsSync(blob)).toBe(true);

    // A blob lost anyway (a restore, a sweep of old): the desk's retry of the upload writes it again.
    const png = pngBytes(5, 5, [7, 7, 7], 4);
    const first = await upload(server.url, token, { caseId: aCase.id, name: 'igen.png', bytes: png });
    const hash = server.store.db.prepare('SELECT sha256 FROM attachments WHERE id = ?').pluck().get(first.id) as string;
    rmSync(files.blobPath(hash));
    expect((await download(server.url, token, first.id)).status).toBe(410);
    expect((await upload(server.url, token, { id: first.id, caseId: aCase.id, name: 'igen.png', bytes: png })).status).toBe(200);
    expect((await download(server.url, token, first.id)).status).toBe(200);
  });

  it('keeps only the last part of a name, without control characters', async () => {
    const bytes = Buffer.from('hej\n');
    const up = await upload(server.url, token, { caseId: aCase.id, name: '../../etc/pass\u0000wd\u202e.txt', bytes });
    expect(up.status).toBe(200);
    expect(up.body.attachment.name).toBe('passwd.txt');
    const windows = await upload(server.url, token, { caseId: aCase.id, name: 'C:\\Users\\x\\..\\secret.txt', bytes });
    expect(windows.body.attachment.name).toBe('secret.txt');
    const long = await upload(server.url, token, { caseId: aCase.id, name: `${'å'.repeat(300)}.pdf`, bytes });
    expect([...long.body.attachment.name]).toHaveLength(200);
    expect(long.body.attachment.name.endsWith('.pdf')).toBe(true);
    const dots = await upload(server.url, token, { caseId: aCase.id, name: '..', bytes });
    expect(dots.body.attachment.name).toBe('file');
    // Nothing outside the attachments folder was written.
    expect(readdirSync(server.dataDir).sort()).toEqual(expect.arrayContaining(['attachments']));
    expect(existsSync(join(server.dataDir, 'passwd.txt'))).toBe(false);
  });

  it('refuses bad headers naming the header, an unknown case, and anyone not signed in', async () => {
    const bytes = Buffer.from('x');
    expect((await upload(server.url, undefined, { caseId: aCase.id, name: 'a.txt', bytes })).status).toBe(401);
    const noCase = await upload(server.url, token, { caseId: 'no-such-case', name: 'a.txt', bytes });
    expect(noCase.status).toBe(404);
    expect(noCase.body.error.field).toBe('x-case-id');
    const badId = await upload(server.url, token, { id: 'not-a-uuid', caseId: aCase.id, name: 'a.txt', bytes });
    expect(badId.status).toBe(400);
    expect(badId.body.error.field).toBe('x-attachment-id');
    const json = await fetch(`${server.url}${ROUTES.attachments}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(400);
    const up = await upload(server.url, token, { caseId: aCase.id, name: 'a.txt', bytes });
    expect((await download(server.url, undefined, up.id)).status).toBe(401);
    expect((await download(server.url, 'x'.repeat(40), up.id)).status).toBe(401);
  });

  it('downloads as an attachment, previews raster images in a sandbox, and audits each fetch', async () => {
    const bytes = pngBytes(6, 6, [200, 10, 10], 4);
    const up = await upload(server.url, token, { caseId: aCase.id, name: 'Skärmbild "1".png', bytes });
    // Until it is on a note, only the uploader may fetch it.
    expect((await download(server.url, otherToken, up.id)).status).toBe(404);
    await desk.push(note(aCase.id, [up.id]));
    const before = server.store.db.prepare('SELECT coalesce(max(id), 0) FROM audit_log').pluck().get() as number;
    const got = await download(server.url, otherToken, up.id);
    expect(got.status).toBe(200);
    expect(Buffer.compare(got.bytes, bytes)).toBe(0);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('content-disposition')).toBe(`attachment; filename="Sk_rmbild _1_.png"; filename*=UTF-8''Sk%C3%A4rmbild%20%221%22.png`);
    const inline = await download(server.url, otherToken, up.id, true);
    expect(inline.status).toBe(200);
    expect(inline.headers.get('content-disposition')?.startsWith('inline;')).toBe(true);
    expect(inline.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    const audited = server.store.db
      .prepare("SELECT specialist_id AS specialistId, contact_id AS contactId, target_id AS targetId FROM audit_log WHERE id > ? AND action = 'attachment_download'")
      .all(before) as Array<{ specialistId: string; contactId: string; targetId: string }>;
    expect(audited).toHaveLength(2);
    expect(audited.every((a) => a.targetId === up.id && a.contactId === aCase.contactId)).toBe(true);
    expect((await download(server.url, token, randomUUID())).status).toBe(404);
  });

  it('links files to a note only when they are this specialist\'s uploads for this case and on no other note', async () => {
    const mine = await upload(server.url, token, { caseId: aCase.id, name: 'mine.txt', bytes: Buffer.from('mine') });
    const theirs = await upload(server.url, otherToken, { caseId: aCase.id, name: 'theirs.txt', bytes: Buffer.from('theirs') });
    const elsewhere = await upload(server.url, token, { caseId: otherCase.id, name: 'other.txt', bytes: Buffer.from('other') });
    const refused = async (ids: string[]) => {
      const result = (await desk.push(note(aCase.id, ids))).results[0];
      expect(result?.status).toBe('rejected');
      return (result as { error: { code: string; field: string } }).error;
    };
    expect(await refused([mine.id, randomUUID()])).toMatchObject({ code: 'not_found', field: 'args.attachmentIds.1' });
    expect(await refused([theirs.id])).toMatchObject({ code: 'forbidden', field: 'args.attachmentIds.0' });
    expect(await refused([elsewhere.id])).toMatchObject({ code: 'case_mismatch', field: 'args.attachmentIds.0' });
    // A refused note links nothing.
    expect(server.store.attachments.get(mine.id)?.eventId).toBeNull();
    const eventId = randomUUID();
    const seq = server.store.changes.latestSeq();
    const ok = note(aCase.id, [mine.id], eventId);
    expect((await desk.push(ok)).results[0]?.status).toBe('applied');
    expect(server.store.attachments.get(mine.id)?.eventId).toBe(eventId);
    // A replay of the same note is a duplicate, not a refusal.
    expect((await desk.push(ok)).results[0]?.status).toBe('duplicate');
    // On a note already: not on another.
    expect(await refused([mine.id])).toMatchObject({ code: 'already_linked' });
    // The record travels in the feed with the note; its bytes do not.
    const changes = ChangesPageSchema.parse((await me.get(`${ROUTES.changes}?after=${seq}`)).body);
    expect(changes.attachments).toEqual([{ id: mine.id, caseId: aCase.id, eventId, name: 'mine.txt', size: 4, contentType: 'text/plain', createdAt: expect.any(String) }]);
    expect(changes.events.find((e) => e.id === eventId)?.data).toMatchObject({ attachments: 1 });
    const timeline = CaseEventsResponseSchema.parse((await me.get(ROUTES.caseEvents(aCase.id))).body);
    expect(timeline.attachments.map((a) => a.id)).toContain(mine.id);
  });

  it('brings the records of the open cases\' files in the bootstrap\'s events phase', async () => {
    const up = await upload(server.url, token, { caseId: aCase.id, name: 'boot.txt', bytes: Buffer.from('boot') });
    await desk.push(note(aCase.id, [up.id]));
    const found: string[] = [];
    let page: string | null | undefined;
    do {
      const reply = await me.get(`${ROUTES.bootstrap}?teams=1,2&limit=10000${page ? `&page=${encodeURIComponent(page)}` : ''}`);
      const parsed = BootstrapPageSchema.parse(reply.body);
      found.push(...parsed.attachments.map((a) => a.id));
      page = parsed.next;
    } while (page);
    expect(found).toContain(up.id);
    // Uploads on no note yet stay out of every page.
    const loose = await upload(server.url, token, { caseId: aCase.id, name: 'loose.txt', bytes: Buffer.from('loose') });
    expect(server.store.attachments.jsonByIds([loose.id])).toEqual([]);
  });

  it('exports a person\'s mailed files with their bytes, and anonymising removes rows and unshared blobs', async () => {
    const lead = api(server, (await leadWithTwoFactor(server)).token);
    const person = server.store.contacts.get(aCase.contactId as string) as Contact;
    const eventId = randomUUID();
    server.store.events.insert({ id: eventId, caseId: aCase.id, at: new Date().toISOString(), receivedAt: new Date().toISOString(), actorId: null, kind: 'note', text: 'Mail från kunden', data: {} });
    const sink = mailAttachmentSink(server.store);
    const own = pngBytes(5, 5, [1, 1, 1], 77);
    const shared = pngBytes(8, 8, [1, 2, 3], 1); // the same bytes as the first test's uploads
    const rows = await sink.onAttachments({ mailId: 'mail-1', caseId: aCase.id, eventId, contactId: person.id, files: [
      { name: 'faktura.png', contentType: 'image/png', content: own },
      { name: 'samma.png', contentType: 'image/png', content: shared },
      { name: 'tom.txt', contentType: 'text/plain', content: new Uint8Array(0) },
    ] });
    expect(rows.map((r) => r.name)).toEqual(['faktura.png', 'samma.png']);
    expect(sink.attachmentFiles([rows[0]?.id as string])).toEqual([{ name: 'faktura.png', contentType: 'image/png', path: server.store.attachments.blobPath(rows[0]?.sha256 as string) }]);

    const exported = GdprOverviewSchema.parse((await me.get(ROUTES.gdprExport(person.id))).body);
    expect(exported.attachments.map((a) => a.name).sort()).toEqual(['faktura.png', 'samma.png']);
    expect(Buffer.from(exported.attachments.find((a) => a.name === 'faktura.png')?.contentBase64 ?? '', 'base64').equals(own)).toBe(true);
    const overview = GdprOverviewSchema.parse((await me.get(ROUTES.gdprContact(person.id))).body);
    expect(overview.attachments.every((a) => a.contentBase64 === undefined)).toBe(true);

    const seq = server.store.changes.latestSeq();
    expect((await lead.post(ROUTES.gdprAnonymise(person.id), {})).status).toBe(200);
    expect(server.store.attachments.ofContact(person.id)).toEqual([]);
    expect(existsSync(server.store.attachments.blobPath(rows[0]?.sha256 as string))).toBe(false);
    // Another row (an upload) still names the shared bytes: they stay.
    expect(existsSync(server.store.attachments.blobPath(rows[1]?.sha256 as string))).toBe(true);
    const changes = ChangesPageSchema.parse((await me.get(`${ROUTES.changes}?after=${seq}&limit=10000`)).body);
    expect(changes.attachmentsRemoved.sort()).toEqual(rows.map((r) => r.id).sort());
    expect((await download(server.url, token, rows[0]?.id as string)).status).toBe(404);
  });
});
