import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { FieldBounds, USERNAME_PATTERN } from '@leviathan/protocol';
import { AccountError, StoreDuplicateError } from '../../errors.js';
import { KeyedRateLimiter } from '../../limits/keyed-rate-limiter.js';
import type { AccountRecord, Store } from '../../store/store.js';
import { DEFAULT_SCRYPT, hashPassword, type ScryptParams, verifyPassword } from './password-hash.js';

export interface RateLimit {
  /** Sustained attempts per second. */
  perSecond: number;
  /** Attempts allowed in a burst. */
  burst: number;
}

export interface AccountServiceOptions {
  store: Store;
  /** scrypt cost. @default DEFAULT_SCRYPT (N=2^15, r=8, p=3) */
  scrypt?: ScryptParams;
  /** Lifetime of a session token from login, in seconds. @default 604800 (7 days) */
  sessionTtlSec?: number;
  /** Shortest password accepted at registration, in characters. @default 8 */
  minPasswordLength?: number;
  /** Login and registration attempts per username (any address). @default { perSecond: 0.1, burst: 5 } */
  perUsername?: RateLimit;
  /** Login and registration attempts per remote address. @default { perSecond: 0.5, burst: 20 } */
  perAddress?: RateLimit;
  /**
   * Most password hashes computed at once; beyond it attempts are refused as rate limited rather
   * than queued, so a flood from many addresses cannot pile up scrypt work (32 MiB each).
   * @default 32
   */
  maxConcurrentHashes?: number;
  /** Roles of a new account. @default ['player'] */
  defaultRoles?: readonly string[];
  /**
   * Least time between two sweeps of expired sessions (run after a login), in milliseconds.
   * @default 3600000 (1 hour)
   */
  sessionSweepMs?: number;
  /** Wall clock, for session expiry. @default () => new Date() */
  now?: () => Date;
}

export interface Session {
  /** The account's name as spelled at creation. */
  username: string;
  roles: string[];
  /** Give it to `auth` as `token`; only its SHA-256 is stored. */
  token: string;
  expiresAt: Date;
}

export type LoginFailure = 'rate-limited' | 'bad-credentials' | 'busy';

export type LoginOutcome = { ok: true; session: Session } | { ok: false; reason: LoginFailure };

const TOKEN_PREFIX = 'lev_s1_';

/** SHA-256 of a session token: what the store keeps, so a leaked table grants no session. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Accounts: registration, password login giving a session token, and session checks. Passwords
 * are hashed with scrypt on the libuv pool (never on the event loop, never in a tick). Attempts are
 * rate-limited per username and per address before any hashing, so the limits also cap CPU.
 */
export class AccountService {
  readonly #store: Store;
  readonly #scrypt: ScryptParams;
  readonly #ttlMs: number;
  readonly #minPassword: number;
  readonly #byUser: KeyedRateLimiter;
  readonly #byAddress: KeyedRateLimiter;
  readonly #maxHashes: number;
  readonly #roles: readonly string[];
  readonly #now: () => Date;
  readonly #sweepMs: number;
  #lastSweep = Number.NEGATIVE_INFINITY;
  #hashing = 0;
  /** Verified against when the username is unknown, so a miss costs the same time as a hit. */
  #dummyHash: Promise<string> | undefined;

  constructor(options: AccountServiceOptions) {
    this.#store = options.store;
    this.#scrypt = options.scrypt ?? DEFAULT_SCRYPT;
    this.#ttlMs = (options.sessionTtlSec ?? 604_800) * 1000;
    this.#minPassword = options.minPasswordLength ?? 8;
    const perUser = options.perUsername ?? { perSecond: 0.1, burst: 5 };
    const perAddress = options.perAddress ?? { perSecond: 0.5, burst: 20 };
    this.#byUser = new KeyedRateLimiter(perUser);
    this.#byAddress = new KeyedRateLimiter(perAddress);
    this.#maxHashes = options.maxConcurrentHashes ?? 32;
    this.#roles = options.defaultRoles ?? ['player'];
    this.#now = options.now ?? (() => new Date());
    this.#sweepMs = options.sessionSweepMs ?? 3_600_000;
  }

  /**
   * Creates an account and logs it in. Throws AccountError for a bad username or password or a
   * taken name; resolves `{ ok: false }` when rate limited or busy.
   */
  async register(username: string, password: string, remoteAddress: string): Promise<LoginOutcome> {
    if (typeof username !== 'string' || !USERNAME_PATTERN.test(username)) {
      throw new AccountError(
        'LEV_ERR_ACCOUNT_INVALID_USERNAME',
        'a username is a letter followed by up to 31 letters, digits, _ or -',
      );
    }
    if (
      typeof password !== 'string' ||
      [...password].length < this.#minPassword ||
      password.length > FieldBounds.passwordMax
    ) {
      throw new AccountError(
        'LEV_ERR_ACCOUNT_INVALID_PASSWORD',
        `a password has ${this.#minPassword} to ${FieldBounds.passwordMax} characters`,
      );
    }
    const limited = this.#limit(username, remoteAddress);
    if (limited) return { ok: false, reason: limited };
    if (await this.#store.findAccount(username)) {
      throw new AccountError('LEV_ERR_ACCOUNT_EXISTS', `the name ${username} is taken`);
    }
    const passwordHash = await this.#hash(() => hashPassword(password, this.#scrypt));
    if (passwordHash === undefined) return { ok: false, reason: 'busy' };
    let account: AccountRecord;
    try {
      account = await this.#store.createAccount({ username, passwordHash, roles: this.#roles });
    } catch (error) {
      if (error instanceof StoreDuplicateError) {
        throw new AccountError('LEV_ERR_ACCOUNT_EXISTS', `the name ${username} is taken`, { cause: error });
      }
      throw error;
    }
    return { ok: true, session: await this.#openSession(account) };
  }

  /** Checks a password and opens a session. Unknown names and wrong passwords look the same. */
  async login(username: string, password: string, remoteAddress: string): Promise<LoginOutcome> {
    const limited = this.#limit(username, remoteAddress);
    if (limited) return { ok: false, reason: limited };
    const account = USERNAME_PATTERN.test(username) ? await this.#store.findAccount(username) : undefined;
    const encoded = account?.passwordHash ?? (await this.#dummy());
    const matches = await this.#hash(() => verifyPassword(password, encoded));
    if (matches === undefined) return { ok: false, reason: 'busy' };
    if (!account || !matches) return { ok: false, reason: 'bad-credentials' };
    return { ok: true, session: await this.#openSession(account) };
  }

  /** The account behind a live session token, if the token is valid for `username`. */
  async checkSession(username: string, token: string): Promise<AccountRecord | undefined> {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const session = await this.#store.findSession(hashToken(token), this.#now());
    if (!session || session.username.toLowerCase() !== username.toLowerCase()) return undefined;
    return this.#store.findAccount(session.username);
  }

  /** Ends a session (logout everywhere that token was used). */
  async logout(token: string): Promise<void> {
    await this.#store.deleteSession(hashToken(token));
  }

  #limit(username: string, remoteAddress: string): LoginFailure | undefined {
    const now = performance.now();
    // Both buckets are charged, so neither a botnet on one name nor one address on many names gets through.
    const userOk = this.#byUser.take(username.toLowerCase(), now);
    const addressOk = this.#byAddress.take(remoteAddress, now);
    return userOk && addressOk ? undefined : 'rate-limited';
  }

  async #hash<T>(fn: () => Promise<T>): Promise<T | undefined> {
    if (this.#hashing >= this.#maxHashes) return undefined;
    this.#hashing++;
    try {
      return await fn();
    } finally {
      this.#hashing--;
    }
  }

  #dummy(): Promise<string> {
    this.#dummyHash ??= hashPassword(randomBytes(16).toString('hex'), this.#scrypt);
    return this.#dummyHash;
  }

  /** Expired sessions are deleted now and then, so the table does not grow with every login. */
  #sweep(): void {
    const now = this.#now();
    if (now.getTime() - this.#lastSweep < this.#sweepMs) return;
    this.#lastSweep = now.getTime();
    this.#store.deleteExpiredSessions(now).catch(() => {
      // Retried at the next sweep; a store failure is already counted in leviathan_db_errors_total.
    });
  }

  async #openSession(account: AccountRecord): Promise<Session> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.#now().getTime() + this.#ttlMs);
    await this.#store.createSession({ tokenHash: hashToken(token), username: account.username, expiresAt });
    this.#sweep();
    return { username: account.username, roles: account.roles, token, expiresAt };
  }
}
