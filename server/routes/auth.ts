import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  ChangePasswordRequestSchema,
  LoginCodeRequestSchema,
  LoginRequestSchema,
  ROUTES,
  TwoFactorConfirmRequestSchema,
  TwoFactorDisableRequestSchema,
  UpdateProfileRequestSchema,
} from '../../shared/api';
import type { Specialist } from '../../shared/contract';
import { sessionOf } from '../auth/access-hook';
import { accountState, type ClientInfo } from '../auth/auth-service';
import { auditAdmin } from '../http/access-audit';
import type { AppContext } from '../http/context';
import { parseInput } from '../http/errors';
import { requireJson } from '../http/json-only';
import { assertExtensionFree } from './admin';

export const SESSION_REVOKE = '/api/account/sessions/:id/revoke';
const SessionIdParam = z.object({ id: z.string().regex(/^[0-9a-f]{32}$/, 'not a session id') });

/** Small bodies only: passwords and codes. */
const SMALL = 16 * 1024;

function clientOf(request: FastifyRequest): ClientInfo {
  const agent = request.headers['user-agent'];
  return { address: request.ip, userAgent: typeof agent === 'string' && agent !== '' ? agent : null };
}

export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(ROUTES.health, { config: { access: 'public' } }, async () => ({ status: 'ok' }));

  app.post(ROUTES.login, { config: { access: 'public' }, bodyLimit: SMALL, onRequest: requireJson('the login') }, async (request) => {
    const { email, password } = parseInput(LoginRequestSchema, request.body);
    return ctx.auth.signIn(email, password, clientOf(request));
  });

  app.post(ROUTES.loginCode, { config: { access: 'public' }, bodyLimit: SMALL, onRequest: requireJson('the login') }, async (request) => {
    const { challenge, code } = parseInput(LoginCodeRequestSchema, request.body);
    return ctx.auth.completeTwoFactor(challenge, code, clientOf(request));
  });

  app.post(ROUTES.logout, { config: { duringPasswordChange: true } }, async (request, reply) => {
    const session = sessionOf(request);
    ctx.auth.logout(session);
    ctx.live.closeSession(session.tokenHash);
    return reply.code(204).send();
  });

  app.get(ROUTES.me, { config: { duringPasswordChange: true } }, async (request) => {
    const session = sessionOf(request);
    return { specialist: session.specialist, expiresAt: session.expiresAt, account: accountState(session), softphoneUrl: ctx.softphoneUrl };
  });

  // ---- The specialist's own account ------------------------------------------------------

  app.post(ROUTES.password, { config: { duringPasswordChange: true }, bodyLimit: SMALL }, async (request) => {
    const session = sessionOf(request);
    const input = parseInput(ChangePasswordRequestSchema, request.body);
    const revoked = await ctx.auth.changePassword(session, input, request.ip);
    for (const tokenHash of revoked) ctx.live.closeSession(tokenHash);
    const fresh = ctx.auth.sessionOf(session.tokenHash);
    return { specialist: session.specialist, expiresAt: fresh?.expiresAt ?? session.expiresAt, account: accountState(fresh ?? session) };
  });

  app.get(ROUTES.account, { config: { duringPasswordChange: true } }, async (request) => {
    const session = sessionOf(request);
    return { specialist: session.specialist, ...ctx.auth.accountOf(session) };
  });

  // The specialist's own extension on the phone switch (the pop goes to whoever answers).
  app.post(ROUTES.profile, { bodyLimit: SMALL }, async (request) => {
    const session = sessionOf(request);
    const { extension } = parseInput(UpdateProfileRequestSchema, request.body);
    const current = ctx.store.specialists.get(session.specialist.id) ?? session.specialist;
    const updated: Specialist = { ...current, extension };
    if ((current.extension ?? null) !== extension) {
      assertExtensionFree(ctx, updated);
      ctx.store.transaction(() => {
        ctx.store.specialists.update(updated);
        ctx.store.changes.record('specialists', updated.id);
        // The extension decides whose desk gets an answered call's pop: who set which, and when.
        auditAdmin(ctx.store, ctx.now(), updated.id, 'account_update', ROUTES.profile, {
          targetId: updated.id,
          detail: { extension: { from: current.extension ?? null, to: extension } },
        });
      });
      ctx.live.poke(ctx.store.changes.latestSeq());
    }
    return { specialist: updated };
  });

  app.post(ROUTES.twoFactorSetup, async (request) => ctx.auth.startTwoFactor(sessionOf(request)));

  app.post(ROUTES.twoFactorConfirm, { bodyLimit: SMALL }, async (request) => {
    const input = parseInput(TwoFactorConfirmRequestSchema, request.body);
    const { recoveryCodes, revoked } = await ctx.auth.confirmTwoFactor(sessionOf(request), input, request.ip);
    for (const tokenHash of revoked) ctx.live.closeSession(tokenHash);
    return { recoveryCodes };
  });

  app.post(ROUTES.twoFactorDisable, { bodyLimit: SMALL }, async (request, reply) => {
    const { password, code } = parseInput(TwoFactorDisableRequestSchema, request.body);
    await ctx.auth.disableTwoFactor(sessionOf(request), password, code, request.ip);
    return reply.code(204).send();
  });

  app.get(ROUTES.sessions, async (request) => ({ sessions: ctx.auth.sessionsOf(sessionOf(request)) }));

  app.post(SESSION_REVOKE, async (request, reply) => {
    const { id } = parseInput(SessionIdParam, request.params);
    const tokenHash = ctx.auth.revokeSession(sessionOf(request), id);
    ctx.live.closeSession(tokenHash);
    return reply.code(204).send();
  });
}
