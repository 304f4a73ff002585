/**
 * @leviathan/engine/auth: the verifiers a server can check logins with (`auth.mode`), signing the
 * HMAC tokens a login service hands out, and the store's accounts.
 */
export * from './accounts/index.js';
export type { AuthFailure, AuthRequest, AuthResult, AuthSuccess, AuthVerifier } from './auth-verifier.js';
export { isAuthVerifier } from './auth-verifier.js';
export { DEV_TOKEN, type DevTokenVerifierOptions, devTokenVerifier } from './dev-token-verifier.js';
export {
  type HmacTokenClaims,
  MIN_SECRET_BYTES,
  type SignHmacTokenOptions,
  signHmacToken,
} from './hmac-token.js';
export { type HmacVerifierOptions, hmacVerifier } from './hmac-verifier.js';
