/**
 * `app://desk`: the renderer's own origin. A privileged standard secure scheme gives the app what
 * `file://` does not — a real origin for IndexedDB and the same-origin policy, secure-context APIs,
 * and headers (the CSP) set by the shell — while serving only files from the built renderer.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { protocol } from 'electron';
import { excerpt, log } from './log';
import { mimeTypeOf } from '../../shared/mime';

export const APP_SCHEME = 'app';
export const APP_HOST = 'desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/`;

/** Must run before `ready`: Chromium fixes scheme privileges at startup. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // standard: parsed like http (origin, relative URLs, IndexedDB and localStorage per origin);
      // secure: treated like https (crypto.subtle, service workers) without a certificate.
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/**
 * Only our own code runs (script-src 'self', no eval, no inline script); the page talks only to
 * itself and the Desk server (HTTP and WebSocket); no plugins, frames, forms posting elsewhere or
 * <base> rewriting. A customer's text that slips into HTML still cannot run or phone home.
 */
export function contentSecurityPolicy(serverUrl: string): string {
  const server = new URL(serverUrl);
  const socket = `${server.protocol === 'https:' ? 'wss:' : 'ws:'}//${server.host}`;
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // https: for a customer's mail images, loaded only when the specialist asks (model/mailHtml.ts).
    "img-src 'self' data: blob: https:",
    "font-src 'self'",
    `connect-src 'self' ${server.protocol}//${server.host} ${socket}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export { mimeTypeOf };

function isInside(root: string, file: string): boolean {
  const rel = relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

async function regularFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

function refuse(status: number, reason: string, url: string): Response {
  log('warn', 'protocol', 'request refused', { status, reason, url: excerpt(url) });
  return new Response(null, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

/**
 * The `app:` handler: GET only, host `desk` only, files only from inside `root` (checked after
 * resolving `..` and again after resolving symlinks). A path without an extension is a route
 * of the single-page app and gets index.html; a missing asset is a 404, not index.html, so a
 * broken build fails loudly instead of parsing HTML as JavaScript.
 */
export function createAppRequestHandler(root: string, csp: string): (request: Request) => Promise<Response> {
  const rootDir = resolve(root);
  const realRoot = realpath(rootDir).catch(() => rootDir);
  const headers = (file: string): Record<string, string> => ({
    'Content-Type': mimeTypeOf(file),
    'Content-Security-Policy': csp,
    // The MIME type above is the only one the browser may assume.
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    // After an update the files change under the same names; never run a stale copy.
    'Cache-Control': 'no-cache',
  });

  return async (request) => {
    if (request.method !== 'GET') return refuse(405, 'method', request.url);
    let url: URL;
    let path: string;
    try {
      url = new URL(request.url);
      path = decodeURIComponent(url.pathname);
    } catch {
      return refuse(400, 'malformed URL', request.url);
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return refuse(404, 'host', request.url);
    // An encoded separator or NUL has no use in our own asset URLs, only in escaping the root.
    if (/%2f|%5c/i.test(url.pathname) || path.includes('\0') || path.includes('\\')) {
      return refuse(400, 'path characters', request.url);
    }

    const requested = path === '/' ? join(rootDir, 'index.html') : resolve(rootDir, `.${path}`);
    if (!isInside(rootDir, requested)) return refuse(403, 'outside root', request.url);

    let file = requested;
    if (!(await regularFile(file))) {
      if (extname(path) !== '') return refuse(404, 'not found', request.url);
      file = join(rootDir, 'index.html');
    }
    const realFile = await realpath(file).catch(() => null);
    if (realFile === null || !isInside(await realRoot, realFile)) return refuse(403, 'outside root', request.url);

    return new Response(new Uint8Array(await readFile(realFile)), { status: 200, headers: headers(realFile) });
  };
}

export function serveApp(root: string, csp: string): void {
  protocol.handle(APP_SCHEME, createAppRequestHandler(root, csp));
}
