import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CallsQuerySchema, CtiEventSchema, ROUTES, type CallerInfo, type CtiEvent } from '../../shared/api';
import { Id, type Call, type Specialist } from '../../shared/contract';
import type { TeamId } from '../../shared/teams';
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
 * Who answered, as the switch says: the active specialist whose extension is `answeringNumber`,
 * else the one whose e-mail or name is `user` (Zammad names agents so). Null when it names nobody
 * we know (then the whole team gets the pop, as before the switch said who answered).
 */
export function answererOf(ctx: AppContext, event: CtiEvent): Specialist | null {
  const extension = event.answeringNumber?.trim();
  const byExtension = extension ? ctx.store.specialists.byExtensionNumber(extension) : null;
  if (byExtension) return byExtension;
  const users = (Array.isArray(event.user) ? event.user : event.user === undefined ? [] : [event.user]).map((u) => u.trim()).filter(Boolean);
  return users.length === 1 && users[0] ? ctx.store.specialists.byUser(users[0]) : null;
}

/**
 * Sends the call to the desks and answers who was shown the caller's data. Ringing: the team.
 * Answered by someone the switch names: the full pop to that specialist alone, "answered by" to
 * the rest of the team; the hangup goes the same way.
 */
function announceCall(ctx: AppContext, event: CtiEvent, call: Call, caller: CallerInfo): string[] {
  const message = { type: 'call' as const, call, caller };
  if (event.event === 'newCall') return ctx.live.sendCall(call.team, message);
  let who: { id: string; name: string; teams: readonly TeamId[] } | null;
  if (event.event === 'answer') {
    who = answererOf(ctx, event);
    if (who) ctx.live.callAnswered(call.id, who);
  } else {
    who = ctx.live.callEnded(call.id);
  }
  if (!who) return ctx.live.sendCall(call.team, message);
  ctx.live.sendAnswered(call.team, who.id, { type: 'answered', callId: call.id, by: { id: who.id, name: who.name }, ended: event.event === 'hangup' });
  return ctx.live.sendCallTo(who.id, { ...message, yours: true });
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
    const recipients = announceCall(ctx, event, call, caller);
    if (caller.contact) {
      for (const specialistId of recipients) auditAccess(ctx.store, now, specialistId, [caller.contact.id], 'call', ROUTES.live);
    }
    return reply.send({});
  });
}
