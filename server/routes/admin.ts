/** Accounts (leads manage them) and the audit log (leads read it). */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AdminAuditQuerySchema, READ_AUDIT_ACTIONS } from '../../shared/admin';
import { CreateSpecialistRequestSchema, ROUTES, UpdateSpecialistRequestSchema } from '../../shared/api';
import { Id, type Specialist } from '../../shared/contract';
import { sessionOf } from '../auth/access-hook';
import { assertStrongPassword } from '../auth/password-rules';
import { hashPassword } from '../auth/passwords';
import { auditAdmin, type AdminAuditAction } from '../http/access-audit';
import type { AppContext } from '../http/context';
import { HttpError, notFound, parseInput } from '../http/errors';

export const SPECIALIST = '/api/specialists/:id';

const IdParam = z.object({ id: Id });

/** The fields an update changed, each as `{ from, to }`, for the audit log. */
function changedFields(before: Specialist, after: Specialist): Record<string, { from: unknown; to: unknown }> {
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as Array<keyof Specialist>) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changed[key] = { from: before[key], to: after[key] };
  }
  return changed;
}

/** An active account's extension is its own: the switch names one specialist per extension (409 `extension_taken`). */
export function assertExtensionFree(ctx: AppContext, specialist: Specialist): void {
  if (!specialist.active || !specialist.extension) return;
  const holder = ctx.store.specialists.byExtensionNumber(specialist.extension);
  if (holder && holder.id !== specialist.id) {
    throw new HttpError(409, 'extension_taken', `extension ${specialist.extension} belongs to another active specialist`, 'extension');
  }
}

export function adminRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(ROUTES.specialists, async () => ({ specialists: ctx.store.specialists.list() }));

  app.post(ROUTES.specialists, { config: { access: 'lead' } }, async (request, reply) => {
    const { password, ...fields } = parseInput(CreateSpecialistRequestSchema, request.body);
    if (ctx.store.specialists.findForLogin(fields.email)) {
      throw new HttpError(409, 'exists', 'an account with this e-mail exists', 'email');
    }
    assertStrongPassword(password, 'password', [fields.email, fields.name]);
    const specialist: Specialist = { id: randomUUID(), ...fields, active: true };
    assertExtensionFree(ctx, specialist);
    const passwordHash = await hashPassword(password);
    const now = ctx.now();
    ctx.store.transaction(() => {
      ctx.store.specialists.insert(specialist, passwordHash, now.toISOString());
      ctx.store.changes.record('specialists', specialist.id);
      const { id: _id, ...created } = specialist;
      auditAdmin(ctx.store, now, sessionOf(request).specialist.id, 'account_create', ROUTES.specialists, { targetId: specialist.id, detail: created });
    });
    ctx.live.poke(ctx.store.changes.latestSeq());
    return reply.code(201).send({ specialist });
  });

  app.patch(SPECIALIST, { config: { access: 'lead' } }, async (request) => {
    const { id } = parseInput(IdParam, request.params);
    const patch = parseInput(UpdateSpecialistRequestSchema, request.body);
    const current = ctx.store.specialists.get(id);
    if (!current) throw notFound('specialist', 'id');
    const updated: Specialist = { ...current, ...patch };
    const stillLead = updated.role === 'lead' && updated.active;
    if (current.role === 'lead' && current.active && !stillLead) {
      const otherLeads = ctx.store.specialists.list().filter((s) => s.id !== id && s.role === 'lead' && s.active);
      if (otherLeads.length === 0) throw new HttpError(409, 'last_lead', 'the last active lead cannot be demoted or disabled');
    }
    assertExtensionFree(ctx, updated);
    const changes = changedFields(current, updated);
    ctx.store.transaction(() => {
      ctx.store.specialists.update(updated);
      if (!updated.active) ctx.store.sessions.deleteAllOf(id);
      ctx.store.changes.record('specialists', id);
      if (Object.keys(changes).length > 0) {
        const action: AdminAuditAction = current.active === updated.active ? 'account_update' : updated.active ? 'account_enable' : 'account_disable';
        auditAdmin(ctx.store, ctx.now(), sessionOf(request).specialist.id, action, SPECIALIST, { targetId: id, detail: changes });
      }
    });
    // Open sockets carry the old teams (call routing) or a disabled account: they reconnect fresh.
    ctx.live.closeSpecialist(id);
    ctx.live.poke(ctx.store.changes.latestSeq());
    return { specialist: updated };
  });

  passwordResetRoute(app, ctx);

  app.get(ROUTES.audit, { config: { access: 'lead' } }, async (request) => {
    const { kind, ...query } = parseInput(AdminAuditQuerySchema, request.query);
    const entries = ctx.store.audit.query(kind === 'admin' ? { ...query, excludeActions: READ_AUDIT_ACTIONS } : query);
    const last = entries[entries.length - 1];
    return { entries, next: entries.length === query.limit && last ? last.id : null };
  });
}

export const PASSWORD_RESET = '/api/specialists/:id/password-reset';

/**
 * A lead's one-time reset of another account: answers a code to pass on (valid once, for a
 * short time); the account's sessions end and their sockets close.
 */
function passwordResetRoute(app: FastifyInstance, ctx: AppContext): void {
  app.post(PASSWORD_RESET, { config: { access: 'lead' } }, async (request) => {
    const { id } = parseInput(IdParam, request.params);
    const answer = await ctx.auth.issueReset(sessionOf(request), id, ROUTES.passwordReset(id));
    ctx.live.closeSpecialist(id);
    return answer;
  });
}
