import { performance } from 'node:perf_hooks';
import type {
  AuthErrorMessage,
  AuthMessage,
  AuthOkMessage,
  ClientMessage,
  ErrorMessage,
  ReplyMessage,
  RequestId,
  ServerMessage,
} from '@leviathan/protocol';
import { parseServerFrame } from '@leviathan/protocol';
import { ConnectionClosedError, InvalidServerMessageError, TimeoutError } from '../errors.js';
import type { Trend } from '../metrics/registry.js';
import type { Expirable } from './deadline-sweeper.js';
import { MessageWaiters } from './message-waiters.js';
import { openSocket } from './open-socket.js';
import {
  type ConnectOptions,
  DEFAULT_TIMEOUT_MS,
  type MessageOf,
  type RequestOptions,
  type ServerType,
  type SessionContext,
  type Tags,
  type WaitOptions,
} from './session-options.js';
import type { ConnectionOwner, WsConnection } from './ws-connection.js';

/** A request in flight beyond the first (the first lives in the session's own fields). */
interface Pending {
  resolve: (m: ServerMessage) => void;
  reject: (e: Error) => void;
  /** performance.now() after which the request times out. */
  deadline: number;
  timeoutMs: number;
  what: string;
  startMs: number;
  trend: Trend;
  tags: Tags | undefined;
}

/** The options of a call that passed none: a default parameter `= {}` allocates on every call. */
const NO_OPTIONS: RequestOptions = Object.freeze({});

// The resolve/reject of the promise being made: `new Promise(capture)` runs `capture` synchronously,
// so one module-level executor serves every request without allocating a closure per request
// (the executor closure and its context were part of the old request path's 7 % self time in
// --cpu-prof of benchmarks/src/loadgen/in-thread-client.ts).
let capturedResolve: (m: ServerMessage) => void = () => {};
let capturedReject: (e: Error) => void = () => {};
function capture(resolve: (m: ServerMessage) => void, reject: (e: Error) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

/**
 * A typed WebSocket JSON-lines session on @leviathan/protocol: send, request/reply matched by
 * `id`/`re`, wait for a message type, with timeouts. Round trips are measured from the intended
 * send time (Pacer) in µs into the worker's HDR histograms. Over a WsConnection (ws-connection.ts
 * says why not `ws`); UTF-8 is not validated apart, because every frame
 * goes through JSON.parse anyway, and permessage-deflate is off (it costs more CPU than it saves
 * on small game messages).
 */
export class WsSession implements Expirable, ConnectionOwner {
  readonly url: string;
  readonly #ws: WsConnection;
  readonly #ctx: SessionContext;
  // Requests in flight. Nearly always one (a VU awaits its reply), so the first lives in fields of
  // the session (no object per request) and only further ones go to a Map made on first use.
  // Measured (--cpu-prof of benchmarks/src/loadgen/in-thread-client.ts): the old request path
  // (Pending object, executor closure, Map set+delete, watch-set add, message copy) was 7 % self
  // time; with this rework the in-thread loop made 1.15-1.25x the round trips per CPU-second of
  // the old session (baseline/ws-session-before.ts) in the same runs of `pnpm bench loadgen`.
  #slotId: RequestId | undefined;
  #slotResolve: ((m: ServerMessage) => void) | undefined;
  #slotReject: ((e: Error) => void) | undefined;
  #slotDeadline = 0;
  #slotTimeoutMs = 0;
  #slotWhat = '';
  #slotStartMs = 0;
  #slotTrend: Trend | undefined;
  #slotTags: Tags | undefined;
  #pending: Map<RequestId, Pending> | undefined;
  /** Whether the worker's DeadlineSweeper holds this session (cleared when expire() finds nothing). */
  #watched = false;
  #waiters: MessageWaiters | undefined;
  #nextId = 1;
  #closeInfo: { code: number; reason: string } | undefined;
  #closed: Promise<{ code: number; reason: string }> | undefined;
  #closedResolve: ((info: { code: number; reason: string }) => void) | undefined;

  private constructor(url: string, ws: WsConnection, ctx: SessionContext) {
    this.url = url;
    this.#ws = ws;
    this.#ctx = ctx;
    ws.attach(this);
  }

  /** Opens a session; records `ws_connecting` from the intended time, and `ws_sessions`. */
  static async open(url: string, ctx: SessionContext, options: ConnectOptions = {}): Promise<WsSession> {
    return new WsSession(url, await openSocket(url, ctx, options), ctx);
  }

  /** Resolves when the connection has closed, with the close code and reason (made on first use). */
  get closed(): Promise<{ code: number; reason: string }> {
    if (this.#closed === undefined) {
      this.#closed =
        this.#closeInfo !== undefined
          ? Promise.resolve(this.#closeInfo)
          : new Promise((resolve) => {
              this.#closedResolve = resolve;
            });
    }
    return this.#closed;
  }

  /** Whether the connection is open. */
  get open(): boolean {
    return this.#closeInfo === undefined && this.#ws.open;
  }

  /** Sends one message (no answer awaited). */
  send(message: ClientMessage): void {
    if (!this.open)
      throw new ConnectionClosedError(this.#closeInfo?.code ?? 1006, this.#closeInfo?.reason ?? 'not open');
    this.#ws.send(JSON.stringify(message));
    this.#ctx.metrics.sent.add(1);
  }

  /**
   * Sends a request and resolves with the message whose `re` is its `id` (a fresh id is set when
   * the message has none): a `reply`, or an `error` (not a rejection: check it). Rejects with
   * TimeoutError or ConnectionClosedError. `cmd` round trips are recorded in `ws_cmd_duration`,
   * others in `ws_request_duration`.
   */
  request(message: ClientMessage, options: RequestOptions = NO_OPTIONS): Promise<ServerMessage> {
    const trend = message.type === 'cmd' ? this.#ctx.metrics.cmd : this.#ctx.metrics.request;
    let id = message.id;
    if (id === undefined) {
      id = this.#nextId++;
      message = { ...message, id };
    }
    return this.#send(id, JSON.stringify(message), message.type, trend, options);
  }

  /** Sends `{type:'cmd', line, id}` and resolves with its reply (or error) message. */
  command(line: string, options: RequestOptions = NO_OPTIONS): Promise<ReplyMessage | ErrorMessage> {
    const id = this.#nextId++;
    // The frame written directly: the same bytes as JSON.stringify({ type, line, id }), without
    // the message object and its copy (part of the old request path's 7 % self time).
    const frame = `{"type":"cmd","line":${JSON.stringify(line)},"id":${id}}`;
    return this.#send(id, frame, 'cmd', this.#ctx.metrics.cmd, options) as Promise<
      ReplyMessage | ErrorMessage
    >;
  }

  /**
   * Authenticates: sends `auth` and resolves with `auth-ok` or `auth-error` (matched by type, as
   * a server need not echo `re` on auth). Records `ws_auth_duration`.
   */
  async auth(
    fields: Omit<AuthMessage, 'type'>,
    options: RequestOptions = NO_OPTIONS,
  ): Promise<AuthOkMessage | AuthErrorMessage> {
    const startMs = this.#ctx.pacer.take(performance.now());
    const answer = this.waitFor(['auth-ok', 'auth-error'], {
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
    try {
      this.send({ type: 'auth', ...fields });
    } catch (e) {
      answer.catch(() => {});
      throw e;
    }
    const message = await answer;
    this.#ctx.metrics.auth.addScaled(
      Math.round((performance.now() - startMs) * 1000),
      this.#ctx.tags,
      options.tags,
    );
    return message;
  }

  /** Resolves with the next message of one of the types (that passes the filter). */
  waitFor<T extends ServerType>(
    types: T | readonly T[],
    options: WaitOptions<T> = {},
  ): Promise<MessageOf<T>> {
    const list = typeof types === 'string' ? [types] : types;
    if (this.#closeInfo !== undefined) {
      return Promise.reject(new ConnectionClosedError(this.#closeInfo.code, this.#closeInfo.reason));
    }
    return this.#waits().waitFor(list, options.timeoutMs ?? DEFAULT_TIMEOUT_MS, options.filter);
  }

  /** Calls `listener` for every message of `type`; returns a function that removes it. */
  on<T extends ServerType>(type: T, listener: (message: MessageOf<T>) => void): () => void {
    return this.#waits().on(type, listener);
  }

  #waits(): MessageWaiters {
    this.#waiters ??= new MessageWaiters(this.#ctx.metrics.timeouts);
    return this.#waiters;
  }

  /** Closes (1000 by default) and resolves once closed. */
  close(code = 1000, reason = ''): Promise<{ code: number; reason: string }> {
    if (this.#closeInfo === undefined) this.#ws.close(code, reason);
    return this.closed;
  }

  /** Drops the connection at once (used when a VU is abandoned at the end of a test). */
  terminate(): void {
    this.#ws.terminate();
  }

  #send(
    id: RequestId,
    frame: string,
    what: string,
    trend: Trend,
    options: RequestOptions,
  ): Promise<ServerMessage> {
    if (!this.open) {
      return Promise.reject(
        new ConnectionClosedError(this.#closeInfo?.code ?? 1006, this.#closeInfo?.reason ?? 'not open'),
      );
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const now = performance.now();
    const startMs = this.#ctx.pacer.take(now);
    const promise = new Promise<ServerMessage>(capture);
    if (this.#slotId === undefined) {
      this.#slotId = id;
      this.#slotResolve = capturedResolve;
      this.#slotReject = capturedReject;
      this.#slotDeadline = now + timeoutMs;
      this.#slotTimeoutMs = timeoutMs;
      this.#slotWhat = what;
      this.#slotStartMs = startMs;
      this.#slotTrend = trend;
      this.#slotTags = options.tags;
    } else {
      this.#pending ??= new Map();
      this.#pending.set(id, {
        resolve: capturedResolve,
        reject: capturedReject,
        deadline: now + timeoutMs,
        timeoutMs,
        what,
        startMs,
        trend,
        tags: options.tags,
      });
    }
    // Watched until a sweep finds nothing pending: not a Set add per request.
    if (!this.#watched) {
      this.#watched = true;
      this.#ctx.sweeper.watch(this);
    }
    this.#ws.send(frame);
    this.#ctx.metrics.sent.add(1);
    return promise;
  }

  /** Empties the slot (drops its closures and tags, so nothing is kept alive by an idle session). */
  #clearSlot(): void {
    this.#slotId = undefined;
    this.#slotResolve = undefined;
    this.#slotReject = undefined;
    this.#slotTrend = undefined;
    this.#slotTags = undefined;
  }

  /** @internal Rejects the requests past their deadline (called by the worker's DeadlineSweeper). */
  expire(now: number): boolean {
    if (this.#slotId !== undefined && this.#slotDeadline <= now) {
      const id = this.#slotId;
      const reject = this.#slotReject as (e: Error) => void;
      const error = new TimeoutError(`${this.#slotWhat} ${String(id)}`, this.#slotTimeoutMs);
      this.#clearSlot();
      this.#ctx.metrics.timeouts.add(1);
      reject(error);
    }
    const pending = this.#pending;
    if (pending !== undefined && pending.size > 0) {
      for (const [id, p] of pending) {
        if (p.deadline <= now) {
          pending.delete(id);
          this.#ctx.metrics.timeouts.add(1);
          p.reject(new TimeoutError(`${p.what} ${String(id)}`, p.timeoutMs));
        }
      }
    }
    this.#watched = this.#slotId !== undefined || (pending !== undefined && pending.size > 0);
    return this.#watched;
  }

  /** @internal ConnectionOwner: one message (a frame's text) from the server. */
  onConnectionMessage(text: string): void {
    const nl = text.indexOf('\n');
    // One message per frame (or one line with its newline) is the common case: parsed without
    // the array of parseServerFrame. Same check: an object with a string `type`.
    if (nl === -1 || nl === text.length - 1) {
      let m: unknown;
      try {
        m = JSON.parse(text);
      } catch (e) {
        this.#invalid(e);
        return;
      }
      if (m === null || typeof m !== 'object' || typeof (m as { type?: unknown }).type !== 'string') {
        this.#invalid(new SyntaxError('server message is not an object with a string "type"'));
        return;
      }
      const now = performance.now();
      this.#ctx.metrics.received.add(1);
      this.#dispatch(m as ServerMessage, now);
      return;
    }
    let messages: ServerMessage[];
    try {
      messages = parseServerFrame(text);
    } catch (e) {
      this.#invalid(e);
      return;
    }
    const now = performance.now();
    this.#ctx.metrics.received.add(messages.length);
    for (const m of messages) this.#dispatch(m, now);
  }

  #invalid(cause: unknown): void {
    this.#ctx.metrics.errors.add(1);
    this.#failAll(new InvalidServerMessageError(cause));
    this.#ws.close(1007, 'invalid message');
  }

  #dispatch(m: ServerMessage, now: number): void {
    const re = (m as { re?: RequestId }).re;
    if (re !== undefined) {
      if (this.#slotId === re) {
        const resolve = this.#slotResolve as (m: ServerMessage) => void;
        (this.#slotTrend as Trend).addScaled(
          Math.round((now - this.#slotStartMs) * 1000),
          this.#ctx.tags,
          this.#slotTags,
        );
        this.#clearSlot();
        resolve(m);
      } else if (this.#pending !== undefined) {
        const p = this.#pending.get(re);
        if (p !== undefined) {
          this.#pending.delete(re);
          p.trend.addScaled(Math.round((now - p.startMs) * 1000), this.#ctx.tags, p.tags);
          p.resolve(m);
        }
      }
    }
    this.#waiters?.deliver(m);
  }

  /** @internal ConnectionOwner: the connection has closed. */
  onConnectionClose(code: number, reason: string): void {
    if (this.#closeInfo !== undefined) return;
    this.#closeInfo = { code, reason };
    if (this.#slotId !== undefined || (this.#pending?.size ?? 0) > 0 || this.#waiters?.waiting === true) {
      this.#ctx.metrics.errors.add(1);
      this.#failAll(new ConnectionClosedError(code, reason));
    }
    this.#ctx.onClose?.(this);
    this.#closedResolve?.(this.#closeInfo);
  }

  #failAll(err: Error): void {
    const reject = this.#slotId === undefined ? undefined : this.#slotReject;
    this.#clearSlot();
    reject?.(err);
    if (this.#pending !== undefined) {
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
    }
    this.#waiters?.failAll(err);
  }
}
