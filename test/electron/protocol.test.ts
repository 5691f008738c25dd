import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN, contentSecurityPolicy, createAppRequestHandler, mimeTypeOf, registerAppScheme } from '../../electron/main/protocol';
import { protocol, resetFakes } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

let base: string;
let root: string;
let handle: (request: Request) => Promise<Response>;
const CSP = contentSecurityPolicy('http://127.0.0.1:4567');

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'desk-protocol-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Desk</title>');
  writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log("desk")');
  writeFileSync(join(root, 'assets', 'index-abc123.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'logo.svg'), '<svg/>');
  writeFileSync(join(root, 'assets', 'inter.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
  writeFileSync(join(root, 'assets', 'sync.worker.mjs'), 'self.onmessage = () => {}');
  writeFileSync(join(root, 'assets', 'blob.bin'), Buffer.from([0, 1, 2]));
  writeFileSync(join(base, 'secret.txt'), 'token=s3cret');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'leak.txt'));
  handle = createAppRequestHandler(root, CSP);
});
afterAll(() => rmSync(base, { recursive: true, force: true }));
beforeEach(() => {
  resetFakes();
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});

const get = (path: string, init?: RequestInit): Promise<Response> => handle(new Request(`${APP_ORIGIN}${path}`, init));

describe('app:// handler', () => {
  it('serves index.html at the root with the CSP and nosniff', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Desk</title>');
  });

  it.each([
    ['/assets/index-abc123.js', 'text/javascript; charset=utf-8'],
    ['/assets/sync.worker.mjs', 'text/javascript; charset=utf-8'],
    ['/assets/index-abc123.css', 'text/css; charset=utf-8'],
    ['/assets/logo.svg', 'image/svg+xml'],
    ['/assets/inter.woff2', 'font/woff2'],
    ['/assets/blob.bin', 'application/octet-stream'],
  ])('serves %s as %s', async (path, type) => {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
  });

  it('answers app routes with index.html, missing assets with 404', async () => {
    const route = await get('/case/123456');
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>Desk</title>');
    expect((await get('/assets/missing-xyz.js')).status).toBe(404);
  });

  it.each(['POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'])('refuses %s', async (method) => {
    expect((await get('/', { method })).status).toBe(405);
  });

  it.each([
    ['encoded slashes', '/..%2F..%2Fsecret.txt'],
    ['encoded dots and slash', '/%2e%2e%2fsecret.txt'],
    ['encoded backslash', '/..%5Csecret.txt'],
    ['absolute path in the path', '/%2Fetc%2Fpasswd'],
    ['NUL byte', '/index.html%00.js'],
  ])('refuses path traversal: %s', async (_name, path) => {
    const response = await get(path);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await response.text()).not.toContain('s3cret');
  });

  it('refuses a symlink that leads out of the root', async () => {
    const response = await get('/assets/leak.txt');
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('s3cret');
  });

  it('refuses other hosts and malformed escapes', async () => {
    expect((await handle(new Request('app://evil/index.html'))).status).toBe(404);
    expect((await get('/%E0%A4%A')).status).toBe(400);
  });

  it('mime types fall back to octet-stream, never to something executable', () => {
    expect(mimeTypeOf('x.HTML')).toBe('text/html; charset=utf-8');
    expect(mimeTypeOf('x.exe')).toBe('application/octet-stream');
    expect(mimeTypeOf('noextension')).toBe('application/octet-stream');
  });
});

describe('Content-Security-Policy', () => {
  const directives = (csp: string): Map<string, string[]> =>
    new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name ?? '', values]));

  it('is strict: own scripts only, no inline or eval, nothing by default', () => {
    const csp = directives(CSP);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('lets the page reach exactly its server over HTTP and WebSocket', () => {
    expect(directives(CSP).get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:4567', 'ws://127.0.0.1:4567']);
    expect(directives(contentSecurityPolicy('https://desk.softone.se/')).get('connect-src')).toEqual([
      "'self'",
      'https://desk.softone.se',
      'wss://desk.softone.se',
    ]);
  });
});

describe('registerAppScheme', () => {
  it('makes app: a standard, secure scheme (IndexedDB and secure-context APIs need both)', () => {
    registerAppScheme();
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
  });
});
