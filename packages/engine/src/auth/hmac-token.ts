import { createHmac, timingSafeEqual } from 'node:crypto';
import { FieldBounds, USERNAME_PATTERN } from '@leviathan/protocol';
import { AuthSecretError, AuthTokenSignError } from '../errors.js';

/**
 * Signed, expiring tokens: `v1.<payload>.<signature>`, both parts base64url, the payload the JSON
 * `{"sub":username,"roles":[...],"iat":seconds,"exp":seconds}`, the signature HMAC-SHA256 over
 * `v1.<payload>` with a secret of at least 32 bytes (the hash's output size; RFC 2104 §3 advises
 * no less). Your web site or login service signs them with the same secret; the engine verifies.
 */

export const TOKEN_VERSION = 'v1';
/** Minimum secret length, in bytes. */
export const MIN_SECRET_BYTES = 32;
const SIGNATURE_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** Roles are short names; bounded so a token stays well under the protocol's token limit. */
const ROLE_PATTERN = /^[A-Za-z0-9_.:-]{1,32}$/;
const MAX_ROLES = 16;

export type Secret = string | Uint8Array;

export interface HmacTokenClaims {
  /** The username the token is for. */
  readonly sub: string;
  readonly roles: readonly string[];
  /** Issued at, in seconds since the epoch. */
  readonly iat: number;
  /** Expires at, in seconds since the epoch. */
  readonly exp: number;
}

export interface SignHmacTokenOptions {
  username: string;
  /** @default [] */
  roles?: readonly string[];
  /** Lifetime, in seconds. */
  expiresInSec: number;
  secret: Secret;
  /** Current time, in milliseconds since the epoch. @default Date.now() */
  now?: number;
}

/** Checks a secret's length; returns its bytes. */
export function secretBytes(secret: Secret, what = 'HMAC secret'): Buffer {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new AuthSecretError(`the ${what} is ${bytes.length} bytes; it needs at least ${MIN_SECRET_BYTES}`);
  }
  return bytes;
}

/** Signs a token for `username`. Throws `AuthTokenSignError` on input it would not verify. */
export function signHmacToken(options: SignHmacTokenOptions): string {
  const { username, expiresInSec } = options;
  const roles = options.roles ?? [];
  if (
    typeof username !== 'string' ||
    !USERNAME_PATTERN.test(username) ||
    username.length > FieldBounds.usernameMax
  ) {
    throw new AuthTokenSignError(`username ${JSON.stringify(username)} is not a valid username`);
  }
  if (!Number.isFinite(expiresInSec) || expiresInSec <= 0) {
    throw new AuthTokenSignError(`expiresInSec must be a positive number of seconds, got ${expiresInSec}`);
  }
  if (roles.length > MAX_ROLES || roles.some((r) => typeof r !== 'string' || !ROLE_PATTERN.test(r))) {
    throw new AuthTokenSignError(`roles must be at most ${MAX_ROLES} names matching ${ROLE_PATTERN}`);
  }
  const key = secretBytes(options.secret);
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const claims: HmacTokenClaims = {
    sub: username,
    roles: [...roles],
    iat,
    exp: iat + Math.ceil(expiresInSec),
  };
  const body = `${TOKEN_VERSION}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

export type TokenCheck =
  | { readonly ok: true; readonly claims: HmacTokenClaims }
  | { readonly ok: false; readonly reason: 'malformed' | 'bad-signature' | 'bad-claims' };

/**
 * Checks a token's form and signature against each key in turn (current first, then previous) and
 * returns its claims. Expiry and the username are the caller's to check. The signature is
 * compared with `timingSafeEqual` on equal-length buffers, and the payload is parsed only once the
 * signature matches, so unauthenticated input never reaches `JSON.parse`.
 */
export function checkHmacToken(token: string, keys: readonly Buffer[]): TokenCheck {
  if (token.length > FieldBounds.tokenMax) return { ok: false, reason: 'malformed' };
  const firstDot = token.indexOf('.');
  const lastDot = token.lastIndexOf('.');
  if (firstDot < 0 || lastDot === firstDot) return { ok: false, reason: 'malformed' };
  const version = token.slice(0, firstDot);
  const payload = token.slice(firstDot + 1, lastDot);
  const signature = token.slice(lastDot + 1);
  if (version !== TOKEN_VERSION || !BASE64URL.test(payload) || !BASE64URL.test(signature)) {
    return { ok: false, reason: 'malformed' };
  }
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== SIGNATURE_BYTES) return { ok: false, reason: 'malformed' };
  const body = token.slice(0, lastDot);
  let matched = false;
  for (const key of keys) {
    // No early exit between keys either: the time taken does not tell which key matched.
    const expected = createHmac('sha256', key).update(body).digest();
    if (timingSafeEqual(given, expected)) matched = true;
  }
  if (!matched) return { ok: false, reason: 'bad-signature' };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'bad-claims' };
  }
  return isClaims(claims) ? { ok: true, claims } : { ok: false, reason: 'bad-claims' };
}

function isClaims(value: unknown): value is HmacTokenClaims {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    typeof c.sub === 'string' &&
    Array.isArray(c.roles) &&
    c.roles.every((r) => typeof r === 'string') &&
    typeof c.iat === 'number' &&
    Number.isFinite(c.iat) &&
    typeof c.exp === 'number' &&
    Number.isFinite(c.exp)
  );
}
