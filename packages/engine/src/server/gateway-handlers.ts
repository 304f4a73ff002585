import { ErrorCode } from '@leviathan/protocol';
import { isAccountRegistrar, registerSafely } from '../auth/accounts/accounts-verifier.js';
import type { AuthVerifier } from '../auth/auth-verifier.js';
import { verifySafely } from '../auth/create-auth-verifier.js';
import type { Logger } from '../logging/logger.js';
import type { GatewayPoolOptions } from './gateway-pool.js';
import type { LoginService } from './login-service.js';

export interface GatewayHandlersOptions {
  /** The gateway thread these handlers answer. */
  gateway: number;
  logins: LoginService;
  /** The verifier that runs in main (accounts mode, or one given in code); else none. */
  verifier: AuthVerifier | undefined;
  log: Logger;
  /** The whole server's metrics text, for a gateway's `/metrics`. */
  metricsText: () => Promise<string>;
  /** The dashboard's latest snapshot as JSON, for a gateway's `/dashboard/snapshot.json`. */
  dashboardSnapshot: () => Promise<string>;
}

/**
 * What main answers one gateway thread: logins, resumes, logouts, verification and registration
 * with main's verifier, and the metrics text. A failure inside a login is logged and answered as
 * an internal error, so the gateway always gets a reply.
 */
export function gatewayHandlers(options: GatewayHandlersOptions): ReturnType<GatewayPoolOptions['handlers']> {
  const { gateway, logins, verifier, log } = options;
  const forbidden = {
    ok: false as const,
    code: ErrorCode.Forbidden,
    message: 'this server does not take registrations',
  };
  return {
    login: (request) =>
      logins.login(gateway, request).catch((err: unknown) => {
        log.error({ err, username: request.username }, 'login failed');
        return {
          ok: false as const,
          code: ErrorCode.Internal,
          message: 'login failed on the server; try again',
        };
      }),
    resume: (arg) => logins.resume(gateway, arg),
    logout: ({ username, joined }) => logins.logout(username, joined),
    // The gateway asks main to verify only when main has a verifier (verifyInMain).
    verify: (request) => verifySafely(verifier!, request, log),
    register: (request) =>
      verifier !== undefined && isAccountRegistrar(verifier)
        ? registerSafely(verifier, request, log)
        : Promise.resolve(forbidden),
    metricsText: options.metricsText,
    dashboardSnapshot: options.dashboardSnapshot,
  };
}
