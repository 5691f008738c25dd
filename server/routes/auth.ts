import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LoginRequestSchema, ROUTES } from '../../shared/api';
import { sessionOf } from '../auth/access-hook';
import type { AppContext } from '../http/context';
import { HttpError, parseInput } from '../http/errors';

/**
 * Login takes JSON only. A form or text/plain body is a "simple" request that any web page can
 * make a browser send without asking (no CORS preflight): refused before it is read, so a page
 * cannot use its visitors' browsers to guess passwords.
 */
async function jsonOnly(request: FastifyRequest): Promise<void> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new HttpError(415, 'unsupported_media_type', 'send the login as application/json');
}

export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(ROUTES.health, { config: { access: 'public' } }, async () => ({ status: 'ok' }));

  app.post(ROUTES.login, { config: { access: 'public' }, bodyLimit: 16 * 1024, onRequest: jsonOnly }, async (request) => {
    const { email, password } = parseInput(LoginRequestSchema, request.body);
    return ctx.auth.login(email, password, request.ip);
  });

  app.post(ROUTES.logout, async (request, reply) => {
    const session = sessionOf(request);
    ctx.auth.logout(session);
    ctx.live.closeSession(session.tokenHash);
    return reply.code(204).send();
  });

  app.get(ROUTES.me, async (request) => {
    const { specialist, expiresAt } = sessionOf(request);
    return { specialist, expiresAt };
  });
}
