/**
 * Security headers on every answer, with @fastify/helmet: no MIME sniffing, never framed
 * (X-Frame-Options DENY and CSP frame-ancestors 'none'), no Referer sent anywhere, and a
 * Content-Security-Policy: for the API, nothing may load at all; in web mode (the renderer
 * served at `/`, static-files.ts) the renderer's own policy (renderer/index.html's meta tag,
 * which cannot say frame-ancestors) plus frame-ancestors.
 *
 * HSTS only when the request came over TLS, which for this plain-HTTP server means through a
 * trusted proxy that said `X-Forwarded-Proto: https` (`request.protocol`, see trustProxy in
 * app.ts): a browser told HSTS over plain http://127.0.0.1 would refuse the local desk for a year.
 */
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

type Directives = Record<string, string[]>;

const API_POLICY: Directives = {
  'default-src': ["'none'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
};

/** The renderer's policy (keep in step with renderer/index.html) and frame-ancestors. */
const WEB_POLICY: Directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  // blob: the previews of attachments, fetched with the session's token (ui/case/Attachments.tsx).
  // https: for a customer's mail images, loaded only when the specialist asks (model/mailHtml.ts).
  'img-src': ["'self'", 'data:', 'blob:', 'https:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'", 'http://127.0.0.1:*', 'ws://127.0.0.1:*', 'http://localhost:*', 'ws://localhost:*', 'https:', 'wss:'],
  'worker-src': ["'self'"],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

export const HSTS = 'max-age=31536000; includeSubDomains';

export async function installSecurityHeaders(app: FastifyInstance, options: { web: boolean }): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: options.web ? WEB_POLICY : API_POLICY },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Set below, and only over TLS.
    strictTransportSecurity: false,
  });
  app.addHook('onRequest', async (request, reply) => {
    if (request.protocol === 'https') void reply.header('strict-transport-security', HSTS);
  });
}
