import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CallsQuerySchema, CtiEventSchema, ROUTES } from '../../shared/api';
import { Id } from '../../shared/contract';
import { auditAccess } from '../http/access-audit';
import { sessionOf } from '../auth/access-hook';
import { safeEqual } from '../auth/passwords';
import { callerInfo } from '../calls/caller-info';
import type { AppContext } from '../http/context';
import { applyCtiEvent, normaliseCtiBody } from '../calls/phone-switch';
import { markCallDone } from '../../shared/calls';
import { HttpError, notFound, parseInput } from '../http/errors';
import { MINUTE } from '../http/limits';

export const CTI = '/api/v1/cti/:token';
export const CALL_DONE = '/api/calls/:id/done';

const TokenParam = z.object({ token: z.string().max(500) });
const IdParam = z.object({ id: Id });

export function callRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(ROUTES.calls, async (request) => {
    const { filter, limit } = parseInput(CallsQuerySchema, request.query);
    const calls = ctx.store.calls.list(filter, limit);
    // A caller's number is personal data too.
    auditAccess(ctx.store, ctx.now(), sessionOf(request).specialist.id, calls.map((c) => c.contactId), 'view', ROUTES.calls);
    return { calls };
  });

  app.post(CALL_DONE, async (request) => {
    const { id } = parseInput(IdParam, request.params);
    const call = ctx.store.calls.get(id);
    if (!call) throw notFound('call', 'id');
    // The same rule as the desk's `markCallDone` edit (shared/calls.ts), and in the change feed too.
    const me = sessionOf(request).specialist.id;
    const outcome = markCallDone(call, me, ctx.now().toISOString());
    const done = outcome.kind === 'changed' ? outcome.call : call;
    if (outcome.kind === 'changed') {
      const seq = ctx.store.transaction(() => {
        ctx.store.calls.update(done);
        return ctx.store.changes.record('calls', done.id);
      });
      ctx.live.poke(seq);
    }
    // The answer carries the caller's number and contact, like the call list.
    auditAccess(ctx.store, ctx.now(), sessionOf(request).specialist.id, [call.contactId], 'view', CALL_DONE);
    return { call: done };
  });
}

/**
 * The phone switch (Zammad Generic CTI), in a scope of its own: the only route that takes
 * form-encoded bodies (Zammad posts forms), so a web page cannot post a form anywhere else.
 * Authenticated by the secret in its URL, as Zammad's is, compared in constant time; limited to
 * `ctiPerMinute` requests per address. Answers `{}` on success, as switch integrations expect.
 */
export async function ctiRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(formbody);
  const rateLimit = { max: ctx.limits.ctiPerMinute, timeWindow: MINUTE };
  app.post(CTI, { config: { access: 'public', rateLimit }, bodyLimit: 64 * 1024 }, async (request, reply) => {
    const { token } = parseInput(TokenParam, request.params, { status: 401 });
    if (!safeEqual(token, ctx.cti.token)) throw new HttpError(401, 'unauthorized', 'invalid phone-switch token');
    const event = parseInput(CtiEventSchema, normaliseCtiBody(request.body ?? {}), { status: 422 });
    const now = ctx.now();
    const { call, replayed } = applyCtiEvent(ctx.store, ctx.cti.options, event, now);
    // A replayed event was announced (and audited) the first time: no second banner.
    if (replayed) return reply.send({});
    // The call is in the change feed: the desks pull it into their caller logs.
    ctx.live.poke(ctx.store.changes.latestSeq());
    const external = call.direction === 'in' ? call.fromRaw : call.to;
    const caller = callerInfo(ctx.store, external);
    const recipients = ctx.live.sendCall(call.team, { type: 'call', call, caller });
    if (caller.contact) {
      for (const specialistId of recipients) auditAccess(ctx.store, now, specialistId, [caller.contact.id], 'call', ROUTES.live);
    }
    return reply.send({});
  });
}
