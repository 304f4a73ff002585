export {
  AccountService,
  type AccountServiceOptions,
  hashToken,
  type LoginOutcome,
  type RateLimit,
  type Session,
} from './account-service.js';
export {
  type AccountAuthSuccess,
  type AccountsVerifier,
  accountsVerifier,
  isAccountRegistrar,
  type RegisterRequest,
  registerSafely,
} from './accounts-verifier.js';
export { DEFAULT_SCRYPT, hashPassword, type ScryptParams, verifyPassword } from './password-hash.js';
