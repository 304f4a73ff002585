import { createHash, timingSafeEqual } from 'node:crypto';
import { isLoopbackAddress } from '../gateway/forwarded-address.js';
import type { HttpRequestInfo } from '../gateway/transport/transport.js';

/**
 * Who gets the dashboard's data: `granted`, `token-needed` (a token is set and the request did not
 * carry it: 401, the page asks for it) or `local-only` (no token is set and the client is not this
 * machine: 403, the page says how to set one).
 */
export type DashboardAccess = 'granted' | 'token-needed' | 'local-only';

/**
 * With a token (from the variable `dashboard.tokenEnv` names), the data needs `Authorization:
 * Bearer <token>` from anywhere, loopback included: one rule, whatever sits in front of the
 * engine. Without one, only this machine gets it, and a loopback peer that says it forwards a
 * client (a reverse proxy on the same host) is that client, not this machine.
 */
export function dashboardAccess(token: Buffer | undefined, request: HttpRequestInfo): DashboardAccess {
  if (token !== undefined) return bearerMatches(request.authorization, token) ? 'granted' : 'token-needed';
  return isLoopbackAddress(request.peer) && !request.proxied ? 'granted' : 'local-only';
}

/** The digest a token is compared by (see bearerMatches). */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Whether `header` is `Bearer <token>` for the token whose digest is `digest`. Both sides are
 * compared as SHA-256 digests with timingSafeEqual: equal lengths whatever was sent, so the time
 * taken tells nothing about the token, not even its length. The scheme is case-insensitive (RFC
 * 9110 §11.1).
 */
export function bearerMatches(header: string, digest: Buffer): boolean {
  const match = BEARER.exec(header);
  if (match === null) return false;
  return timingSafeEqual(tokenDigest(match[1]!), digest);
}
