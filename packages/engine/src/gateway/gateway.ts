import type { HttpRequest, HttpResponse, us_listen_socket, WebSocket } from 'uWebSockets.js';
import type { MessagePort } from 'node:worker_threads';
import {
  type AuthMessage,
  Capability,
  type ClientMessage,
  CloseCode,
  closeCodeName,
  DEFAULT_LIMITS,
  type Decoded,
  decodeFrame,
  ErrorCode,
  PROTOCOL_VERSION,
  ProtocolError,
  type ProtocolLimits,
  type RegisterMessage,
  type RequestId,
  SUPPORTED_VERSIONS,
} from '@leviathan/protocol';
import { isAccountRegistrar, registerSafely } from '../auth/accounts/accounts-verifier.js';
import type { AuthResult, AuthVerifier } from '../auth/auth-verifier.js';
import { verifySafely } from '../auth/create-auth-verifier.js';
import type { EngineConfig } from '../config/engine-config.js';
import { INPUT_ARITY, InputOp, type OutputBatch, SendFlag } from '../ipc/batches.js';
import type { LoadedPlayer } from '../ipc/control.js';
import type { Heartbeat } from '../ipc/heartbeat.js';
import { KeyedRateLimiter } from '../limits/keyed-rate-limiter.js';
import { TokenBucket } from '../limits/token-bucket.js';
import type { Logger } from '../logging/logger.js';
import { ReplayBuffer } from '../sessions/replay-buffer.js';
import { newResumeToken, resumeTokenMatches } from '../sessions/resume-token.js';
import { epochNow } from '../shard/tick-loop.js';
import { Connection } from './connection.js';
import { FORWARDED_HEADER, forwardedAddress } from './forwarded-address.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import { InputRouter } from './input-router.js';
import { mayCarryId, requestIdsOf } from './request-ids.js';
import { StaticFiles } from './static-files.js';
import { uWS } from './uws.js';

/** What the gateway asks of main (the worker wires these to parentPort). */
export interface GatewayHost {
  /** Reserves the username and loads the player's location and saved state. */
  login(
    username: string,
    roles: readonly string[],
  ): Promise<LoadedPlayer | { ok: false; code: string; message: string }>;
  /** The connection of a player who was logged in (or reserved) is gone. */
  logout(username: string, joined: boolean): void;
  /** Aggregated metrics text of every thread. */
  metricsText(): Promise<string>;
}

export interface GatewayOptions {
  readonly index: number;
  readonly shards: number;
  readonly config: EngineConfig;
  readonly verifier: AuthVerifier;
  readonly host: GatewayHost;
  readonly heartbeat: Heartbeat;
  /** Int32 slot 0: open connections over every gateway (for maxConnections). */
  readonly counters: Int32Array;
  readonly metrics: GatewayMetrics;
  readonly log: Logger;
}

/** Invalid messages tolerated per window before the socket is closed with TooManyErrors. */
const MAX_ERRORS = 20;
/** @default 10000 ms */
const ERROR_WINDOW_MS = 10_000;
/** Commands dropped by the rate limit in a row before the socket is closed with RateLimited. */
const MAX_RATE_LIMITED_STREAK = 100;
/** Time a slow consumer has to take its close frame before the socket is torn down, in ms. */
const SLOW_CLOSE_GRACE_MS = 2_000;

/** What uWS keeps per socket. */
interface UserData {
  readonly c: Connection;
}

const GRANTABLE = new Set<string>([Capability.BatchedFrames, Capability.StructuredEvents]);

/**
 * One gateway thread: a uWS App serving `/ws` (and `/healthz`, `/readyz`, `/metrics`, static
 * files) on the shared port. It decodes and validates every client frame, authenticates, applies
 * the limits, and routes each player's input to the shard that owns the player, in one batch per
 * tick per shard. It writes the shards' output batches to the sockets with backpressure.
 */
export class Gateway {
  readonly index: number;
  readonly #config: EngineConfig;
  readonly #verifier: AuthVerifier;
  readonly #host: GatewayHost;
  readonly #heartbeat: Heartbeat;
  readonly #counters: Int32Array;
  readonly #metrics: GatewayMetrics;
  readonly #log: Logger;
  readonly #limits: ProtocolLimits;
  readonly #router: InputRouter;
  readonly #conns = new Map<number, Connection>();
  /** The connection (open or held) of each player logged in through this gateway. */
  readonly #players = new Map<string, Connection>();
  readonly #static: StaticFiles | undefined;
  readonly #decoded: Decoded[] = [];
  #listenSocket: us_listen_socket | undefined;
  #nextConn = 1;
  #accepting = true;
  #port = 0;
  readonly #sessionPrefix: string;
  readonly #loginLimiter: KeyedRateLimiter | undefined;
  readonly #maxBuffered: number;

  constructor(options: GatewayOptions) {
    this.index = options.index;
    this.#config = options.config;
    this.#verifier = options.verifier;
    this.#host = options.host;
    this.#heartbeat = options.heartbeat;
    this.#counters = options.counters;
    this.#metrics = options.metrics;
    this.#log = options.log;
    this.#limits = { ...DEFAULT_LIMITS, maxFrameBytes: options.config.maxPayloadBytes };
    this.#router = new InputRouter(options.index, options.shards);
    this.#static = options.config.webRoot ? new StaticFiles(options.config.webRoot) : undefined;
    this.#sessionPrefix = `${Date.now().toString(36)}.${options.index.toString(36)}.`;
    this.#maxBuffered = options.config.maxBufferedBytes;
    this.#loginLimiter =
      options.config.auth.mode === 'dev'
        ? undefined
        : new KeyedRateLimiter({
            perSecond: options.config.auth.rate.perSecond,
            burst: options.config.auth.rate.burst,
          });
  }

  get port(): number {
    return this.#port;
  }

  get connections(): number {
    return this.#conns.size;
  }

  get inputBatches(): number {
    return this.#router.posts;
  }

  // ─── Listening ─────────────────────────────────────────────────────────────────────────────

  listen(): Promise<number> {
    const { config } = this;
    const tls = config.tls.keyFile !== undefined && config.tls.certFile !== undefined;
    const app = tls
      ? uWS.SSLApp({ key_file_name: config.tls.keyFile, cert_file_name: config.tls.certFile })
      : uWS.App();

    app.ws<UserData>('/ws', {
      // decodeFrame enforces maxPayloadBytes with an `error` and a 1009 close the client can read;
      // uWS's own limit, twice that, is the hard stop (it drops the TCP connection: 1006).
      maxPayloadLength: config.maxPayloadBytes * 2,
      idleTimeout: config.idleTimeoutSec,
      sendPingsAutomatically: true,
      // Our own bound (maxBufferedBytes) acts first; this is uWS's hard stop above it.
      maxBackpressure: this.#maxBuffered * 2 + config.maxPayloadBytes,
      closeOnBackpressureLimit: 0,
      upgrade: (res, req, context) => this.#upgrade(res, req, context),
      // An exception escaping a uWS handler would end this thread with its sockets open, which
      // aborts the whole process (ENVIRONMENT.md): a bug costs one socket, never the server.
      open: (ws) => this.#guard(ws.getUserData().c, () => this.#open(ws)),
      message: (ws, message) => this.#guard(ws.getUserData().c, () => this.#message(ws, message)),
      close: (ws, code) => this.#guard(undefined, () => this.#close(ws, code)),
    });
    app.get('/healthz', (res) => this.#healthz(res));
    app.get('/readyz', (res) => this.#readyz(res));
    app.get('/metrics', (res) => this.#metricsRoute(res));
    app.any('/*', (res, req) => this.#staticRoute(res, req));
    return new Promise((resolve, reject) => {
      app.listen(config.host, config.port, (socket) => {
        if (socket === false) {
          reject(new Error(`listen failed on ${config.host}:${config.port}`));
          return;
        }
        this.#listenSocket = socket;
        this.#port = uWS.us_socket_local_port(socket as never);
        resolve(this.#port);
      });
    });
  }

  private get config(): EngineConfig {
    return this.#config;
  }

  /** Stops accepting connections (closes the listen socket); open sockets stay. */
  stopAccepting(): void {
    this.#accepting = false;
    if (this.#listenSocket !== undefined) {
      uWS.us_listen_socket_close(this.#listenSocket);
      this.#listenSocket = undefined;
    }
  }

  /** Says `bye` to every socket and closes it (graceful: the close frame goes after the bye). */
  byeAll(code: number, reason: string): void {
    this.#router.flushAll();
    for (const c of [...this.#conns.values()]) {
      if (c.held) this.#release(c);
      else this.#bye(c, code, reason);
    }
  }

  /**
   * Closes the connection of `username` (if it is on this gateway) with a `bye`; a character held
   * after a drop leaves the world at once.
   */
  kick(username: string, code: number, reason: string): void {
    for (const c of [...this.#conns.values()]) {
      if (c.authState !== 'done' || c.username !== username) continue;
      if (c.held) this.#release(c);
      else this.#bye(c, code, reason);
    }
  }

  /** Tears down every socket still open; after this the thread may exit. */
  closeAll(): void {
    this.stopAccepting();
    for (const c of [...this.#conns.values()]) {
      if (c.held) this.#release(c);
      else if (!c.closed && c.ws !== undefined) c.ws.close();
    }
    this.#router.close();
  }

  // ─── Shards ────────────────────────────────────────────────────────────────────────────────

  attachShard(shard: number, port: MessagePort, restarted: boolean): void {
    port.on('message', (batch: OutputBatch) => {
      try {
        this.#output(batch);
      } catch (err) {
        this.#log.error({ err, shard }, 'writing a shard batch failed; the rest of the batch is lost');
      }
    });
    this.#router.attach(shard, port);
    if (restarted) {
      // The new shard knows nobody: re-join every player routed to it (state comes from main's cache).
      for (const c of this.#conns.values()) {
        if (c.joined && c.shard === shard && (!c.closed || c.held)) this.#pushJoin(c, null, true);
      }
    }
  }

  shardDown(shard: number): void {
    this.#router.attach(shard, undefined);
    const ops = this.#router.takeBuffer(shard);
    this.#failOps(ops);
  }

  /** Answers the commands of a batch that could not be delivered. */
  #failOps(ops: unknown[]): void {
    for (let i = 0; i < ops.length; ) {
      const op = ops[i] as number;
      const conn = ops[i + 1] as number;
      if (op === InputOp.Command || op === InputOp.Action) {
        const id = ops[i + (op === InputOp.Command ? 3 : 4)] as RequestId | null;
        const c = this.#conns.get(conn);
        if (c !== undefined)
          this.#error(c, ErrorCode.ShardUnavailable, 'the game is restarting; try again in a moment', id);
      }
      i += (INPUT_ARITY[op] ?? 0) + 1;
    }
  }

  // ─── WebSocket lifecycle ───────────────────────────────────────────────────────────────────

  /** `c` is read before `fn` runs: after a close, the uWS socket must not be touched. */
  #guard(c: Connection | undefined, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#log.error({ err }, 'gateway handler failed');
      if (c?.open) {
        this.#error(c, ErrorCode.Internal, 'internal error; reconnect', undefined);
        this.#end(c, CloseCode.InternalError, 'internal error');
      }
    }
  }

  #upgrade(res: HttpResponse, req: HttpRequest, context: unknown): void {
    const key = req.getHeader('sec-websocket-key');
    const protocol = req.getHeader('sec-websocket-protocol');
    const extensions = req.getHeader('sec-websocket-extensions');
    const peer = Buffer.from(res.getRemoteAddressAsText()).toString();
    const address = forwardedAddress(peer, req.getHeader(FORWARDED_HEADER));
    const conn = new Connection(this.#nextConn++, address);
    // uWS copies the user data's own properties into its own object (a class instance loses its
    // prototype), so the Connection travels inside a plain holder.
    res.upgrade<UserData>({ c: conn }, key, protocol, extensions, context as never);
  }

  #open(ws: WebSocket<UserData>): void {
    const c = ws.getUserData().c;
    c.ws = ws;
    c.openedAt = performance.now();
    this.#conns.set(c.id, c);
    this.#metrics.metrics.connectionsOpened.inc();
    const total = Atomics.add(this.#counters, 0, 1) + 1;
    if (!this.#accepting || this.#heartbeat.shuttingDown()) {
      this.#bye(c, CloseCode.GoingAway, 'the server is shutting down');
      return;
    }
    if (total > this.#config.maxConnections) {
      this.#error(c, ErrorCode.ServerFull, 'the server is full; try again later', undefined);
      this.#end(c, CloseCode.TryAgainLater, 'server full');
      return;
    }
    c.authTimer = setTimeout(() => {
      c.authTimer = undefined;
      if (c.authState !== 'done' && c.open) {
        this.#error(
          c,
          ErrorCode.NotAuthenticated,
          `no auth within ${this.#config.authDeadlineMs} ms`,
          undefined,
        );
        this.#end(c, CloseCode.AuthTimeout, 'auth timeout');
      }
    }, this.#config.authDeadlineMs);
  }

  #close(ws: WebSocket<UserData>, code: number): void {
    const c = ws.getUserData().c;
    c.closed = true;
    c.ws = undefined;
    Atomics.sub(this.#counters, 0, 1);
    if (c.authTimer !== undefined) clearTimeout(c.authTimer);
    if (c.forceCloseTimer !== undefined) clearTimeout(c.forceCloseTimer);
    this.#metrics.metrics.connectionsClosed.inc({ reason: closeReason(code) });
    if (c.authState === 'done') this.#metrics.metrics.connectedPlayers.dec();
    // A resumed connection's id now belongs to the connection that resumed it.
    if (c.transferred) return;
    if (c.authState === 'done' && this.#shouldHold(c, code)) {
      this.#hold(c);
      return;
    }
    this.#conns.delete(c.id);
    if (c.authState === 'done') this.#logout(c);
  }

  /**
   * A drop, not a goodbye: the socket was lost (1006), went away (1001: a closed tab) or the client
   * closed with an application code. A `quit`, a server-side close (kick, limits, shutdown) or a
   * client's plain close (1000, or 1005 without a code) ends the session.
   */
  #shouldHold(c: Connection, code: number): boolean {
    return (
      this.#config.sessions.graceMs > 0 &&
      c.joined &&
      !c.closing &&
      code !== 1000 &&
      code !== 1005 &&
      this.#accepting &&
      !this.#heartbeat.shuttingDown()
    );
  }

  /** Keeps the character in its shard for the grace period, recording what is sent to it. */
  #hold(c: Connection): void {
    c.held = true;
    c.replay = new ReplayBuffer(this.#config.sessions.replayMessages);
    c.holdTimer = setTimeout(() => {
      c.holdTimer = undefined;
      if (c.held) this.#release(c);
    }, this.#config.sessions.graceMs);
  }

  /** A held character's grace period is over (or it was taken over): it leaves the world. */
  #release(c: Connection): void {
    c.held = false;
    c.replay = undefined;
    if (c.holdTimer !== undefined) clearTimeout(c.holdTimer);
    c.holdTimer = undefined;
    if (this.#conns.get(c.id) === c) this.#conns.delete(c.id);
    this.#logout(c);
  }

  #logout(c: Connection): void {
    if (this.#players.get(c.username) === c) this.#players.delete(c.username);
    const up = c.joined && this.#router.isUp(c.shard);
    if (up) this.#router.buffer(c.shard).push(InputOp.Leave, c.id, 'closed');
    this.#host.logout(c.username, up);
  }

  // ─── Input ─────────────────────────────────────────────────────────────────────────────────

  #message(ws: WebSocket<UserData>, message: ArrayBuffer): void {
    const c = ws.getUserData().c;
    if (!c.open) return;
    this.#metrics.bytesReceived += message.byteLength;
    // decodeFrame copies the bytes into a string synchronously: nothing keeps `message` (which
    // uWS neuters when this callback returns).
    const bytes = new Uint8Array(message);
    const out = decodeFrame(bytes, this.#limits, this.#decoded);
    let ids: Array<RequestId | undefined> | undefined;
    try {
      for (let i = 0; i < out.length; i++) {
        if (!c.open) break;
        const d = out[i]!;
        this.#metrics.messagesReceived++;
        if (d instanceof ProtocolError) {
          // Validation errors carry the request's id back when the line had one (error path only).
          if (ids === undefined && mayCarryId(d)) ids = requestIdsOf(Buffer.from(bytes).toString('utf8'));
          this.#protocolError(c, d, mayCarryId(d) ? ids?.[i] : undefined);
        } else this.#handle(c, d);
      }
    } finally {
      out.length = 0;
    }
  }

  #protocolError(c: Connection, err: ProtocolError, re?: RequestId): void {
    this.#metrics.protocolErrors++;
    if (err.fatal) {
      this.#error(c, err.code, err.message, re, err.path);
      this.#end(c, err.closeCode ?? CloseCode.ProtocolError, err.code);
      return;
    }
    this.#countError(c);
    if (c.open) this.#error(c, err.code, err.message, re, err.path);
  }

  /** Counts an invalid message; too many in the window close the socket. */
  #countError(c: Connection): void {
    const now = performance.now();
    if (now - c.errorWindowStart > ERROR_WINDOW_MS) {
      c.errorWindowStart = now;
      c.errors = 0;
    }
    if (++c.errors > MAX_ERRORS)
      this.#bye(c, CloseCode.TooManyErrors, `more than ${MAX_ERRORS} invalid messages`);
  }

  #handle(c: Connection, msg: ClientMessage): void {
    switch (msg.type) {
      case 'ping':
        this.#sendJson(
          c,
          msg.id === undefined ? { type: 'pong', t: msg.t } : { type: 'pong', t: msg.t, re: msg.id },
        );
        return;
      case 'quit':
        this.#bye(c, CloseCode.Normal, 'goodbye', msg.id);
        return;
      case 'auth':
        this.#auth(c, msg);
        return;
      case 'register':
        // Account creation (STORE): served when the verifier can register (auth mode accounts).
        if (isAccountRegistrar(this.#verifier)) {
          this.#auth(c, msg);
          return;
        }
        this.#countError(c);
        if (c.open) this.#error(c, ErrorCode.Forbidden, 'this server does not take registrations', msg.id);
        return;
      case 'cmd':
      case 'action': {
        if (c.authState !== 'done') {
          this.#countError(c);
          if (c.open) this.#error(c, ErrorCode.NotAuthenticated, 'authenticate first (send auth)', msg.id);
          return;
        }
        const now = performance.now();
        if (c.bucket !== undefined && !c.bucket.take(now)) {
          this.#metrics.rateLimited++;
          if (++c.rateLimited > MAX_RATE_LIMITED_STREAK) {
            this.#bye(c, CloseCode.RateLimited, 'too many commands over the rate limit');
            return;
          }
          this.#error(c, ErrorCode.RateLimited, 'too many commands; slow down', msg.id);
          return;
        }
        c.rateLimited = 0;
        if (!this.#router.isUp(c.shard)) {
          this.#error(c, ErrorCode.ShardUnavailable, 'the game is restarting; try again in a moment', msg.id);
          return;
        }
        const buf = this.#router.buffer(c.shard);
        if (msg.type === 'cmd') buf.push(InputOp.Command, c.id, msg.line, msg.id ?? null, epochNow());
        else buf.push(InputOp.Action, c.id, msg.name, msg.args ?? null, msg.id ?? null, epochNow());
        return;
      }
    }
  }

  #auth(c: Connection, msg: AuthMessage | RegisterMessage): void {
    if (c.authState !== 'none') {
      this.#countError(c);
      if (c.open) this.#error(c, ErrorCode.AlreadyAuthenticated, 'already authenticated', msg.id);
      return;
    }
    if (msg.version !== undefined && !SUPPORTED_VERSIONS.includes(msg.version)) {
      this.#error(
        c,
        ErrorCode.UnsupportedVersion,
        `protocol version ${msg.version} is not supported`,
        msg.id,
        'version',
      );
      this.#end(c, CloseCode.UnsupportedVersion, 'unsupported version');
      return;
    }
    // Login attempts per remote address (guessing tokens or passwords); not in dev mode, where
    // any token is accepted and load tests log thousands of players in from one address.
    if (this.#loginLimiter !== undefined && !this.#loginLimiter.take(c.remoteAddress, performance.now())) {
      this.#authError(c, ErrorCode.AuthRateLimited, 'too many login attempts; wait and retry', msg.id);
      this.#end(c, CloseCode.TryAgainLater, 'login rate limited');
      return;
    }
    c.authState = 'pending';
    const capabilities = (msg.capabilities ?? []).filter((cap) => GRANTABLE.has(cap));
    const verdict =
      msg.type === 'register' && isAccountRegistrar(this.#verifier)
        ? registerSafely(
            this.#verifier,
            { username: msg.username, password: msg.password, remoteAddress: c.remoteAddress },
            this.#log,
          )
        : verifySafely(
            this.#verifier,
            {
              username: msg.username,
              token: msg.type === 'auth' ? msg.token : undefined,
              password: msg.password,
              remoteAddress: c.remoteAddress,
            },
            this.#log,
          );
    verdict
      .then((result) => this.#authVerified(c, msg, result, capabilities))
      .catch((err: unknown) => {
        this.#log.error({ err }, 'login failed');
        if (c.open) {
          this.#authError(c, ErrorCode.Internal, 'login failed on the server; try again', msg.id);
          this.#end(c, CloseCode.InternalError, 'login failed');
        }
      });
  }

  async #authVerified(
    c: Connection,
    msg: AuthMessage | RegisterMessage,
    result: AuthResult,
    capabilities: string[],
  ): Promise<void> {
    if (!c.open) return;
    if (!result.ok) {
      this.#authError(c, result.code, result.message, msg.id);
      this.#end(c, CloseCode.AuthFailed, 'auth failed');
      return;
    }
    if (msg.type === 'auth' && msg.resume !== undefined) {
      const previous = this.#players.get(result.username);
      if (previous !== undefined && resumeTokenMatches(previous.resume, msg.resume)) {
        this.#resume(c, previous, msg, result.roles, capabilities);
        return;
      }
      // A stale token or a session on another gateway thread: an ordinary login, which takes the
      // character over (or is refused) by `sessions.duplicateLogin`.
    }
    const loaded = await this.#host.login(result.username, result.roles);
    if (!loaded.ok) {
      if (c.open) {
        this.#authError(c, loaded.code as ErrorCode, loaded.message, msg.id);
        const close =
          loaded.code === ErrorCode.AlreadyConnected
            ? CloseCode.AlreadyConnected
            : loaded.code === ErrorCode.ServerShuttingDown
              ? CloseCode.GoingAway
              : CloseCode.InternalError;
        this.#end(c, close, loaded.code);
      }
      return;
    }
    if (!c.open) {
      this.#host.logout(result.username, false);
      return;
    }
    if (c.authTimer !== undefined) clearTimeout(c.authTimer);
    c.authTimer = undefined;
    c.authState = 'done';
    c.username = result.username;
    c.roles = result.roles;
    c.capabilities = capabilities;
    c.batched = capabilities.includes(Capability.BatchedFrames);
    c.events = capabilities.includes(Capability.StructuredEvents);
    c.session = `${this.#sessionPrefix}${c.id.toString(36)}`;
    c.shard = loaded.shard;
    c.bucket = new TokenBucket(
      this.#config.commandRate.perSecond,
      this.#config.commandRate.burst,
      performance.now(),
    );
    this.#metrics.metrics.connectedPlayers.inc();
    this.#players.set(c.username, c);
    this.#sendAuthOk(c, msg.id);
    this.#pushJoin(c, loaded.snapshot, false);
  }

  #sendAuthOk(c: Connection, re: RequestId | undefined): void {
    const ok: Record<string, unknown> = {
      type: 'auth-ok',
      version: PROTOCOL_VERSION,
      username: c.username,
      session: c.session,
      capabilities: c.capabilities,
      serverTime: Date.now(),
    };
    if (this.#config.sessions.graceMs > 0) {
      c.resume = newResumeToken();
      ok.resume = c.resume;
    }
    if (re !== undefined) ok.re = re;
    this.#sendJson(c, ok);
  }

  /**
   * `c` takes back the character of `previous` (held after a drop, or still open: a client that
   * noticed the drop before the server did). The shards know the player by connection id, so `c`
   * takes that id: nothing moves in the shard. What `previous` missed is written first, then the
   * shard is told (EnterReason 'resume') so the game shows where the player is.
   */
  #resume(
    c: Connection,
    previous: Connection,
    msg: AuthMessage,
    roles: readonly string[],
    capabilities: string[],
  ): void {
    const missed = previous.replay?.drain() ?? [];
    const lost = previous.replay?.dropped ?? 0;
    if (previous.held) {
      previous.held = false;
      previous.replay = undefined;
      if (previous.holdTimer !== undefined) clearTimeout(previous.holdTimer);
      previous.holdTimer = undefined;
    } else {
      previous.transferred = true;
      this.#bye(previous, CloseCode.TakenOver, 'resumed from another connection');
    }
    if (c.authTimer !== undefined) clearTimeout(c.authTimer);
    c.authTimer = undefined;
    this.#conns.delete(c.id);
    c.id = previous.id;
    this.#conns.set(c.id, c);
    c.authState = 'done';
    c.username = previous.username;
    c.roles = roles;
    c.capabilities = capabilities;
    c.batched = capabilities.includes(Capability.BatchedFrames);
    c.events = capabilities.includes(Capability.StructuredEvents);
    c.session = previous.session;
    c.shard = previous.shard;
    c.joined = previous.joined;
    c.bucket = previous.bucket;
    this.#players.set(c.username, c);
    this.#metrics.metrics.connectedPlayers.inc();
    this.#sendAuthOk(c, msg.id);
    if (lost > 0) {
      missed.unshift(
        JSON.stringify({
          type: 'text',
          text: `(${lost} earlier messages were lost while you were away)`,
          channel: 'system',
        }),
      );
    }
    if (missed.length > 0 && c.open) {
      const ws = c.ws!;
      ws.cork(() => {
        for (let i = 0; i < missed.length && c.open; i++) this.#send(c, missed[i]!, 0);
      });
    }
    if (c.joined && this.#router.isUp(c.shard)) this.#router.buffer(c.shard).push(InputOp.Resume, c.id);
  }

  #pushJoin(c: Connection, snapshot: unknown, isRestore: boolean): void {
    if (!this.#router.isUp(c.shard)) {
      // The shard is restarting: the join is sent again when it is back (attachShard).
      c.joined = true;
      return;
    }
    c.joined = true;
    this.#router
      .buffer(c.shard)
      .push(
        InputOp.Join,
        c.id,
        c.username,
        c.session,
        c.roles,
        c.capabilities,
        Date.now(),
        snapshot,
        isRestore,
      );
  }

  // ─── Output ────────────────────────────────────────────────────────────────────────────────

  #output(batch: OutputBatch): void {
    this.#router.setPhase(batch.shard, batch.nextTickAt, batch.tickMs);
    const { strings, sends } = batch;
    for (let i = 0; i < batch.routes.length; i += 2) {
      const c = this.#conns.get(batch.routes[i]!);
      if (c === undefined || !c.joined) continue;
      const to = batch.routes[i + 1]!;
      if (to >= 0) {
        // Tell the old shard the route moved: the marker follows the input it still forwards.
        if (c.shard !== to && c.shard >= 0 && this.#router.isUp(c.shard)) {
          this.#router.buffer(c.shard).push(InputOp.Routed, c.id);
        }
        c.shard = to;
      } else {
        // The shard does not know the player: join there again (its state comes from main's cache).
        c.shard = batch.shard;
        this.#pushJoin(c, null, true);
      }
    }
    // Group by socket so each gets one cork (one syscall) per batch, in order.
    if (sends.length > 0) {
      if (sends.length === 3) {
        const c = this.#conns.get(sends[0]!);
        if (c?.open) this.#writeOne(c, strings[sends[1]!]!, sends[2]!);
        else if (c?.held && (c.events || (sends[2]! & SendFlag.Event) === 0))
          c.replay!.push(strings[sends[1]!]!);
      } else {
        const groups = new Map<number, number[]>();
        for (let i = 0; i < sends.length; i += 3) {
          const conn = sends[i]!;
          let g = groups.get(conn);
          if (g === undefined) {
            g = [];
            groups.set(conn, g);
          }
          g.push(sends[i + 1]!, sends[i + 2]!);
        }
        for (const [conn, g] of groups) {
          const c = this.#conns.get(conn);
          if (c === undefined) continue;
          if (c.held) {
            for (let j = 0; j < g.length; j += 2) {
              if (c.events || (g[j + 1]! & SendFlag.Event) === 0) c.replay!.push(strings[g[j]!]!);
            }
            continue;
          }
          if (!c.open) continue;
          this.#writeMany(c, strings, g);
        }
      }
    }
    for (let i = 0; i < batch.all.length; i += 3) {
      const text = strings[batch.all[i]!]!;
      const flags = batch.all[i + 1]!;
      const except = batch.all[i + 2]!;
      for (const c of this.#conns.values()) {
        if (c.authState !== 'done' || c.id === except) continue;
        if (c.open) this.#writeOne(c, text, flags);
        else if (c.held && (c.events || (flags & SendFlag.Event) === 0)) c.replay!.push(text);
      }
    }
    for (let i = 0; i < batch.kicks.length; i += 3) {
      const c = this.#conns.get(batch.kicks[i] as number);
      if (c?.held) this.#release(c);
      else if (c !== undefined) this.#bye(c, batch.kicks[i + 1] as number, String(batch.kicks[i + 2]));
    }
    if (batch.timings.length > 0) {
      const now = epochNow();
      for (const t of batch.timings) this.#metrics.observeLatency((now - t) / 1000);
    }
  }

  #writeOne(c: Connection, text: string, flags: number): void {
    const ws = c.ws!;
    ws.cork(() => this.#send(c, text, flags));
  }

  #writeMany(c: Connection, strings: string[], g: number[]): void {
    const ws = c.ws!;
    if (c.batched) {
      // One WebSocket message of JSON lines; low-priority lines drop first under backpressure.
      let text = '';
      let flags: number = SendFlag.Low;
      const congested = ws.getBufferedAmount() > this.#maxBuffered;
      for (let j = 0; j < g.length; j += 2) {
        const f = g[j + 1]!;
        if ((f & SendFlag.Event) !== 0 && !c.events) continue;
        if (congested && (f & SendFlag.Low) !== 0) {
          this.#metrics.droppedLow++;
          continue;
        }
        text = text.length === 0 ? strings[g[j]!]! : `${text}\n${strings[g[j]!]!}`;
        if ((f & SendFlag.Low) === 0) flags = 0;
      }
      if (text.length > 0) ws.cork(() => this.#send(c, text, flags));
      return;
    }
    ws.cork(() => {
      for (let j = 0; j < g.length && c.open; j += 2) this.#send(c, strings[g[j]!]!, g[j + 1]!);
    });
  }

  /**
   * Sends one text with the backpressure policy: above `maxBufferedBytes` buffered, low-priority
   * messages are dropped; above twice that (or when uWS itself drops), the socket is closed as a
   * slow consumer. Returns whether the message was queued.
   */
  #send(c: Connection, text: string, flags: number): boolean {
    // Structured events only for connections that asked for them (a bit test, no JSON parsing).
    if ((flags & SendFlag.Event) !== 0 && !c.events) return false;
    const ws = c.ws!;
    const buffered = ws.getBufferedAmount();
    if (buffered > this.#maxBuffered) {
      if ((flags & SendFlag.Low) !== 0) {
        this.#metrics.droppedLow++;
        return false;
      }
      if (buffered > this.#maxBuffered * 2) {
        this.#slowConsumer(c);
        return false;
      }
    }
    const status = ws.send(text, false);
    if (status === 2) {
      this.#slowConsumer(c);
      return false;
    }
    this.#metrics.messagesSent++;
    this.#metrics.bytesSent += Buffer.byteLength(text);
    return true;
  }

  #slowConsumer(c: Connection): void {
    this.#metrics.slowConsumerCloses++;
    this.#log.warn({ conn: c.id, username: c.username || undefined }, 'closing a slow consumer');
    this.#end(c, CloseCode.SlowConsumer, 'slow consumer');
  }

  #sendJson(c: Connection, message: object): void {
    if (!c.open) return;
    this.#writeOne(c, JSON.stringify(message), 0);
  }

  #error(
    c: Connection,
    code: ErrorCode,
    message: string,
    re: RequestId | null | undefined,
    path?: string,
  ): void {
    const err: Record<string, unknown> = { type: 'error', code, message };
    if (re !== undefined && re !== null) err.re = re;
    if (path !== undefined) err.path = path;
    this.#sendJson(c, err);
  }

  #authError(c: Connection, code: ErrorCode, message: string, re: RequestId | undefined): void {
    this.#sendJson(
      c,
      re === undefined ? { type: 'auth-error', code, message } : { type: 'auth-error', code, message, re },
    );
  }

  #bye(c: Connection, code: number, reason: string, re?: RequestId): void {
    if (!c.open) return;
    this.#sendJson(c, re === undefined ? { type: 'bye', code, reason } : { type: 'bye', code, reason, re });
    this.#end(c, code, reason);
  }

  /** Closes with a code; a socket that cannot take its close frame is torn down after a grace time. */
  #end(c: Connection, code: number, reason: string): void {
    if (!c.open) return;
    c.closing = true;
    const ws = c.ws!;
    ws.end(code, reason.slice(0, 120));
    if (!c.closed) {
      c.forceCloseTimer = setTimeout(() => {
        c.forceCloseTimer = undefined;
        if (!c.closed) c.ws?.close();
      }, SLOW_CLOSE_GRACE_MS);
    }
  }

  // ─── HTTP ──────────────────────────────────────────────────────────────────────────────────

  #healthz(res: HttpResponse): void {
    // `true` closes the connection after the answer: keep-alive sockets would outlive the
    // thread at shutdown (a thread that exits with uWS sockets open aborts the process).
    res.writeHeader('content-type', 'application/json').end('{"status":"ok"}', true);
  }

  #readyz(res: HttpResponse): void {
    const state = this.#heartbeat.ready(epochNow(), this.#config.shardStallMs);
    const body = JSON.stringify({
      status: state.ready ? 'ready' : 'not-ready',
      store: this.#heartbeat.storeReady(),
      shuttingDown: this.#heartbeat.shuttingDown(),
      shards: state.shards,
    });
    res.writeStatus(state.ready ? '200 OK' : '503 Service Unavailable');
    res.writeHeader('content-type', 'application/json').end(body, true);
  }

  #metricsRoute(res: HttpResponse): void {
    let aborted = false;
    res.onAborted(() => {
      aborted = true;
    });
    this.#host.metricsText().then(
      (text) => {
        if (aborted) return;
        res.cork(() => {
          res.writeHeader('content-type', 'text/plain; version=0.0.4; charset=utf-8').end(text, true);
        });
      },
      (err: unknown) => {
        this.#log.error({ err }, 'metrics collection failed');
        if (aborted) return;
        res.cork(() => {
          res.writeStatus('500 Internal Server Error').end('metrics collection failed', true);
        });
      },
    );
  }

  #staticRoute(res: HttpResponse, req: HttpRequest): void {
    const method = req.getMethod();
    const file =
      this.#static !== undefined && (method === 'get' || method === 'head')
        ? this.#static.get(req.getUrl())
        : undefined;
    if (file === undefined) {
      res.writeStatus('404 Not Found').writeHeader('content-type', 'text/plain').end('not found', true);
      return;
    }
    res.writeHeader('content-type', file.type).writeHeader('cache-control', 'no-cache');
    res.end(method === 'head' ? '' : file.body, true);
  }
}

function closeReason(code: number): string {
  switch (code) {
    case 1000:
      return 'normal';
    case 1001:
      return 'going_away';
    case 1005:
    case 1006:
      return 'client_gone';
    default:
      return closeCodeName(code)
        .replace(/([a-z])([A-Z])/g, '$1_$2')
        .toLowerCase();
  }
}
