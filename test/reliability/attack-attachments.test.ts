/**
 * Attacks through attachments, each against a real server: a program dressed as a screenshot to
 * be shown inline, a file name that climbs out of the data folder or hides its extension, a body
 * larger than it says, an id guessed to overwrite someone's file, another desk's upload put on
 * one's own note, HTML to be rendered by the browser, and an id that walks the blob folder.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../shared/api';
import type { Case } from '../../shared/contract';
import { startTestServer, type TestServer } from '../support/server';
import { api } from '../support/http';
import { Desk } from '../support/cases';
import { download, upload } from '../support/attachments';
import { exeBytes, pngBytes } from '../support/png';
import { reliabilityTally } from './support/summary';

const tally = reliabilityTally(import.meta.url);
afterAll(() => tally.finish());

function attack(succeeded: boolean, what: string): void {
  tally.add({ attacks: 1, gotThrough: succeeded ? 1 : 0 });
  expect(succeeded, what).toBe(false);
}

describe('attacks through attachments', () => {
  let server: TestServer;
  let mallory: string;
  let victim: string;
  let aCase: Case;

  beforeAll(async () => {
    server = await startTestServer({ cases: 20, server: { attachmentMaxMb: 0.05 } });
    mallory = await server.login(server.specialistEmails[0]);
    victim = await server.login(server.specialistEmails[1]);
    const id = server.store.db.prepare("SELECT id FROM cases WHERE status <> 'closed' LIMIT 1").pluck().get() as string;
    aCase = server.store.cases.get(id) as Case;
  });
  afterAll(() => server.close());

  it('a program named .png and declared image/png is never shown inline', async () => {
    const up = await upload(server.url, mallory, { caseId: aCase.id, name: 'skärmbild.png', bytes: exeBytes(), type: 'image/png' });
    const inline = await download(server.url, mallory, up.id, true);
    attack(inline.status === 200, 'an executable was served inline');
    const plain = await download(server.url, mallory, up.id);
    attack(plain.headers.get('content-type')?.startsWith('image/') ?? false, 'an executable was labelled an image');
    attack(!plain.headers.get('content-disposition')?.startsWith('attachment;'), 'an executable was not a download');
  });

  it('HTML is never served as HTML, and nothing is sniffed', async () => {
    const up = await upload(server.url, mallory, { caseId: aCase.id, name: 'inbjudan.html', bytes: Buffer.from('<!doctype html><script>fetch("/api/me")</script>'), type: 'text/html' });
    const got = await download(server.url, mallory, up.id);
    attack(got.headers.get('content-type')?.includes('html') ?? true, 'HTML was served as HTML');
    attack(got.headers.get('x-content-type-options') !== 'nosniff', 'the browser may sniff the file');
  });

  it('names cannot climb out of the folder, hide an extension or break the header', async () => {
    for (const name of ['../../../desk.sqlite', '..\\..\\cti-token', 'faktura\u202egnp.exe', 'a"; filename=evil.exe', 'x\r\nSet-Cookie: a=b']) {
      const up = await upload(server.url, mallory, { caseId: aCase.id, name, bytes: Buffer.from(`innehåll ${name}`) });
      expect(up.status).toBe(200);
      const stored: string = up.body.attachment.name;
      attack(/[\\/\u202e\r\n]/.test(stored), `a name kept a path, an override or a line break: ${JSON.stringify(stored)}`);
      const got = await download(server.url, mallory, up.id);
      const disposition = got.headers.get('content-disposition') ?? '';
      const wellFormed = /^attachment; filename="[\x20\x21\x23-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9%!#$&+.^_`|~-]*$/.test(disposition);
      attack(!wellFormed || got.headers.get('set-cookie') !== null, `the header was broken: ${disposition}`);
    }
    attack(readdirSync(server.dataDir).some((f) => !['attachments', 'desk.sqlite', 'desk.sqlite-wal', 'desk.sqlite-shm', 'anonymised.jsonl', 'anonymisation-key', 'cti-token', 'backups'].includes(f)), 'a file was written outside the attachments folder');
  });

  it('a body longer than the limit is refused before it is stored, whatever its Content-Length says', async () => {
    const before = readdirSync(join(server.dataDir, 'attachments')).length;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.url}${ROUTES.attachments}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${mallory}`, 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked', 'x-attachment-id': randomUUID(), 'x-file-name': 'stor.bin', 'x-case-id': aCase.id },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(16 * 1024, 1);
      for (let i = 0; i < 8; i++) req.write(chunk);
      req.end();
    });
    attack(status !== 413, `a chunked body over the limit was answered ${status}`);
    attack(readdirSync(join(server.dataDir, 'attachments')).length !== before, 'the oversized file was stored');
  });

  it('another desk\'s upload cannot be overwritten, read before it is shared, or put on one\'s own note', async () => {
    const bytes = pngBytes(4, 4, [5, 5, 5], 900);
    const theirs = await upload(server.url, victim, { caseId: aCase.id, name: 'privat.png', bytes });
    const overwrite = await upload(server.url, mallory, { id: theirs.id, caseId: aCase.id, name: 'privat.png', bytes: pngBytes(4, 4, [6, 6, 6], 901) });
    attack(overwrite.status !== 409, 'an upload under someone else\'s id was accepted');
    attack((await download(server.url, mallory, theirs.id)).status !== 404, 'an upload not yet on a note was read by another desk');
    const desk = new Desk(api(server, mallory));
    const result = (await desk.push(desk.mutation('addNote', { caseId: aCase.id, eventId: randomUUID(), text: 'min nu', attachmentIds: [theirs.id] }))).results[0];
    attack(result?.status !== 'rejected', 'someone else\'s upload was put on a note');
    expect(server.store.attachments.get(theirs.id)?.eventId).toBeNull();
  });

  it('an id cannot walk the blob folder', async () => {
    for (const id of ['..%2F..%2Fdesk.sqlite', '%2E%2E', 'a'.repeat(65)]) {
      const reply = await fetch(`${server.url}/api/attachments/${id}`, { headers: { authorization: `Bearer ${mallory}` } });
      attack(reply.status === 200, `GET /api/attachments/${id} answered 200`);
    }
    expect(existsSync(join(server.dataDir, 'desk.sqlite'))).toBe(true);
  });
});
