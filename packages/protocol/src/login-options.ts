/**
 * The HTTP path, on the same port as `/ws`, where a server says how it takes logins: `GET` answers
 * a `LoginOptions` object as JSON. A client asks before it draws a login form, so that a new
 * player is not offered a password field by a server that takes development tokens (or the
 * other way round).
 */
export const LOGIN_OPTIONS_PATH = '/login-options';

/** How a server checks logins (its `auth.mode`). */
export const AuthMode = {
  /** Any name with the token `LoginOptions.devToken`: local play and load tests only. */
  Dev: 'dev',
  /** Signed, expiring tokens from a login service of the operator's. */
  Hmac: 'hmac',
  /** A verifier of the operator's: it may take tokens, passwords or both. */
  Custom: 'custom',
  /** Name and password accounts kept by the server. */
  Accounts: 'accounts',
} as const;
export type AuthMode = (typeof AuthMode)[keyof typeof AuthMode];

const AUTH_MODE_VALUES: ReadonlySet<string> = new Set(Object.values(AuthMode));

/** A credential an `auth` message may carry beside `username`. */
export const LoginSecret = { Token: 'token', Password: 'password' } as const;
export type LoginSecret = (typeof LoginSecret)[keyof typeof LoginSecret];

/** The answer of `GET /login-options`. */
export interface LoginOptions {
  /** How the server checks logins. */
  auth: AuthMode;
  /**
   * What an `auth` may carry, in the order a client should offer them: `token`, `password`, or
   * both (a custom verifier may take either).
   */
  secrets: LoginSecret[];
  /** Whether `register` creates accounts on this server. */
  register: boolean;
  /** In the development mode only: the token every name logs in with, for a client to fill in. */
  devToken?: string;
}

/**
 * A `LoginOptions` read from untrusted JSON (an older or foreign server may answer anything at that
 * path): the object, or `undefined` when it is not one, so the client falls back to asking.
 * Unknown fields are ignored, for servers newer than the client.
 */
export function parseLoginOptions(value: unknown): LoginOptions | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.auth !== 'string' || !AUTH_MODE_VALUES.has(v.auth)) return undefined;
  if (!Array.isArray(v.secrets) || v.secrets.length === 0) return undefined;
  const secrets: LoginSecret[] = [];
  for (const s of v.secrets) {
    if (s !== LoginSecret.Token && s !== LoginSecret.Password) return undefined;
    if (!secrets.includes(s)) secrets.push(s);
  }
  if (typeof v.register !== 'boolean') return undefined;
  const options: LoginOptions = { auth: v.auth as AuthMode, secrets, register: v.register };
  if (v.devToken !== undefined) {
    if (typeof v.devToken !== 'string' || v.devToken.length > 4096) return undefined;
    options.devToken = v.devToken;
  }
  return options;
}
