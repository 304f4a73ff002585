import {
  type AuthMessage,
  Capability,
  CloseCode,
  ErrorCode,
  type LoginOptions,
  LoginSecret,
  type Negotiated,
  negotiate,
  type RegisterMessage,
  type RequestId,
  type ServerSupport,
  SUPPORTED_VERSIONS,
  toAuthErrorMessage,
  UnsupportedVersionError,
} from '@leviathan/protocol';
import { isAccountRegistrar, registerSafely } from '../auth/accounts/accounts-verifier.js';
import type { AuthResult, AuthVerifier } from '../auth/auth-verifier.js';
import { verifySafely } from '../auth/create-auth-verifier.js';
import { DEV_TOKEN } from '../auth/dev-token-verifier.js';
import type { AuthConfig } from '../config/engine-config.js';
import { RingRecordTooLargeError } from '../errors.js';
import { Interner } from '../ipc/intern.js';
import { KeyedRateLimiter } from '../limits/keyed-rate-limiter.js';
import { TokenBucket } from '../limits/token-bucket.js';
import type { Connection } from './connection.js';
import type { GatewayContext } from './gateway-context.js';
import type { Sessions } from './sessions.js';

/** What this gateway speaks: protocol v1, batched frames and structured events. */
const SUPPORT: ServerSupport = Object.freeze({
  versions: SUPPORTED_VERSIONS,
  capabilities: [Capability.BatchedFrames, Capability.StructuredEvents],
});

/**
 * `auth` and `register`: version and capabilities negotiated by the protocol package's
 * `negotiate()`, login attempts limited per remote address, credentials checked by the verifier
 * (off the event loop's hot path: it is async), the name reserved by main across every gateway,
 * then `auth-ok` and the join to the player's shard. An `auth` carrying a valid resume token takes
 * back a character held after a dropped connection instead, wherever it is (main keeps the tokens
 * of every gateway thread: Sessions.takeBack).
 */
export class Login {
  readonly #ctx: GatewayContext;
  readonly #sessions: Sessions;
  readonly #verifier: AuthVerifier;
  readonly #limiter: KeyedRateLimiter | undefined;
  readonly #sessionPrefix: string;
  /** One copy of each role and capability list, however many players share it. */
  readonly #intern = new Interner();

  constructor(ctx: GatewayContext, sessions: Sessions, verifier: AuthVerifier) {
    this.#ctx = ctx;
    this.#sessions = sessions;
    this.#verifier = verifier;
    this.#sessionPrefix = `${Date.now().toString(36)}.${ctx.index.toString(36)}.`;
    const { auth } = ctx.config;
    // Login attempts per remote address (guessing tokens or passwords); not in dev mode, where any
    // token is accepted and load tests log thousands of players in from one address.
    this.#limiter =
      auth.mode === 'dev'
        ? undefined
        : new KeyedRateLimiter({ perSecond: auth.rate.perSecond, burst: auth.rate.burst });
  }

  /** Whether `register` is served (the verifier keeps accounts). */
  get takesRegistrations(): boolean {
    return isAccountRegistrar(this.#verifier);
  }

  /** How this gateway takes logins, for clients that ask before drawing a form (`GET /login-options`). */
  get options(): LoginOptions {
    return loginOptions(this.#ctx.config.auth.mode, this.takesRegistrations);
  }

  /** Handles `auth` or `register`; `countError` counts a message that should not have come. */
  start(c: Connection, msg: AuthMessage | RegisterMessage, countError: (c: Connection) => void): void {
    const { writer } = this.#ctx;
    if (c.authState !== 'none') {
      countError(c);
      if (c.open) writer.error(c, ErrorCode.AlreadyAuthenticated, 'already authenticated', msg.id);
      return;
    }
    const negotiated = negotiate(msg, SUPPORT);
    if (negotiated instanceof UnsupportedVersionError) {
      writer.json(c, toAuthErrorMessage(negotiated, msg.id));
      writer.end(c, CloseCode.UnsupportedVersion, 'unsupported version');
      return;
    }
    if (this.#limiter !== undefined && !this.#limiter.take(c.remoteAddress, performance.now())) {
      writer.authError(c, ErrorCode.AuthRateLimited, 'too many login attempts; wait and retry', msg.id);
      writer.end(c, CloseCode.TryAgainLater, 'login rate limited');
      return;
    }
    c.authState = 'pending';
    const log = this.#ctx.log;
    const verdict =
      msg.type === 'register' && isAccountRegistrar(this.#verifier)
        ? registerSafely(
            this.#verifier,
            { username: msg.username, password: msg.password, remoteAddress: c.remoteAddress },
            log,
          )
        : verifySafely(
            this.#verifier,
            {
              username: msg.username,
              token: msg.type === 'auth' ? msg.token : undefined,
              password: msg.password,
              remoteAddress: c.remoteAddress,
            },
            log,
          );
    verdict
      .then((result) => this.#verified(c, msg, result, negotiated))
      .catch((err: unknown) => {
        log.error({ err }, 'login failed');
        if (c.open) {
          writer.authError(c, ErrorCode.Internal, 'login failed on the server; try again', msg.id);
          writer.end(c, CloseCode.InternalError, 'login failed');
        }
      });
  }

  async #verified(
    c: Connection,
    msg: AuthMessage | RegisterMessage,
    result: AuthResult,
    negotiated: Negotiated,
  ): Promise<void> {
    const { capabilities, version } = negotiated;
    const { writer, players, host, metrics, config } = this.#ctx;
    if (!c.open) return;
    if (!result.ok) {
      writer.authError(c, result.code, result.message, msg.id);
      writer.end(c, CloseCode.AuthFailed, 'auth failed');
      return;
    }
    if (msg.type === 'auth' && msg.resume !== undefined && config.sessions.graceMs > 0) {
      const outcome = await this.#sessions.takeBack(
        c,
        result.username,
        msg.resume,
        capabilities.includes(Capability.StructuredEvents),
        (resume) => {
          this.#authenticated(c, result.username, result.roles, capabilities);
          this.#sendAuthOk(c, version, msg.id, undefined, resume);
        },
      );
      if (outcome === 'resumed') {
        if (c.authState === 'done') metrics.metrics.connectedPlayers.inc();
        return;
      }
      if (outcome === 'retry') {
        if (c.open) {
          writer.authError(
            c,
            ErrorCode.ShardUnavailable,
            'your session is moving; retry in a moment',
            msg.id,
          );
          writer.end(c, CloseCode.TryAgainLater, 'resume in progress');
        }
        return;
      }
      // A stale token: an ordinary login, which takes the character over (or is refused) by
      // `sessions.duplicateLogin`.
      if (!c.open) return;
    }
    const loaded = await host.login({
      username: result.username,
      roles: [...result.roles],
      conn: c.id,
      session: `${this.#sessionPrefix}${c.id.toString(36)}`,
      capabilities: [...capabilities],
      resume: msg.type === 'auth' ? msg.resume : undefined,
    });
    if (!loaded.ok) {
      if (c.open) {
        writer.authError(c, loaded.code, loaded.message, msg.id);
        const close =
          loaded.code === ErrorCode.AlreadyConnected
            ? CloseCode.AlreadyConnected
            : loaded.code === ErrorCode.ServerShuttingDown
              ? CloseCode.GoingAway
              : CloseCode.InternalError;
        writer.end(c, close, loaded.code);
      }
      return;
    }
    if (!c.open) {
      host.logout(result.username, false);
      return;
    }
    this.#authenticated(c, result.username, result.roles, capabilities);
    c.session = `${this.#sessionPrefix}${c.id.toString(36)}`;
    c.shard = loaded.shard;
    c.bucket = new TokenBucket(
      this.#ctx.config.commandRate.perSecond,
      this.#ctx.config.commandRate.burst,
      performance.now(),
    );
    try {
      this.#sessions.join(c, loaded.snapshot, false);
    } catch (err) {
      // A saved state too large for the input ring: this login fails, nothing else does.
      if (!(err instanceof RingRecordTooLargeError)) throw err;
      this.#ctx.log.error({ err, username: c.username }, 'a player could not join its shard');
      c.joined = false;
      writer.authError(
        c,
        ErrorCode.Internal,
        'your saved state is too large to load; ask an operator',
        msg.id,
      );
      writer.end(c, CloseCode.InternalError, 'state too large');
      host.logout(c.username, false);
      return;
    }
    players.set(c.username, c);
    // Accounts: a password login's session token, so the client reconnects without the password.
    const token = (result as { token?: unknown }).token;
    this.#sendAuthOk(c, version, msg.id, typeof token === 'string' ? token : undefined, loaded.resume);
    metrics.metrics.connectedPlayers.inc();
  }

  #authenticated(
    c: Connection,
    username: string,
    roles: readonly string[],
    capabilities: readonly string[],
  ): void {
    if (c.authTimer !== undefined) clearTimeout(c.authTimer);
    c.authTimer = undefined;
    c.authState = 'done';
    c.username = username;
    c.roles = this.#intern.list(roles);
    c.capabilities = this.#intern.list(capabilities);
    c.batched = capabilities.includes(Capability.BatchedFrames);
    c.events = capabilities.includes(Capability.StructuredEvents);
  }

  #sendAuthOk(
    c: Connection,
    version: number,
    re: RequestId | undefined,
    token: string | undefined,
    resume: string,
  ): void {
    const ok: Record<string, unknown> = {
      type: 'auth-ok',
      version,
      username: c.username,
      session: c.session,
      capabilities: c.capabilities,
      serverTime: Date.now(),
    };
    c.resume = resume;
    if (resume !== '') ok.resume = resume;
    if (token !== undefined) ok.token = token;
    if (re !== undefined) ok.re = re;
    this.#ctx.writer.json(c, ok);
  }
}

/**
 * What a client should offer for `mode`: dev and hmac take tokens (dev's is public, so a client can
 * fill it in); accounts take a password (their session token comes back in `auth-ok`); a custom
 * verifier may take either, so both are offered. `register` follows the verifier, not the mode.
 */
export function loginOptions(mode: AuthConfig['mode'], register: boolean): LoginOptions {
  switch (mode) {
    case 'dev':
      return { auth: mode, secrets: [LoginSecret.Token], register, devToken: DEV_TOKEN };
    case 'hmac':
      return { auth: mode, secrets: [LoginSecret.Token], register };
    case 'accounts':
      return { auth: mode, secrets: [LoginSecret.Password], register };
    case 'custom':
      return { auth: mode, secrets: [LoginSecret.Password, LoginSecret.Token], register };
  }
}
