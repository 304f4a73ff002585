import { PveConfigError } from './errors.js';
import type { PveMethod } from './types.js';

/** API token: `Authorization: PVEAPIToken=USER@REALM!TOKENID=SECRET`; no CSRF token needed. */
export interface PveTokenAuth {
  readonly type: 'token';
  /** `user@realm!tokenname`. */
  readonly tokenId: string;
  /** The token's secret (a UUID). */
  readonly secret: string;
}

/** Ticket login: `PVEAuthCookie` cookie, plus `CSRFPreventionToken` on every write. */
export interface PveTicketAuth {
  readonly type: 'ticket';
  /** `user@realm`, or `user` with `realm`. */
  readonly username: string;
  readonly password: string;
  readonly realm?: string;
  /** One-time password for two-factor logins. */
  readonly otp?: string;
  /**
   * Age of a ticket at which it is renewed, in milliseconds. Proxmox tickets live two hours;
   * renewing at 90 minutes leaves room for clock skew and long calls.
   * @default 5_400_000
   */
  readonly renewAfterMs?: number;
}

export type PveAuthOptions = PveTokenAuth | PveTicketAuth;

export interface TicketGrant {
  readonly ticket: string;
  readonly CSRFPreventionToken: string;
}

/** Sends `POST /access/ticket` with the given form and no credentials. */
export type TicketLogin = (form: Record<string, string>, signal: AbortSignal) => Promise<TicketGrant>;

export interface AuthProvider {
  /** Headers for one request. */
  headers(method: PveMethod, signal: AbortSignal): Promise<Record<string, string>>;
  /** After a 401: forget the credential; true when asking again may help. */
  invalidate(): boolean;
}

export class TokenAuthProvider implements AuthProvider {
  readonly #header: string;

  constructor(opts: PveTokenAuth) {
    if (!/^[^@!\s]+@[^@!\s]+![A-Za-z][A-Za-z0-9._-]*$/.test(opts.tokenId)) {
      throw new PveConfigError(
        `auth.tokenId must look like user@realm!tokenname, got ${JSON.stringify(opts.tokenId)}`,
      );
    }
    if (!opts.secret) throw new PveConfigError('auth.secret is empty');
    this.#header = `PVEAPIToken=${opts.tokenId}=${opts.secret}`;
  }

  async headers(): Promise<Record<string, string>> {
    return { authorization: this.#header };
  }

  invalidate(): boolean {
    return false;
  }
}

interface HeldTicket extends TicketGrant {
  readonly issuedAt: number;
}

export class TicketAuthProvider implements AuthProvider {
  readonly #opts: PveTicketAuth;
  readonly #login: TicketLogin;
  readonly #now: () => number;
  readonly #renewAfterMs: number;
  #held: HeldTicket | undefined;
  #pending: Promise<HeldTicket> | undefined;
  /** How many tickets were obtained (login or renewal); for tests and diagnostics. */
  grants = 0;

  constructor(opts: PveTicketAuth, login: TicketLogin, now: () => number) {
    if (!opts.username) throw new PveConfigError('auth.username is empty');
    this.#opts = opts;
    this.#login = login;
    this.#now = now;
    this.#renewAfterMs = opts.renewAfterMs ?? 5_400_000;
  }

  async headers(method: PveMethod, signal: AbortSignal): Promise<Record<string, string>> {
    const t = await this.#fresh(signal);
    const h: Record<string, string> = { cookie: `PVEAuthCookie=${encodeURIComponent(t.ticket)}` };
    // pve-http-server checks the CSRF token on every request that is not a GET.
    if (method !== 'GET') h.csrfpreventiontoken = t.CSRFPreventionToken;
    return h;
  }

  invalidate(): boolean {
    if (!this.#held) return false;
    this.#held = undefined;
    return true;
  }

  #fresh(signal: AbortSignal): Promise<HeldTicket> {
    const held = this.#held;
    if (held && this.#now() - held.issuedAt < this.#renewAfterMs) return Promise.resolve(held);
    // One login or renewal at a time; concurrent calls share it. It runs under its own signal
    // (the login call still has the client's timeout), so one caller giving up does not fail
    // the others; each caller stops waiting on its own signal.
    this.#pending ??= this.#obtain(held, new AbortController().signal).finally(() => {
      this.#pending = undefined;
    });
    return untilAborted(this.#pending, signal);
  }

  async #obtain(held: HeldTicket | undefined, signal: AbortSignal): Promise<HeldTicket> {
    const base: Record<string, string> = { username: this.#opts.username };
    if (this.#opts.realm) base.realm = this.#opts.realm;
    let grant: TicketGrant | undefined;
    if (held) {
      // Renewal: a still-valid ticket is accepted as the password (POST /access/ticket docs).
      try {
        grant = await this.#login({ ...base, password: held.ticket }, signal);
      } catch {
        grant = undefined; // expired or revoked: fall back to the password
      }
    }
    if (!grant) {
      const form = { ...base, password: this.#opts.password };
      if (this.#opts.otp) Object.assign(form, { otp: this.#opts.otp });
      grant = await this.#login(form, signal);
    }
    this.grants++;
    this.#held = { ...grant, issuedAt: this.#now() };
    return this.#held;
  }
}

/** Waits for `promise`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
