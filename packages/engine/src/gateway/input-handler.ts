// Imported rather than the global: `globalThis.performance` is an accessor, which optimized code
// cannot load as a constant. A perf profile of this thread under the macro benchmark's load had
// Builtins_LoadGlobalIC, called from #play for that global, at 1.3 % of the engine's samples;
// with the import it is gone from the profile.
import { performance } from 'node:perf_hooks';
import {
  type ClientMessage,
  CloseCode,
  DEFAULT_LIMITS,
  decodeFrame,
  ErrorCode,
  ProtocolError,
  type ProtocolLimits,
  toAuthErrorMessage,
} from '@leviathan/protocol';
import { epochNow } from '../shard/tick-loop.js';
import type { Connection } from './connection.js';
import type { GatewayContext } from './gateway-context.js';
import { OVERLOADED } from './input-router.js';
import type { Login } from './login.js';

/** Invalid messages tolerated per window before the socket is closed with TooManyErrors. */
const MAX_ERRORS = 20;
/** @default 10000 ms */
const ERROR_WINDOW_MS = 10_000;
/** Commands dropped by the rate limit in a row before the socket is closed with RateLimited. */
const MAX_RATE_LIMITED_STREAK = 100;
/**
 * Pings answered per connection per ERROR_WINDOW_MS; past it a ping is answered with
 * RATE_LIMITED and counted as an invalid message (so a flood of them closes the socket). Pings
 * are valid at any time, even before `auth`, and each costs the gateway a `pong`: without a
 * bound, one connection sending frames of 64 pings kept the gateway answering for as long as it
 * liked (the adversarial flood, benchmarks/src/adversarial). A keep-alive needs one every few
 * seconds.
 */
const MAX_PINGS = 100;

/**
 * What a client sends: each WebSocket message is decoded and validated by the protocol package
 * (one or more JSON lines), and each message is answered here (ping, quit), handed to the login
 * (auth, register), or, from an authenticated player within its rate, written into the input
 * batch of the shard that owns the player. Bad input gets an error with the request's id (the
 * protocol package attaches it) and counts against the connection; it never reaches a shard.
 */
export class InputHandler {
  readonly #ctx: GatewayContext;
  readonly #login: Login;
  readonly #limits: ProtocolLimits;

  constructor(ctx: GatewayContext, login: Login) {
    this.#ctx = ctx;
    this.#login = login;
    this.#limits = { ...DEFAULT_LIMITS, maxFrameBytes: ctx.config.maxPayloadBytes };
  }

  /** One WebSocket message. `bytes` are only valid during this call (uWS neuters them after). */
  message(c: Connection, bytes: Uint8Array): void {
    if (!c.open) return;
    const metrics = this.#ctx.metrics;
    metrics.bytesReceived += bytes.byteLength;
    // decodeFrame copies the bytes into a string synchronously: nothing keeps `bytes`.
    const out = decodeFrame(bytes, this.#limits);
    for (let i = 0; i < out.length; i++) {
      if (!c.open) break;
      const d = out[i]!;
      metrics.messagesReceived++;
      if (d instanceof ProtocolError) this.#protocolError(c, d);
      else this.#handle(c, d);
    }
  }

  #protocolError(c: Connection, err: ProtocolError): void {
    const { metrics, writer } = this.#ctx;
    metrics.protocolErrors++;
    if (err.fatal) {
      // A version the server does not speak answers the login as the protocol defines it.
      if (err.code === ErrorCode.UnsupportedVersion) writer.json(c, toAuthErrorMessage(err));
      else writer.protocolError(c, err);
      writer.end(c, err.closeCode ?? CloseCode.ProtocolError, err.code);
      return;
    }
    this.countError(c);
    if (c.open) writer.protocolError(c, err);
  }

  /** Counts an invalid message; too many in the window close the socket. */
  readonly countError = (c: Connection): void => {
    const now = performance.now();
    if (now - c.errorWindowStart > ERROR_WINDOW_MS) {
      c.errorWindowStart = now;
      c.errors = 0;
    }
    if (++c.errors > MAX_ERRORS)
      this.#ctx.writer.bye(c, CloseCode.TooManyErrors, `more than ${MAX_ERRORS} invalid messages`);
  };

  #pingAllowed(c: Connection): boolean {
    const now = performance.now();
    if (now - c.pingWindowStart > ERROR_WINDOW_MS) {
      c.pingWindowStart = now;
      c.pings = 0;
    }
    return ++c.pings <= MAX_PINGS;
  }

  #handle(c: Connection, msg: ClientMessage): void {
    const { writer } = this.#ctx;
    switch (msg.type) {
      case 'ping':
        if (!this.#pingAllowed(c)) {
          this.countError(c);
          if (c.open) writer.error(c, ErrorCode.RateLimited, 'too many pings; slow down', msg.id);
          return;
        }
        writer.json(
          c,
          msg.id === undefined ? { type: 'pong', t: msg.t } : { type: 'pong', t: msg.t, re: msg.id },
        );
        return;
      case 'quit':
        writer.bye(c, CloseCode.Normal, 'goodbye', msg.id);
        return;
      case 'auth':
        this.#login.start(c, msg, this.countError);
        return;
      case 'register':
        if (this.#login.takesRegistrations) {
          this.#login.start(c, msg, this.countError);
          return;
        }
        this.countError(c);
        if (c.open) writer.error(c, ErrorCode.Forbidden, 'this server does not take registrations', msg.id);
        return;
      case 'cmd':
      case 'action':
        this.#play(c, msg);
        return;
    }
  }

  /** A command or action from a player: rate-limited, then into its shard's input batch. */
  #play(c: Connection, msg: Extract<ClientMessage, { type: 'cmd' | 'action' }>): void {
    const { writer, metrics, router } = this.#ctx;
    if (c.authState !== 'done') {
      this.countError(c);
      if (c.open) writer.error(c, ErrorCode.NotAuthenticated, 'authenticate first (send auth)', msg.id);
      return;
    }
    if (c.bucket !== undefined && !c.bucket.take(performance.now())) {
      metrics.rateLimited++;
      if (++c.rateLimited > MAX_RATE_LIMITED_STREAK) {
        writer.bye(c, CloseCode.RateLimited, 'too many commands over the rate limit');
        return;
      }
      writer.error(c, ErrorCode.RateLimited, 'too many commands; slow down', msg.id);
      return;
    }
    c.rateLimited = 0;
    if (c.moving) {
      writer.error(
        c,
        ErrorCode.ShardUnavailable,
        'your zone is moving to another server; try again in a moment',
        msg.id,
      );
      return;
    }
    if (!router.isUp(c.shard)) {
      writer.error(c, ErrorCode.ShardUnavailable, 'the game is restarting; try again in a moment', msg.id);
      return;
    }
    const input = router.to(c.shard);
    const taken =
      msg.type === 'cmd'
        ? input.command(c.id, msg.line, msg.id ?? null, epochNow())
        : input.action(c.id, msg.name, msg.args ?? null, msg.id ?? null, epochNow());
    if (!taken) writer.error(c, ErrorCode.ShardUnavailable, OVERLOADED, msg.id);
  }
}
