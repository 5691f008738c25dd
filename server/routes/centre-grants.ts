/**
 * The customer centre's support logins (`/api/centre/grants`): the company's grants, a SuperUser
 * granting SoftOne's support a login, and ending one early. The grant is written by the same step
 * as a desk's `recordGrant` / `revokeGrant` (server/sync/mutations.ts), so the change log, the
 * desks' feed and the shared rule (shared/grants.ts grantExpiry) are the same; the desks are
 * poked so they show it at once. Every action is audited naming the contact.
 *
 * Who may grant: any SuperUser signed in to the centre (the brochures: "utvalda SuperUsers" /
 * "SuperUserit" grant the login). Not refused for overdue payments nor for modules the SuperUser
 * is not trained on: the grant is the customer's permission over its own system, not a request
 * for support (registering a case is where support is refused), and the desk records such grants
 * without those checks too. Ending a grant is always allowed.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../shared/api';
import { CentreGrantIdParam, CentreGrantRequestSchema, centreGrantOf, type CentreGrant } from '../../shared/centreGrants';
import type { AccessGrant, Customer } from '../../shared/contract';
import { centreSessionOf } from '../auth/access-hook';
import type { AppContext } from '../http/context';
import { HttpError, parseInput } from '../http/errors';
import { requireJson } from '../http/json-only';
import { recordGrantStep, Rejection, revokeGrantStep } from '../sync/mutations';

export const CENTRE_GRANT = '/api/centre/grants/:id';

/** A refusal of the shared step, as the centre's error: the field without the mutation's `args.`. */
function refused(error: unknown): never {
  if (error instanceof Rejection) {
    const status = error.code === 'not_found' ? 404 : 400;
    throw new HttpError(status, error.code, error.message, error.field?.replace(/^args\./, ''));
  }
  throw error;
}

export function centreGrantRoutes(app: FastifyInstance, ctx: AppContext): void {
  const view = (grant: AccessGrant, at: Date): CentreGrant => {
    const contact = ctx.store.contacts.get(grant.grantedByContactId);
    return centreGrantOf(grant, at, contact && contact.anonymisedAt === null ? contact.name : null);
  };

  /** A grant of the session's company, else 404 (another company's grant is not there for them). */
  const ownGrant = (customer: Customer, id: string): AccessGrant => {
    const grant = ctx.store.grants.get(id);
    if (!grant || grant.customerId !== customer.id) throw new HttpError(404, 'not_found', 'grant not found', 'id');
    return grant;
  };

  app.get(ROUTES.centreGrants, { config: { access: 'customer' } }, async (request) => {
    const { contact, customer } = centreSessionOf(request);
    const now = ctx.now();
    const grants = ctx.store.grants.forCustomer(customer.id).map((g) => view(g, now));
    ctx.store.audit.recordAction({ at: now.toISOString(), specialistId: null, action: 'centre_grants', route: ROUTES.centreGrants, contactId: contact.id, targetId: null });
    return { grants };
  });

  app.post(ROUTES.centreGrants, { config: { access: 'customer' }, bodyLimit: 4 * 1024, onRequest: requireJson() }, async (request, reply) => {
    const { contact, customer } = centreSessionOf(request);
    const input = parseInput(CentreGrantRequestSchema, request.body);
    const now = ctx.now();
    const at = now.toISOString();
    const grant = ctx.store.transaction(() => {
      let recorded: AccessGrant;
      try {
        recorded = recordGrantStep(ctx.store, now, null, {
          grantId: randomUUID(),
          customerId: customer.id,
          kind: input.kind,
          grantedByContactId: contact.id,
          grantedAt: at,
          ...(input.fridayHours === undefined ? {} : { fridayHours: input.fridayHours }),
          ...(input.durationHours === undefined ? {} : { durationHours: input.durationHours }),
        });
      } catch (error) {
        refused(error);
      }
      ctx.store.audit.recordAction({
        at,
        specialistId: null,
        action: 'centre_grant_create',
        route: ROUTES.centreGrants,
        contactId: contact.id,
        targetId: recorded.id,
        detail: { kind: recorded.kind, expiresAt: recorded.expiresAt },
      });
      return recorded;
    });
    // Every desk pulls the grant at once: the caller's panel shows it.
    ctx.live.poke(ctx.store.changes.latestSeq());
    return reply.code(201).send({ grant: view(grant, now) });
  });

  app.delete(CENTRE_GRANT, { config: { access: 'customer' } }, async (request) => {
    const { contact, customer } = centreSessionOf(request);
    const { id } = parseInput(CentreGrantIdParam, request.params, { status: 404 });
    const now = ctx.now();
    const at = now.toISOString();
    const outcome = ctx.store.transaction(() => {
      const grant = ownGrant(customer, id);
      let result: { grant: AccessGrant; changed: boolean };
      try {
        result = revokeGrantStep(ctx.store, now, grant.id);
      } catch (error) {
        refused(error);
      }
      ctx.store.audit.recordAction({
        at,
        specialistId: null,
        action: 'centre_grant_revoke',
        route: CENTRE_GRANT,
        contactId: contact.id,
        targetId: grant.id,
        detail: { changed: result.changed },
      });
      return result;
    });
    if (outcome.changed) ctx.live.poke(ctx.store.changes.latestSeq());
    return { grant: view(outcome.grant, now) };
  });
}
