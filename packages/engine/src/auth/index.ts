export type { AuthFailure, AuthRequest, AuthResult, AuthSuccess, AuthVerifier } from './auth-verifier.js';
export { isAuthVerifier } from './auth-verifier.js';
export { type CreateAuthVerifierOptions, createAuthVerifier, verifySafely } from './create-auth-verifier.js';
export { DEV_TOKEN, type DevTokenVerifierOptions, devTokenVerifier } from './dev-token-verifier.js';
export {
  type HmacTokenClaims,
  MIN_SECRET_BYTES,
  type SignHmacTokenOptions,
  signHmacToken,
} from './hmac-token.js';
export { type HmacVerifierOptions, hmacVerifier } from './hmac-verifier.js';
export { loadCustomVerifier } from './load-custom-verifier.js';
