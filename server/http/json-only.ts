/**
 * Routes that take JSON only. A form or text/plain body is a "simple" request that any web page
 * can make a browser send without asking (no CORS preflight): refused before it is read, so a page
 * cannot use its visitors' browsers to log in, guess passwords or change anything.
 */
import type { FastifyRequest } from 'fastify';
import { HttpError } from './errors';

/** An `onRequest` hook refusing anything but `application/json` with a 415 naming `what` ("send the login as application/json"). */
export function requireJson(what = 'the request'): (request: Pick<FastifyRequest, 'headers'>) => Promise<void> {
  return async (request) => {
    const header = request.headers['content-type'];
    const type = (typeof header === 'string' ? header : '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') throw new HttpError(415, 'unsupported_media_type', `send ${what} as application/json`);
  };
}
