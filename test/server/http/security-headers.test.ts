import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../../shared/api';
import { HSTS } from '../../../server/http/security-headers';
import { startTestServer, type TestServer } from '../../support/server';
import { request } from '../../support/http';

describe('security headers', () => {
  let api: TestServer;
  let proxied: TestServer;
  let web: TestServer;
  const staticDir = mkdtempSync(join(tmpdir(), 'desk-static-'));

  beforeAll(async () => {
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Desk</title>');
    [api, proxied, web] = await Promise.all([
      startTestServer({ cases: 0 }),
      startTestServer({ cases: 0, server: { trustedProxies: ['127.0.0.1'] } }),
      startTestServer({ cases: 0, staticDir }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([api.close(), proxied.close(), web.close()]);
    rmSync(staticDir, { recursive: true, force: true });
  });

  it('sends nosniff, no framing, no referrer and a CSP that loads nothing on API answers, refusals included', async () => {
    for (const [path, status] of [[ROUTES.health, 200], [ROUTES.me, 401], ['/api/nowhere', 404]] as const) {
      const reply = await request(api.url, 'GET', path);
      expect(reply.status).toBe(status);
      expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
      expect(reply.headers.get('x-frame-options')).toBe('DENY');
      expect(reply.headers.get('referrer-policy')).toBe('no-referrer');
      expect(reply.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'");
      expect(reply.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('sends HSTS only when a trusted proxy says the request came over TLS', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    expect((await request(proxied.url, 'GET', ROUTES.health, { headers: https })).headers.get('strict-transport-security')).toBe(HSTS);
    expect((await request(proxied.url, 'GET', ROUTES.health)).headers.get('strict-transport-security')).toBeNull();
    expect((await request(proxied.url, 'GET', ROUTES.health, { headers: { 'x-forwarded-proto': 'http' } })).headers.get('strict-transport-security')).toBeNull();
    // A client that is not a trusted proxy cannot claim TLS.
    expect((await request(api.url, 'GET', ROUTES.health, { headers: https })).headers.get('strict-transport-security')).toBeNull();
  });

  it("serves the renderer under the renderer's own policy plus frame-ancestors in web mode", async () => {
    const page = await request(web.url, 'GET', '/');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "worker-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
  });

  it('keeps CORS working for the Electron desk (app://desk) and nobody else', async () => {
    const preflight = await request(api.url, 'OPTIONS', ROUTES.login, {
      headers: { origin: 'app://desk', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('app://desk');
    const login = await request(api.url, 'POST', ROUTES.login, { headers: { origin: 'app://desk' }, json: { email: api.leadEmail, password: api.password } });
    expect(login.status).toBe(200);
    expect(login.headers.get('access-control-allow-origin')).toBe('app://desk');
    expect(login.headers.get('access-control-expose-headers')).toContain('retry-after');
    const other = await request(api.url, 'GET', ROUTES.health, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
