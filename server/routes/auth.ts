import type { FastifyInstance } from 'fastify';
import { LoginRequestSchema, ROUTES } from '../../shared/api';
import { sessionOf } from '../auth/access-hook';
import type { AppContext } from '../http/context';
import { parseInput } from '../http/errors';

export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(ROUTES.health, { config: { access: 'public' } }, async () => ({ status: 'ok' }));

  app.post(ROUTES.login, { config: { access: 'public' }, bodyLimit: 16 * 1024 }, async (request) => {
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
