import { ErrorCode } from '@leviathan/protocol';
import type { Logger } from '../logging/logger.js';
import type { AuthRequest, AuthResult, AuthVerifier } from './auth-verifier.js';

/** The token the development mode accepts, as the seed's k6 script sends it. */
export const DEV_TOKEN = 'test-token';

export interface DevTokenVerifierOptions {
  /** Where the warning goes; without one it goes to stderr. */
  logger?: Pick<Logger, 'warn'>;
  /**
   * Roles given to every player.
   * @default ['player']
   */
  roles?: readonly string[];
}

/**
 * Development and load-test authentication: any username with the token `test-token`. It is
 * never on by default (`auth.mode: dev`, `--dev-auth`), and creating it logs a warning so that a
 * server running it cannot go unnoticed.
 */
export function devTokenVerifier(options: DevTokenVerifierOptions = {}): AuthVerifier {
  const roles = Object.freeze([...(options.roles ?? ['player'])]);
  const warning =
    'development auth mode is ON: any username is accepted with the token "test-token"; never run it where players can reach it';
  if (options.logger) options.logger.warn({ authMode: 'dev' }, warning);
  else process.emitWarning(warning, { code: 'LEV_DEV_AUTH' });

  return {
    async verify(request: AuthRequest): Promise<AuthResult> {
      if (request.token === DEV_TOKEN) return { ok: true, username: request.username, roles };
      return {
        ok: false,
        code: ErrorCode.AuthFailed,
        message: 'this server is in development auth mode: send the token "test-token"',
      };
    },
  };
}
