import { AuthMode } from '@leviathan/protocol';
import { type OptionSpec, option } from '../option-spec.js';

/** Every mode, from the wire contract's list (clients learn the mode at `GET /login-options`). */
export const AUTH_MODES: readonly AuthMode[] = Object.freeze(Object.values(AuthMode));

/**
 * How players authenticate: the mode, the variables the HMAC secrets are read from, a custom
 * verifier, and the rate of login attempts.
 */
export const AUTH_OPTIONS: readonly OptionSpec[] = Object.freeze([
  option({
    key: 'auth.mode',
    type: 'enum',
    description:
      'How players authenticate: dev (token test-token, local use only), hmac (signed expiring tokens), custom (your verifier) or accounts (passwords in the store).',
    default: 'hmac',
    values: AUTH_MODES,
  }),
  option({
    key: 'auth.hmacSecretEnv',
    type: 'string',
    description:
      'Name of the environment variable holding the HMAC secret (32 bytes or more); secrets are never read from files or flags.',
    unit: 'variable name',
    default: 'LEVIATHAN_HMAC_SECRET',
  }),
  option({
    key: 'auth.hmacPreviousSecretEnv',
    type: 'string',
    description:
      'Name of the environment variable that may hold the previous HMAC secret, still accepted during key rotation.',
    unit: 'variable name',
    default: 'LEVIATHAN_HMAC_PREVIOUS_SECRET',
  }),
  option({
    key: 'auth.clockSkewSec',
    type: 'integer',
    description: 'Tolerated clock difference when checking token expiry.',
    unit: 'seconds',
    default: 30,
    min: 0,
    max: 3600,
  }),
  option({
    key: 'auth.customVerifier',
    type: 'string',
    description:
      'Module specifier or file of a custom verifier (mode custom): exports default, verifier, or createVerifier(options).',
    unit: 'module',
    default: undefined,
    optional: true,
  }),
  option({
    key: 'auth.rate.perSecond',
    type: 'number',
    description: 'Sustained login attempts allowed per remote address.',
    unit: 'attempts per second',
    default: 1,
    min: 0.001,
    max: 100_000,
  }),
  option({
    key: 'auth.rate.burst',
    type: 'integer',
    description: 'Login attempts a remote address may make at once.',
    unit: 'attempts',
    default: 10,
    min: 1,
    max: 1_000_000,
  }),
]);
