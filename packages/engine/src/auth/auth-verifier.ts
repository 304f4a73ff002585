import type { ErrorCode } from '@leviathan/protocol';

/**
 * The pluggable check of a client's `auth` message. The gateway calls `verify` once per login
 * attempt (after its own per-address rate limit), off the tick, and answers `auth-ok` or
 * `auth-error` with the result's code. One folder per implementation: `dev-token-verifier.ts`,
 * `hmac-verifier.ts`, custom ones (`load-custom-verifier.ts`), and the store's accounts.
 */
export interface AuthVerifier {
  verify(request: AuthRequest): Promise<AuthResult>;
}

/** What a client presented, already validated by the protocol (username shape, lengths). */
export interface AuthRequest {
  readonly username: string;
  readonly token?: string | undefined;
  readonly password?: string | undefined;
  /** The peer's address as the gateway saw it (IPv4 or IPv6 text). */
  readonly remoteAddress: string;
}

export type AuthResult = AuthSuccess | AuthFailure;

export interface AuthSuccess {
  readonly ok: true;
  /** The authenticated name, which may differ in case from the requested one. */
  readonly username: string;
  readonly roles: readonly string[];
}

export interface AuthFailure {
  readonly ok: false;
  /** Usually `LEV_ERR_AUTH_FAILED` or `LEV_ERR_AUTH_EXPIRED`. */
  readonly code: ErrorCode;
  /** Sent to the client: say what to do, never why a secret did not match. */
  readonly message: string;
}

/** Whether a value implements `AuthVerifier` (for custom verifiers loaded at run time). */
export function isAuthVerifier(value: unknown): value is AuthVerifier {
  return typeof value === 'object' && value !== null && typeof (value as AuthVerifier).verify === 'function';
}
