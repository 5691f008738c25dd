/**
 * Serves the built renderer (DESK_STATIC_DIR) at `/`, so a browser desk and the API share one
 * origin (`npm run web`, the e2e tests). Unknown paths without a file extension get index.html
 * (client-side routes); nothing outside the folder is ever read.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { mimeTypeOf } from '../../shared/mime';

async function fileSize(path: string): Promise<number | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : null;
  } catch {
    return null;
  }
}

export function staticFiles(dir: string): (request: FastifyRequest, reply: FastifyReply) => Promise<boolean> {
  const root = resolve(dir);
  return async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const pathname = (request.url.split('?')[0] ?? '/').replace(/\/+$/, '') || '/';
    if (pathname === '/api' || pathname.startsWith('/api/')) return false;
    let relative: string;
    try {
      relative = decodeURIComponent(pathname);
    } catch {
      return false;
    }
    const requested = resolve(root, `.${relative}`);
    if (requested !== root && !requested.startsWith(root + sep)) return false;
    let file = requested;
    let size = await fileSize(file);
    if (size === null && extname(relative) === '') {
      file = join(root, 'index.html');
      size = await fileSize(file);
    }
    if (size === null) return false;
    const isIndex = file === join(root, 'index.html');
    void reply
      .header('content-type', mimeTypeOf(file))
      .header('content-length', String(size))
      .header('x-content-type-options', 'nosniff')
      // Hashed build assets never change; index.html must be revalidated to pick up a new build.
      .header('cache-control', isIndex ? 'no-cache' : relative.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (request.method === 'HEAD') await reply.send();
    else await reply.send(createReadStream(file));
    return true;
  };
}

/**
 * The customer centre's own policy: its scripts, styles and API calls from this origin only,
 * images from here or pasted (blob:, data:), never framed. Stricter than the desk's: no other
 * origin at all.
 */
export const CENTRE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the customer centre's web app (a bundle of its own, never the desk's) at `/centre/`:
 * `/centre` redirects to `/centre/`, unknown paths without an extension get its index.html.
 */
export function centreFiles(dir: string): (request: FastifyRequest, reply: FastifyReply) => Promise<boolean> {
  const serve = staticFiles(dir);
  return async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const [path = '/', query] = request.url.split('?');
    if (path === '/centre') {
      await reply.redirect(`/centre/${query === undefined ? '' : `?${query}`}`, 301);
      return true;
    }
    if (!path.startsWith('/centre/')) return false;
    void reply.header('content-security-policy', CENTRE_CSP);
    // Served as if the folder were the root: /centre/assets/x.js → <dir>/assets/x.js.
    const inner = { method: request.method, url: request.url.slice('/centre'.length) } as FastifyRequest;
    return serve(inner, reply);
  };
}
