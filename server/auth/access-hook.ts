/** Which requests need a session, and the session of a request that has one. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors';
import { hasSecondFactor, type AuthService, type AuthSession } from './auth-service';
import type { CentreAuth, CentreAuthSession } from '../centre/centre-auth';

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthSession | null;
    /** A customer's session (the customer centre's routes only). */
    centre: CentreAuthSession | null;
  }
  interface FastifyContextConfig {
    /**
     * Who may call the route: anyone ('public'), any specialist (default), leads only, or a
     * customer signed in to the customer centre ('customer'; no specialist's token opens it).
     */
    access?: 'public' | 'lead' | 'customer';
    /** Open to a session that must choose a new password first (every other route answers 403). */
    duringPasswordChange?: boolean;
  }
}

/**
 * Every route needs a bearer token unless it is declared public. A session that must choose a
 * new password opens only the routes that allow it. Lead routes need the role and a session
 * that passed a second factor: a lead without two-factor is sent to enrol.
 */
export function installAuth(app: FastifyInstance, auth: AuthService, centre: CentreAuth): void {
  app.decorateRequest('auth', null);
  app.decorateRequest('centre', null);
  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    const access = request.routeOptions.config.access;
    if (access === 'public') return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header);
    if (access === 'customer') {
      // Customers' sessions are a table of their own: a specialist's token is unknown there.
      const customer = match?.[1] ? centre.authenticate(match[1]) : null;
      if (!customer) throw new HttpError(401, 'unauthorized', 'log in to the customer centre first: a valid bearer token is required');
      request.centre = customer;
      return;
    }
    const session = match?.[1] ? auth.authenticate(match[1]) : null;
    if (!session) throw new HttpError(401, 'unauthorized', 'log in first: a valid bearer token is required');
    if (session.mustChangePassword && request.routeOptions.config.duringPasswordChange !== true) {
      throw new HttpError(403, 'password_change_required', 'choose a new password first');
    }
    if (access === 'lead' && session.specialist.role !== 'lead') {
      throw new HttpError(403, 'forbidden', 'this needs the lead role');
    }
    if (access === 'lead' && !hasSecondFactor(session)) {
      throw new HttpError(403, 'two_factor_required', 'lead functions need two-factor authentication: enrol in your account first');
    }
    request.auth = session;
  });
}

/** The session of an authenticated route (the hook guarantees it). */
export function sessionOf(request: FastifyRequest): AuthSession {
  if (!request.auth) throw new HttpError(401, 'unauthorized', 'log in first: a valid bearer token is required');
  return request.auth;
}

/** The customer's session of a customer-centre route (the hook guarantees it). */
export function centreSessionOf(request: FastifyRequest): CentreAuthSession {
  if (!request.centre) throw new HttpError(401, 'unauthorized', 'log in to the customer centre first: a valid bearer token is required');
  return request.centre;
}
