/**
 * The lead's SLA escalation settings and the offices' calendar exceptions. Writes are for leads
 * (with their second factor) and audited; every signed-in desk may read the exceptions (they
 * reach desks through the feed too).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ROUTES } from '../../shared/api';
import { addRefusal, CalendarExceptionsQuerySchema, NewCalendarExceptionSchema, removeRefusal, type CalendarException } from '../../shared/calendarExceptions';
import { Id } from '../../shared/contract';
import { EscalationSettingsSchema } from '../../shared/escalation';
import { sessionOf } from '../auth/access-hook';
import type { EscalationScheduler } from '../escalation/scheduler';
import { auditAdmin } from '../http/access-audit';
import type { AppContext } from '../http/context';
import { HttpError, notFound, parseInput } from '../http/errors';

export const CALENDAR_EXCEPTION = '/api/calendar/exceptions/:id';
const IdParam = z.object({ id: Id });

export function escalationRoutes(app: FastifyInstance, ctx: AppContext, scheduler: EscalationScheduler): void {
  const settingsAnswer = () => {
    const { settings, updatedAt, updatedBy } = ctx.store.escalations.settings(ctx.now());
    return { settings, updatedAt, updatedBy };
  };

  app.get(ROUTES.escalationSettings, { config: { access: 'lead' } }, async () => settingsAnswer());

  app.put(ROUTES.escalationSettings, { config: { access: 'lead' } }, async (request) => {
    const settings = parseInput(EscalationSettingsSchema, request.body);
    const now = ctx.now();
    const by = sessionOf(request).specialist.id;
    ctx.store.transaction(() => {
      const before = ctx.store.escalations.settings(now).settings;
      ctx.store.escalations.save(settings, now.toISOString(), by);
      auditAdmin(ctx.store, now, by, 'escalation_settings', ROUTES.escalationSettings, { detail: { from: before, to: settings } });
    });
    scheduler.settingsChanged();
    return settingsAnswer();
  });

  app.get(ROUTES.calendarExceptions, async (request) => {
    const { office } = parseInput(CalendarExceptionsQuerySchema, request.query);
    const all = ctx.store.calendarExceptions.all().filter((e) => e.deletedAt === null && (office === undefined || e.office === office));
    return { exceptions: all };
  });

  app.post(ROUTES.calendarExceptions, { config: { access: 'lead' } }, async (request, reply) => {
    const input = parseInput(NewCalendarExceptionSchema, request.body);
    const now = ctx.now();
    if (addRefusal(input, now)) throw new HttpError(409, 'calendar_past', 'a past day cannot be changed', 'date');
    const by = sessionOf(request).specialist.id;
    const exception: CalendarException = {
      id: randomUUID(),
      office: input.office,
      date: input.date,
      kind: input.kind,
      closesAt: input.kind === 'closesEarly' ? (input.closesAt ?? null) : null,
      note: input.note,
      createdAt: now.toISOString(),
      createdBy: by,
      deletedAt: null,
    };
    ctx.store.transaction(() => {
      ctx.store.calendarExceptions.insert(exception);
      ctx.store.changes.record('calendarExceptions', exception.id);
      auditAdmin(ctx.store, now, by, 'calendar_exception_add', ROUTES.calendarExceptions, { targetId: exception.id, detail: { ...exception } });
    });
    scheduler.calendarChanged();
    ctx.live.poke(ctx.store.changes.latestSeq());
    return reply.code(201).send({ exception });
  });

  app.delete(CALENDAR_EXCEPTION, { config: { access: 'lead' } }, async (request) => {
    const { id } = parseInput(IdParam, request.params);
    const current = ctx.store.calendarExceptions.get(id);
    if (!current || current.deletedAt !== null) throw notFound('calendar exception', 'id');
    const now = ctx.now();
    if (removeRefusal(current, now)) throw new HttpError(409, 'calendar_begun', 'an exception that has begun or is past cannot be removed', 'id');
    const by = sessionOf(request).specialist.id;
    ctx.store.transaction(() => {
      ctx.store.calendarExceptions.remove(id, now.toISOString(), by);
      ctx.store.changes.record('calendarExceptions', id);
      auditAdmin(ctx.store, now, by, 'calendar_exception_remove', CALENDAR_EXCEPTION, { targetId: id, detail: { ...current } });
    });
    scheduler.calendarChanged();
    ctx.live.poke(ctx.store.changes.latestSeq());
    return { exception: ctx.store.calendarExceptions.get(id) };
  });
}
