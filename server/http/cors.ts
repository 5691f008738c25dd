/**
 * CORS for desks served from another origin: the Electron renderer (`app://desk`) or a dev
 * server. Only listed origins are answered; credentials are bearer tokens, never cookies, so
 * no `Allow-Credentials`.
 */
import type { FastifyInstance } from 'fastify';

export function installCors(app: FastifyInstance, allowedOrigins: readonly string[]): void {
  const anyOrigin = allowedOrigins.includes('*');
  const allowed = new Set(allowedOrigins);
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin === undefined || (!anyOrigin && !allowed.has(origin))) return;
    void reply
      .header('access-control-allow-origin', anyOrigin ? '*' : origin)
      .header('vary', 'Origin')
      .header('access-control-expose-headers', 'content-disposition, retry-after');
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
      // Answered here, before authentication: a preflight never carries the token.
      return reply
        .code(204)
        .header('access-control-allow-methods', 'GET, POST, PATCH, OPTIONS')
        .header('access-control-allow-headers', 'authorization, content-type')
        .header('access-control-max-age', '600')
        .send();
    }
    return undefined;
  });
}
