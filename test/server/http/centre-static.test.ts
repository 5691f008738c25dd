/** The customer centre's bundle is served at /centre/ with its own strict policy, apart from the desk's. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CENTRE_CSP } from '../../../server/http/static-files';
import { loadConfig } from '../../../server/cli/config';
import { startTestServer, type TestServer } from '../../support/server';
import { request } from '../../support/http';

describe('the customer centre\'s files', () => {
  let server: TestServer;
  const dirs: string[] = [];
  const folder = (files: Record<string, string>): string => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-centre-static-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  };

  beforeAll(async () => {
    const desk = folder({ 'index.html': '<title>desk</title>' });
    const centre = folder({ 'index.html': '<title>centre</title>', 'assets/app.js': 'console.log(1)' });
    server = await startTestServer({ cases: 0, staticDir: desk, server: { centreDir: centre } });
  });
  afterAll(async () => {
    await server.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('serves its own index and assets under /centre/ with the centre\'s policy, and the desk elsewhere', async () => {
    const index = await request(server.url, 'GET', '/centre/');
    expect(index.status).toBe(200);
    expect(index.text).toContain('centre');
    expect(index.headers.get('content-security-policy')).toBe(CENTRE_CSP);
    expect(CENTRE_CSP).toContain("connect-src 'self'");
    expect((await request(server.url, 'GET', '/centre/assets/app.js')).text).toBe('console.log(1)');
    // A client-side route gets the centre's index, never the desk's.
    expect((await request(server.url, 'GET', '/centre/case/x')).text).toContain('centre');
    expect((await request(server.url, 'GET', '/')).text).toContain('desk');
    const bare = await fetch(`${server.url}/centre`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/centre/');
    // Nothing outside the folder.
    expect((await request(server.url, 'GET', '/centre/..%2F..%2Fetc%2Fpasswd')).text).not.toContain('root:');
  });

  it('reads DESK_CENTRE_DIR and DESK_CENTRE_URL (an http or https address only)', () => {
    expect(loadConfig({})).toMatchObject({ centreDir: null, centreUrl: null });
    expect(loadConfig({ DESK_CENTRE_URL: 'https://kund.softone.se/centre/' }).centreUrl).toBe('https://kund.softone.se/centre/');
    expect(() => loadConfig({ DESK_CENTRE_URL: 'javascript:alert(1)' })).toThrow(/DESK_CENTRE_URL/);
  });
});
