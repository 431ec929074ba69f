import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../core/errors.js';

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The converse API: with SWITCHBOARD_API_TOKEN set, a matching bearer token is required; without
 * it, only requests from this machine (loopback) are accepted.
 */
export function authorizeConverse(request: FastifyRequest, apiToken: string | undefined): void {
  if (apiToken) {
    const given = bearer(request);
    if (!given || !sameSecret(given, apiToken)) {
      throw new UnauthorizedError('A valid "Authorization: Bearer <SWITCHBOARD_API_TOKEN>" header is required.');
    }
    return;
  }
  if (!isLoopback(request.socket.remoteAddress)) {
    throw new ForbiddenError('Without SWITCHBOARD_API_TOKEN set, this API only accepts requests from this machine.');
  }
}

/**
 * The admin API (CLI commands run by the service): SWITCHBOARD_API_TOKEN from anywhere, or the
 * per-start token in the data folder's lock file from this machine only.
 */
export function authorizeAdmin(request: FastifyRequest, apiToken: string | undefined, localToken: string | undefined): void {
  const given = bearer(request);
  if (given && apiToken && sameSecret(given, apiToken)) return;
  if (given && localToken && sameSecret(given, localToken) && isLoopback(request.socket.remoteAddress)) return;
  throw new UnauthorizedError('A valid admin token is required.');
}
