import { ErrorCode } from '@leviathan/protocol';
import { AccountError, StoreError } from '../../errors.js';
import type { AuthRequest, AuthResult, AuthVerifier } from '../auth-verifier.js';
import type { AccountService, LoginOutcome } from './account-service.js';

/** The protocol's `register` message as the gateway hands it over. */
export interface RegisterRequest {
  readonly username: string;
  readonly password: string;
  readonly remoteAddress: string;
}

/**
 * An AuthVerifier over accounts, with `register` for the protocol's `register` message. A gateway
 * that finds `register` on its verifier (`isAccountRegistrar`) serves account creation.
 */
export interface AccountsVerifier extends AuthVerifier {
  register(request: RegisterRequest): Promise<AuthResult>;
}

export function isAccountRegistrar(verifier: AuthVerifier): verifier is AccountsVerifier {
  return typeof (verifier as Partial<AccountsVerifier>).register === 'function';
}

/**
 * `auth` with `password` logs in (and the `auth-ok` can carry the session token from
 * `result.token`); `auth` with `token` resumes a session from an earlier login. Store outages
 * answer "try again", never a crash; wrong credentials never say which part was wrong.
 */
export function accountsVerifier(accounts: AccountService): AccountsVerifier {
  return {
    async verify(request: AuthRequest): Promise<AuthResult> {
      try {
        if (request.password !== undefined) {
          return outcome(await accounts.login(request.username, request.password, request.remoteAddress));
        }
        if (request.token !== undefined) {
          const account = await accounts.checkSession(request.username, request.token);
          return account
            ? { ok: true, username: account.username, roles: account.roles }
            : {
                ok: false,
                code: ErrorCode.AuthFailed,
                message: 'the session is unknown or expired; log in with your password',
              };
        }
        return { ok: false, code: ErrorCode.AuthFailed, message: 'send a password (or a session token)' };
      } catch (error) {
        return unavailable(error);
      }
    },
    async register(request: RegisterRequest): Promise<AuthResult> {
      try {
        return outcome(await accounts.register(request.username, request.password, request.remoteAddress));
      } catch (error) {
        if (error instanceof AccountError) {
          return {
            ok: false,
            code: error.code === 'LEV_ERR_ACCOUNT_EXISTS' ? ErrorCode.AuthFailed : ErrorCode.InvalidField,
            message: error.message,
          };
        }
        return unavailable(error);
      }
    },
  };
}

/** A successful result carries the session token, for the gateway to pass on in `auth-ok`. */
export type AccountAuthSuccess = Extract<AuthResult, { ok: true }> & { token: string; expiresAt: Date };

function outcome(result: LoginOutcome): AuthResult {
  if (result.ok) {
    const { username, roles, token, expiresAt } = result.session;
    const success: AccountAuthSuccess = { ok: true, username, roles, token, expiresAt };
    return success;
  }
  switch (result.reason) {
    case 'rate-limited':
      return {
        ok: false,
        code: ErrorCode.AuthRateLimited,
        message: 'too many login attempts; wait a minute and retry',
      };
    case 'busy':
      return {
        ok: false,
        code: ErrorCode.AuthRateLimited,
        message: 'the server is busy with logins; retry in a moment',
      };
    default:
      return { ok: false, code: ErrorCode.AuthFailed, message: 'wrong username or password' };
  }
}

function unavailable(error: unknown): AuthResult {
  if (!(error instanceof StoreError)) throw error;
  return {
    ok: false,
    code: ErrorCode.Internal,
    message: 'accounts are unavailable right now; try again shortly',
  };
}

/**
 * Calls `register` and turns a throw or a malformed answer into a failure, like `verifySafely`
 * does for `verify`: a store bug costs one registration, not the gateway.
 */
export async function registerSafely(
  verifier: AccountsVerifier,
  request: RegisterRequest,
  logger?: { error(obj: object, msg?: string): void },
): Promise<AuthResult> {
  try {
    const result = await verifier.register(request);
    if (result && (result.ok === true ? typeof result.username === 'string' : result.ok === false))
      return result;
    logger?.error({ username: request.username }, 'register returned a malformed result');
  } catch (error) {
    logger?.error({ err: error, username: request.username }, 'register threw');
  }
  return { ok: false, code: ErrorCode.Internal, message: 'registration failed on the server; try again' };
}
