/**
 * The customer centre's account page and live channel (`/api/centre/me/password`,
 * `/api/centre/sessions…`, `/api/centre/live`): the SuperUser changes the password while signed
 * in, lists and ends their own sessions, and keeps a live socket that hears which of the
 * company's cases changed. Customer sessions only; every action audited with the contact.
 */
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../shared/api';
import { CentreChangePasswordRequestSchema, CentreSessionIdSchema } from '../../shared/centreAccount';
import { centreSessionOf } from '../auth/access-hook';
import { CentreLiveHub, DEFAULT_CENTRE_LIVE } from '../centre/centre-live';
import type { AppContext } from '../http/context';
import { HttpError, parseInput, sendError } from '../http/errors';
import { requireJson } from '../http/json-only';

/** The registered pattern of one session (the audit's route name). */
export const CENTRE_SESSION = '/api/centre/sessions/:id';

const SMALL = 16 * 1024;

export function centreAccountRoutes(app: FastifyInstance, ctx: AppContext, live: Partial<typeof DEFAULT_CENTRE_LIVE> = {}): CentreLiveHub {
  const hub = new CentreLiveHub({
    ...DEFAULT_CENTRE_LIVE,
    ...live,
    store: ctx.store,
    authenticate: (token) => ctx.centre.authenticate(token),
    stillValid: (tokenHash) => ctx.centre.stillValid(tokenHash),
    now: ctx.now,
  });
  // Every committed change pokes the desks; the centre's sockets follow the same change log.
  ctx.live.onPoke(() => hub.changed());
  app.addHook('preClose', async () => hub.close());

  app.route({
    method: 'GET',
    url: ROUTES.centreLive,
    // The token comes as the socket's first message (never in the URL): checked by the hub.
    config: { access: 'public' },
    handler: async (_request, reply) => sendError(reply, new HttpError(426, 'upgrade_required', 'open a WebSocket here')),
    wsHandler: (socket) => hub.accept(socket),
  });

  app.post(ROUTES.centreChangePassword, { config: { access: 'customer' }, bodyLimit: SMALL, onRequest: requireJson() }, async (request) => {
    const session = centreSessionOf(request);
    const input = parseInput(CentreChangePasswordRequestSchema, request.body);
    const ended = await ctx.centre.changePassword(session, input, { address: request.ip }, ROUTES.centreChangePassword);
    hub.closeSessions(ended);
    ctx.mail?.queued();
    return { ended: ended.length };
  });

  app.get(ROUTES.centreSessions, { config: { access: 'customer' } }, async (request) => ({
    sessions: ctx.centre.sessionsOf(centreSessionOf(request), ROUTES.centreSessions),
  }));

  // "Sign out everywhere else".
  app.delete(ROUTES.centreSessions, { config: { access: 'customer' } }, async (request) => {
    const ended = ctx.centre.endOtherSessions(centreSessionOf(request), ROUTES.centreSessions);
    hub.closeSessions(ended);
    return { ended: ended.length };
  });

  app.delete(CENTRE_SESSION, { config: { access: 'customer' } }, async (request, reply) => {
    const session = centreSessionOf(request);
    const { id } = parseInput(CentreSessionIdSchema, request.params, { status: 404 });
    hub.closeSessions([ctx.centre.endSession(session, id, CENTRE_SESSION)]);
    return reply.code(204).send();
  });

  return hub;
}
