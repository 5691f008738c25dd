import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as rawRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../../shared/api';
import { startTestServer, type TestServer } from '../../support/server';
import { api, request, type Api } from '../../support/http';
import { leadWithTwoFactor } from '../../support/two-factor';

describe('HTTP edges: limits, errors, CORS, static files', () => {
  let server: TestServer;
  let http: Api;
  let staticDir: string;

  beforeAll(async () => {
    staticDir = mkdtempSync(join(tmpdir(), 'desk-static-'));
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Desk</title>');
    writeFileSync(join(staticDir, 'assets', 'app-1234.js'), 'console.log("desk")');
    server = await startTestServer({ cases: 20, staticDir, server: { allowedOrigins: ['app://desk'] } });
    http = api(server, (await leadWithTwoFactor(server)).token);
  });
  afterAll(async () => {
    await server.close();
    rmSync(staticDir, { recursive: true, force: true });
  });

  it('answers health without a token', async () => {
    const reply = await api(server).get(ROUTES.health);
    expect(reply).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('serves every route the contract names (none is a 404)', async () => {
    const paths: Array<[string, string]> = [
      ['GET', ROUTES.me],
      ['GET', `${ROUTES.bootstrap}?limit=1`],
      ['GET', `${ROUTES.changes}?after=0`],
      ['GET', ROUTES.caseByNumber(100001)],
      ['GET', `${ROUTES.phoneLookup}?number=0701234567`],
      ['GET', `${ROUTES.customerSearch}?q=ab`],
      ['GET', ROUTES.calls],
      ['GET', ROUTES.specialists],
      ['GET', ROUTES.audit],
    ];
    for (const [method, path] of paths) {
      const reply = method === 'GET' ? await http.get(path) : await http.post(path);
      expect([path, reply.status]).toEqual([path, 200]);
    }
    const caseId = server.store.cases.getByNumber(100001)?.id ?? '';
    expect((await http.get(ROUTES.caseEvents(caseId))).status).toBe(200);
    const contactId = server.store.db.prepare('SELECT id FROM contacts LIMIT 1').pluck().get() as string;
    for (const path of [ROUTES.gdprContact(contactId), ROUTES.gdprExport(contactId), ROUTES.gdprAccessLog(contactId)]) {
      expect((await http.get(path)).status).toBe(200);
    }
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const reply = await http.get('/api/does-not-exist');
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe('not_found');
    expect((await http.post('/api/cases/by-number/100001')).status).toBe(404);
    const badUrl = await http.get('/api/cases/%E0%A4%A/events');
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.error.code).toBe('invalid_url');
    const plainLive = await http.get(ROUTES.live);
    expect(plainLive.status).toBe(426);
    expect(plainLive.body.error.code).toBe('upgrade_required');
  });

  it('refuses oversized bodies with 413, before parsing them', async () => {
    const big = JSON.stringify({ email: 'a@b.se', password: 'x'.repeat(2 * 1024 * 1024) });
    const login = await api(server).raw('POST', ROUTES.login, big, 'application/json');
    expect(login.status).toBe(413);
    expect(login.body.error.code).toBe('too_large');
    const push = await http.raw('POST', ROUTES.push, JSON.stringify({ mutations: [], pad: 'x'.repeat(6 * 1024 * 1024) }), 'application/json');
    expect(push.status).toBe(413);
  });

  it('answers broken JSON and unknown media types with 4xx JSON, never 5xx', async () => {
    const broken = await http.raw('POST', ROUTES.push, '{"mutations": [', 'application/json');
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('invalid_json');
    const empty = await http.raw('POST', ROUTES.push, '', 'application/json');
    expect(empty.status).toBe(400);
    const proto = await http.raw('POST', ROUTES.push, '{"__proto__": {"x": 1}}', 'application/json');
    expect(proto.status).toBe(400);
    const xml = await http.raw('POST', ROUTES.push, '<mutations/>', 'application/xml');
    expect(xml.status).toBe(415);
    expect(xml.body.error.code).toBe('unsupported_media_type');
    const text = await http.raw('POST', ROUTES.push, 'hello', 'text/plain');
    expect(text.status).toBe(400);
    const wrongType = await http.post(ROUTES.push, 'just a string');
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.code).toBe('invalid');
  });

  it('answers CORS preflights for the allowed origin only', async () => {
    const preflight = (origin: string) =>
      request(server.url, 'OPTIONS', ROUTES.push, {
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });
    const allowed = await preflight('app://desk');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('app://desk');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const actual = await request(server.url, 'GET', ROUTES.health, { headers: { origin: 'app://desk' } });
    expect(actual.headers.get('access-control-allow-origin')).toBe('app://desk');
  });

  it('serves the renderer with an index.html fallback and never outside its folder', async () => {
    const anonymous = api(server);
    const index = await anonymous.get('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(index.text).toContain('<title>Desk</title>');
    const route = await anonymous.get('/queue/123');
    expect(route.text).toContain('<title>Desk</title>');
    const asset = await anonymous.get('/assets/app-1234.js');
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await anonymous.get('/assets/missing.js')).status).toBe(404);
    // The client would normalise "..", so the raw request line goes out as written.
    const traversal = await new Promise<number | undefined>((resolve, reject) => {
      rawRequest(`${server.url}/../../../etc/passwd`, { path: '/../../../etc/passwd' }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
        .on('error', reject)
        .end();
    });
    expect(traversal).toBe(404);
    // The API keeps its JSON 404s.
    expect((await anonymous.get('/api/nothing')).headers.get('content-type')).toContain('application/json');
  });
});
