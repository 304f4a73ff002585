import { ErrorCode } from '@leviathan/protocol';
import type { AuthRequest, AuthResult, AuthVerifier } from './auth-verifier.js';
import { checkHmacToken, type Secret, secretBytes } from './hmac-token.js';

export interface HmacVerifierOptions {
  /** The current secret, at least 32 bytes. Read it from the environment, never from a file. */
  secret: Secret;
  /**
   * The previous secret, still accepted while the tokens signed with it expire: rotate by moving
   * the current secret here and setting a new one.
   * @default undefined
   */
  previousSecret?: Secret | undefined;
  /**
   * Tolerated clock difference between the signer and this server, in seconds.
   * @default 30
   */
  clockSkewSec?: number;
  /** Clock, in milliseconds since the epoch. @default Date.now */
  now?: () => number;
}

const INVALID: AuthResult = Object.freeze({
  ok: false,
  code: ErrorCode.AuthFailed,
  message: 'invalid token',
});
const EXPIRED: AuthResult = Object.freeze({
  ok: false,
  code: ErrorCode.AuthExpired,
  message: 'the token has expired; get a new one',
});

/**
 * Verifies tokens made by `signHmacToken`: signature (timing-safe), expiry (with clock skew), and
 * that the token was issued for the username the client asks for.
 */
export function hmacVerifier(options: HmacVerifierOptions): AuthVerifier {
  const keys = [secretBytes(options.secret)];
  if (options.previousSecret !== undefined)
    keys.push(secretBytes(options.previousSecret, 'previous HMAC secret'));
  const skew = options.clockSkewSec ?? 30;
  const now = options.now ?? Date.now;

  return {
    async verify(request: AuthRequest): Promise<AuthResult> {
      if (typeof request.token !== 'string' || request.token === '') {
        return { ok: false, code: ErrorCode.AuthFailed, message: 'a token is required' };
      }
      const checked = checkHmacToken(request.token, keys);
      if (!checked.ok) return INVALID;
      const { claims } = checked;
      const seconds = now() / 1000;
      if (claims.exp + skew <= seconds) return EXPIRED;
      if (claims.iat - skew > seconds) return INVALID; // issued in the future: a clock or a forgery problem
      if (claims.sub !== request.username) {
        return {
          ok: false,
          code: ErrorCode.AuthFailed,
          message: 'the token was issued for another username',
        };
      }
      return { ok: true, username: claims.sub, roles: Object.freeze([...claims.roles]) };
    },
  };
}
