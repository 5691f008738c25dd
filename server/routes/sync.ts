import type { FastifyInstance } from 'fastify';
import {
  BootstrapQuerySchema,
  ChangesQuerySchema,
  NumberBlockRequestSchema,
  PushRequestSchema,
  ROUTES,
  type BootstrapQueued,
  type PushResponse,
  type ReplayRefusal,
} from '../../shared/api';
import { auditAccess } from '../http/access-audit';
import { sessionOf } from '../auth/access-hook';
import { hasSecondFactor } from '../auth/auth-service';
import type { AppContext } from '../http/context';
import { HttpError, parseInput, sendJsonText } from '../http/errors';
import { limiter } from '../http/limits';
import { BootstrapGate } from '../sync/bootstrap-gate';
import { BootstrapQueries } from '../sync/bootstrap-queries';
import { bootstrapPageSliced, changesPage } from '../sync/pull';
import { PushQueue } from '../sync/push';
import { WalFile, WalSync } from '../sync/wal-sync';

/** A push carries up to 500 mutations, some with long descriptions. */
const PUSH_BODY_LIMIT = 5 * 1024 * 1024;

export function syncRoutes(app: FastifyInstance, ctx: AppContext): void {
  const walFile = new WalFile(ctx.store.file);
  const walSync = new WalSync(walFile.datasync);
  const pushes = new PushQueue(
    ctx.store,
    ctx.now,
    (seq) => {
      ctx.live.poke(seq);
      // A reply may have been queued: the mail channel's sender looks.
      ctx.mail?.queued();
    },
    walSync,
    ctx.commits,
    ctx.mail,
  );
  // After the HTTP server has closed (fastify runs it later), so no push still waits for a sync.
  app.addHook('onClose', async () => {
    await walSync.idle();
    await walFile.close();
  });
  const bootstrapQueries = new BootstrapQueries(ctx.store.db);

  // A page's audit rows are written to the WAL on this thread and made durable by the pushes'
  // group fsync off it (sync/wal-sync.ts), before the page is sent: every desk pulls after every
  // poke, and an fsync per pull inside COMMIT would stall the thread that answers everyone.
  const walOnly = ctx.store.db.prepare('PRAGMA synchronous = NORMAL');
  const syncInCommit = ctx.store.db.prepare('PRAGMA synchronous = FULL');
  async function auditPage(now: Date, specialistId: string, contactIds: readonly string[], route: string): Promise<void> {
    if (contactIds.length === 0) return;
    walOnly.run();
    try {
      auditAccess(ctx.store, now, specialistId, contactIds, 'sync', route);
    } finally {
      syncInCommit.run();
    }
    await walSync.sync();
  }

  // A desk beyond the limit is told its place and when to ask again, before any database work.
  const bootstrapGate = new BootstrapGate({ limit: () => ctx.limits.bootstrapConcurrency });
  app.get(ROUTES.bootstrap, async (request, reply) => {
    const { teams, page, limit } = parseInput(BootstrapQuerySchema, request.query);
    const session = sessionOf(request);
    const admission = bootstrapGate.admit(session.id);
    if (!admission.admitted) {
      const { place, retryAfterSeconds } = admission;
      const body: BootstrapQueued = {
        error: { code: 'bootstrap_queued', message: `other desks are downloading their first sync: you are number ${place} in the queue, ask again in ${retryAfterSeconds} s` },
        queue: { place, retryAfterSeconds },
      };
      return reply.code(503).header('retry-after', String(retryAfterSeconds)).send(body);
    }
    const now = ctx.now();
    let rendered;
    try {
      rendered = await bootstrapPageSliced(ctx.store, bootstrapQueries, teams, page, limit, now, pushes.visibleSeq(), session.specialist.id);
    } catch (error) {
      // A refused cursor: the desk starts over, and asks again in the queue like any other.
      bootstrapGate.release(session.id);
      throw error;
    }
    await auditPage(now, session.specialist.id, rendered.contactIds, ROUTES.bootstrap);
    if (rendered.last) bootstrapGate.release(session.id);
    return sendJsonText(reply, rendered.json);
  });

  app.get(ROUTES.changes, async (request, reply) => {
    const { after, limit } = parseInput(ChangesQuerySchema, request.query);
    const now = ctx.now();
    const rendered = changesPage(ctx.store, after, limit, pushes.visibleSeq(), sessionOf(request).specialist.id);
    await auditPage(now, sessionOf(request).specialist.id, rendered.contactIds, ROUTES.changes);
    return sendJsonText(reply, rendered.json);
  });

  app.post(ROUTES.push, { bodyLimit: PUSH_BODY_LIMIT }, async (request): Promise<PushResponse> => {
    const { mutations } = parseInput(PushRequestSchema, request.body);
    const session = sessionOf(request);
    // A lead's powers (reassigning others' cases, the lead-only close) need a session that passed
    // a second factor, as the lead-only routes do: without one, a lead pushes as a specialist.
    const actor = session.specialist.role === 'lead' && !hasSecondFactor(session) ? { ...session.specialist, role: 'specialist' as const } : session.specialist;
    return pushes.push(actor, mutations);
  });

  // Leases are counted per specialist, once the request is valid; a desk holds a capped number.
  const leaseLimit = limiter(app, 'case-number leases', ctx.limits.leasesPerMinute, (request) => sessionOf(request).specialist.id);
  app.post(ROUTES.numbers, async (request) => {
    const { clientId, size } = parseInput(NumberBlockRequestSchema, request.body);
    await leaseLimit(request);
    const at = ctx.now().toISOString();
    // Numbers leased to a desk id are its owner's to register cases with (see push.ts).
    const me = sessionOf(request).specialist.id;
    if (ctx.store.mutations.claimClient(clientId, me, at) !== me) throw new HttpError(403, 'client_not_yours' satisfies ReplayRefusal, 'this desk id belongs to another specialist', 'clientId');
    const unused = ctx.store.numbers.outstanding(clientId);
    if (unused + size > ctx.limits.outstandingNumbers) {
      throw new HttpError(409, 'too_many_numbers', `this desk already holds ${unused} unused case numbers: use them first`, 'size');
    }
    return ctx.store.numbers.lease(clientId, size, at);
  });
}
