import type { MessagePort } from 'node:worker_threads';
import { CloseCode, closeCodeName, ErrorCode } from '@leviathan/protocol';
import type { AuthVerifier } from '../auth/auth-verifier.js';
import type { EngineConfig } from '../config/engine-config.js';
import type { Heartbeat } from '../ipc/heartbeat.js';
import { requestIdOf } from '../ipc/input-batch.js';
import type { OutputBatch } from '../ipc/output-batch.js';
import type { Logger } from '../logging/logger.js';
import { Connection } from './connection.js';
import { forwardedAddress } from './forwarded-address.js';
import type { GatewayContext, GatewayHost } from './gateway-context.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import { httpRoutes } from './http-routes.js';
import { InputHandler } from './input-handler.js';
import { InputRouter } from './input-router.js';
import { Login } from './login.js';
import { OutputWriter } from './output-writer.js';
import { Sessions } from './sessions.js';
import { SocketWriter } from './socket-writer.js';
import { NodeTransport } from './transport/node-transport.js';
import type {
  SocketEvents,
  Transport,
  TransportKind,
  TransportOptions,
  TransportSocket,
} from './transport/transport.js';
import { UwsTransport } from './transport/uws-transport.js';
import { ZoneMoves } from './zone-moves.js';

export type { GatewayHost } from './gateway-context.js';

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
  /** The first connection id given out (a restarted gateway starts above its predecessor's). @default 1 */
  readonly firstConn?: number;
  /** Which transport serves the port (chosen once for the process: transport/choose.ts). */
  readonly transport: TransportKind;
  /** Whether other gateway threads listen on the same port. */
  readonly sharePort: boolean;
}

/**
 * One gateway thread: a transport (native uWS, or Node's http + ws) serving `/ws` and the HTTP
 * routes on the shared port. The sockets' lifecycle is here; the parts do the rest: InputHandler
 * (what clients send), Login (auth, register, resume), Sessions (join, leave, the grace period
 * after a drop), OutputWriter (the shards' output batches to the sockets), SocketWriter (every
 * write, with backpressure), InputRouter (one input batch per shard per tick), http-routes.ts.
 */
export class Gateway {
  readonly index: number;
  readonly #ctx: GatewayContext;
  readonly #counters: Int32Array;
  readonly #sessions: Sessions;
  readonly #input: InputHandler;
  readonly #login: Login;
  readonly #output: OutputWriter;
  readonly #moves: ZoneMoves;
  /** Each shard's port: its output batches arrive there. */
  readonly #ports: Array<MessagePort | undefined> = [];
  readonly #transportKind: TransportKind;
  readonly #sharePort: boolean;
  #transport: Transport | undefined;
  #nextConn = 1;
  #accepting = true;
  #port = 0;

  constructor(options: GatewayOptions) {
    this.index = options.index;
    this.#counters = options.counters;
    this.#ctx = {
      index: options.index,
      config: options.config,
      metrics: options.metrics,
      log: options.log,
      heartbeat: options.heartbeat,
      host: options.host,
      conns: new Map(),
      players: new Map(),
      router: new InputRouter(options.shards),
      writer: new SocketWriter(options.metrics, options.log, options.config.maxBufferedBytes),
    };
    this.#sessions = new Sessions(this.#ctx);
    this.#login = new Login(this.#ctx, this.#sessions, options.verifier);
    this.#input = new InputHandler(this.#ctx, this.#login);
    this.#moves = new ZoneMoves(this.#ctx, this.#sessions);
    this.#output = new OutputWriter(this.#ctx, this.#sessions, this.#moves);
    this.#nextConn = options.firstConn ?? 1;
    this.#transportKind = options.transport;
    this.#sharePort = options.sharePort;
  }

  get transport(): TransportKind {
    return this.#transportKind;
  }

  /** Joins, leaves, holds after a drop, resumes (local and across gateways), crash mode. */
  get sessions(): Sessions {
    return this.#sessions;
  }

  get port(): number {
    return this.#port;
  }

  get connections(): number {
    return this.#ctx.conns.size;
  }

  // ─── Listening ─────────────────────────────────────────────────────────────────────────────

  listen(port: number): Promise<number> {
    const config = this.#ctx.config;
    const options: TransportOptions = {
      host: config.host,
      tls: config.tls,
      // decodeFrame enforces maxPayloadBytes with an `error` and a 1009 close the client can read;
      // the transport's own limit, twice that, is the hard stop (it drops the connection).
      maxPayloadBytes: config.maxPayloadBytes * 2,
      idleTimeoutSec: config.idleTimeoutSec,
      // Our own bound (maxBufferedBytes) acts first; this is the transport's hard stop above it.
      maxBackpressure: config.maxBufferedBytes * 2 + config.maxPayloadBytes,
      sharePort: this.#sharePort,
    };
    // An exception escaping a socket handler would end this thread with its sockets open (with
    // uWS that aborts the whole process): a bug costs one socket, never the server.
    const events: SocketEvents = {
      accept: (peer, forwarded) => new Connection(this.#nextConn++, forwardedAddress(peer, forwarded)),
      open: (c, socket) => this.#guard(c, () => this.#open(c, socket)),
      message: (c, bytes) => this.#guard(c, () => this.#input.message(c, bytes)),
      close: (c, code) => this.#guard(undefined, () => this.#close(c, code)),
    };
    const http = httpRoutes(this.#ctx, this.#transportKind, this.#login.options);
    this.#transport =
      this.#transportKind === 'uws'
        ? new UwsTransport(options, events, http)
        : new NodeTransport(options, events, http);
    return this.#transport.listen(port).then((p) => {
      this.#port = p;
      return p;
    });
  }

  /** Stops accepting connections (closes the listen socket); open sockets stay. */
  stopAccepting(): void {
    this.#accepting = false;
    this.#transport?.stopAccepting();
  }

  /** Says `bye` to every socket and closes it (graceful: the close frame goes after the bye). */
  byeAll(code: number, reason: string): void {
    for (const c of [...this.#ctx.conns.values()]) {
      if (c.held) this.#sessions.release(c);
      else this.#ctx.writer.bye(c, code, reason);
    }
  }

  /**
   * Closes the connection of `username` (if it is on this gateway) with a `bye`; a character held
   * after a drop leaves the world at once.
   */
  kick(username: string, code: number, reason: string): void {
    for (const c of [...this.#ctx.conns.values()]) {
      if (c.authState !== 'done' || c.username !== username) continue;
      if (c.held) this.#sessions.release(c);
      else this.#moves.endOrCarry(c, code, reason);
    }
  }

  /** Tears down every socket still open; after this the thread may exit. */
  closeAll(): void {
    this.stopAccepting();
    for (const c of [...this.#ctx.conns.values()]) {
      if (c.held) this.#sessions.release(c);
      else if (!c.closed && c.ws !== undefined) c.ws.close();
    }
    this.#transport?.dispose();
    for (const port of this.#ports) port?.close();
  }

  // ─── Shards ────────────────────────────────────────────────────────────────────────────────

  /** A (re)started shard: its output comes on `port`, its input goes into `ring`. */
  attachShard(shard: number, port: MessagePort, ring: SharedArrayBuffer, restarted: boolean): void {
    this.#ports[shard]?.close();
    this.#ports[shard] = port;
    port.on('message', (batch: OutputBatch) => {
      try {
        this.#output.apply(batch);
      } catch (err) {
        this.#ctx.log.error({ err, shard }, 'writing a shard batch failed; the rest of the batch is lost');
      }
    });
    this.#ctx.router.attach(shard, ring);
    if (restarted) {
      // The new shard knows nobody: re-join every player routed to it (state comes from main's cache).
      for (const c of this.#ctx.conns.values()) {
        if (c.joined && c.shard === shard && (!c.closed || c.held)) this.#sessions.join(c, null, true);
      }
    }
  }

  /** The shard's thread is gone: its unsent input is answered, its players wait for its restart. */
  shardDown(shard: number): void {
    const { router, conns, writer } = this.#ctx;
    this.#ports[shard]?.close();
    this.#ports[shard] = undefined;
    for (const r of router.detach(shard)) {
      const id = requestIdOf(r);
      if (id === undefined) continue;
      const c = conns.get(r.conn);
      if (c !== undefined)
        writer.error(c, ErrorCode.ShardUnavailable, 'the game is restarting; try again in a moment', id);
    }
  }

  // ─── WebSocket lifecycle ───────────────────────────────────────────────────────────────────

  /** `c` is read before `fn` runs: after a close, the socket must not be touched. */
  #guard(c: Connection | undefined, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#ctx.log.error({ err }, 'gateway handler failed');
      if (c?.open) {
        this.#ctx.writer.error(c, ErrorCode.Internal, 'internal error; reconnect');
        this.#ctx.writer.end(c, CloseCode.InternalError, 'internal error');
      }
    }
  }

  #open(c: Connection, socket: TransportSocket): void {
    const { conns, metrics, writer, config, heartbeat } = this.#ctx;
    c.ws = socket;
    conns.set(c.id, c);
    metrics.metrics.connectionsOpened.inc();
    const total = Atomics.add(this.#counters, 0, 1) + 1;
    if (!this.#accepting || heartbeat.shuttingDown()) {
      writer.bye(c, CloseCode.GoingAway, 'the server is shutting down');
      return;
    }
    if (total > config.maxConnections) {
      writer.error(c, ErrorCode.ServerFull, 'the server is full; try again later');
      writer.end(c, CloseCode.TryAgainLater, 'server full');
      return;
    }
    c.authTimer = setTimeout(() => {
      c.authTimer = undefined;
      if (c.authState !== 'done' && c.open) {
        writer.error(c, ErrorCode.NotAuthenticated, `no auth within ${config.authDeadlineMs} ms`);
        writer.end(c, CloseCode.AuthTimeout, 'auth timeout');
      }
    }, config.authDeadlineMs);
  }

  #close(c: Connection, code: number): void {
    const { conns, metrics } = this.#ctx;
    c.closed = true;
    c.ws = undefined;
    Atomics.sub(this.#counters, 0, 1);
    if (c.authTimer !== undefined) clearTimeout(c.authTimer);
    if (c.forceCloseTimer !== undefined) clearTimeout(c.forceCloseTimer);
    metrics.metrics.connectionsClosed.inc({ reason: closeReason(code) });
    if (c.authState === 'done') metrics.metrics.connectedPlayers.dec();
    // A resumed connection's id now belongs to the connection that resumed it.
    if (c.transferred) return;
    if (c.authState === 'done' && this.#sessions.shouldHold(c, code, this.#accepting)) {
      this.#sessions.hold(c);
      return;
    }
    conns.delete(c.id);
    if (c.authState === 'done') this.#sessions.logout(c);
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
