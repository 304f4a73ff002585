import { ErrorCode } from '@leviathan/protocol';
import type { EngineConfig } from '../config/engine-config.js';
import { AuthSecretError, AuthVerifierError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import type { AuthRequest, AuthResult, AuthVerifier } from './auth-verifier.js';
import { devTokenVerifier } from './dev-token-verifier.js';
import { hmacVerifier } from './hmac-verifier.js';
import { loadCustomVerifier } from './load-custom-verifier.js';

export interface CreateAuthVerifierOptions {
  /** Where the secrets are read. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  logger?: Logger;
  /** A verifier given in code (modes `custom` and `accounts`); it wins over `auth.customVerifier`. */
  verifier?: AuthVerifier;
  /** Directory a relative `auth.customVerifier` path is resolved against. @default process.cwd() */
  cwd?: string;
}

/**
 * Builds the verifier `config.auth.mode` asks for. The HMAC secrets are read here, from the
 * environment variables the configuration names, so they never travel in the configuration object
 * (which is logged and cloned into every worker).
 */
export async function createAuthVerifier(
  config: EngineConfig,
  options: CreateAuthVerifierOptions = {},
): Promise<AuthVerifier> {
  const { auth } = config;
  switch (auth.mode) {
    case 'dev':
      return devTokenVerifier(options.logger ? { logger: options.logger } : {});
    case 'hmac': {
      const env = options.env ?? process.env;
      const secret = env[auth.hmacSecretEnv];
      if (secret === undefined || secret === '') {
        throw new AuthSecretError(
          `auth mode hmac needs a secret in the environment variable ${auth.hmacSecretEnv}`,
        );
      }
      const previous = env[auth.hmacPreviousSecretEnv];
      return hmacVerifier({
        secret,
        previousSecret: previous === undefined || previous === '' ? undefined : previous,
        clockSkewSec: auth.clockSkewSec,
      });
    }
    case 'custom':
    case 'accounts': {
      if (options.verifier) return options.verifier;
      if (auth.mode === 'custom' && auth.customVerifier !== undefined) {
        return loadCustomVerifier(auth.customVerifier, {
          ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
          factoryOptions: { config, logger: options.logger },
        });
      }
      throw new AuthVerifierError(
        auth.mode === 'custom'
          ? 'auth mode custom needs a verifier: pass one in code, or set auth.customVerifier to a module'
          : 'auth mode accounts needs the store: pass the accounts verifier in code',
      );
    }
  }
}

/**
 * Calls a verifier and turns a throw or a malformed answer into a failure, so that a buggy custom
 * verifier costs one login, not the gateway.
 */
export async function verifySafely(
  verifier: AuthVerifier,
  request: AuthRequest,
  logger?: Pick<Logger, 'error'>,
): Promise<AuthResult> {
  try {
    const result = await verifier.verify(request);
    if (
      result &&
      (result.ok === true
        ? typeof result.username === 'string' && Array.isArray(result.roles)
        : result.ok === false)
    ) {
      return result;
    }
    logger?.error({ username: request.username }, 'auth verifier returned a malformed result');
  } catch (error) {
    logger?.error({ err: error, username: request.username }, 'auth verifier threw');
  }
  return { ok: false, code: ErrorCode.Internal, message: 'authentication failed on the server; try again' };
}
