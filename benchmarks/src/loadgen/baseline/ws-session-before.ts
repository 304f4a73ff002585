// A frozen copy of packages/loadgen/src/client/ws-session.ts before the hot-path rework (commit
// 5ec6989), kept so that benchmarks/src/loadgen can measure old and new in the same run.
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
import WebSocket from 'ws';
import type { DeadlineSweeper, Expirable } from '../../../../packages/loadgen/src/client/deadline-sweeper.js';
import type { Pacer } from '../../../../packages/loadgen/src/client/pacer.js';
import type { WsMetrics } from '../../../../packages/loadgen/src/client/ws-metrics.js';
import {
  ConnectFailedError,
  ConnectionClosedError,
  InvalidServerMessageError,
  TimeoutError,
} from '../../../../packages/loadgen/src/errors.js';
import type { Trend } from '../../../../packages/loadgen/src/metrics/registry.js';

type Tags = Readonly<Record<string, string>>;
type ServerType = ServerMessage['type'];
type MessageOf<T extends ServerType> = Extract<ServerMessage, { type: T }>;

export interface ConnectOptions {
  /** Give up opening after this long. @default 10000 (ms) */
  timeoutMs?: number;
  /** Source address of the socket (see `localAddresses` in options). */
  localAddress?: string;
  headers?: Record<string, string>;
  /** Tags of this session's samples. */
  tags?: Record<string, string>;
}

export interface RequestOptions {
  /** Reject with TimeoutError after this long. @default 10000 (ms) */
  timeoutMs?: number;
  /** Extra tags for this sample. */
  tags?: Record<string, string>;
}

export interface WaitOptions<T extends ServerType> {
  /** @default 10000 (ms) */
  timeoutMs?: number;
  /** Only a message that passes this filter ends the wait. */
  filter?: (message: MessageOf<T>) => boolean;
}

/** What a session needs from its VU: metrics, intended times, tags. */
export interface SessionContext {
  metrics: WsMetrics;
  pacer: Pacer;
  tags: Tags;
  /** Enforces request timeouts (one timer per worker). */
  sweeper: DeadlineSweeper;
  /** Called once when the session closes, so the VU can forget it. */
  onClose?: (session: WsSessionBefore) => void;
}

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

interface Waiter {
  types: readonly string[];
  filter: ((m: never) => boolean) | undefined;
  resolve: (m: ServerMessage) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * A typed WebSocket JSON-lines session on @leviathan/protocol: send, request/reply matched by
 * `id`/`re`, wait for a message type, with timeouts. Round trips are measured from the intended
 * send time (Pacer) in µs into the worker's HDR histograms. Uses `ws`, measured cheaper in client
 * CPU than undici's WebSocket; UTF-8 validation is skipped because every frame
 * goes through JSON.parse anyway, and permessage-deflate is off (it costs more CPU than it saves
 * on small game messages).
 */
export class WsSessionBefore implements Expirable {
  readonly url: string;
  readonly #ws: WebSocket;
  readonly #ctx: SessionContext;
  // Requests in flight. Nearly always one (a VU awaits its reply), so the first lives in a slot and
  // only further ones go to the Map: a Map set+delete per round trip was ~3 % of the client's CPU.
  #slotId: RequestId | undefined;
  #slot: Pending | undefined;
  readonly #pending = new Map<RequestId, Pending>();
  readonly #waiters: Waiter[] = [];
  #listeners: Map<string, Set<(m: ServerMessage) => void>> | undefined;
  #nextId = 1;
  #closeInfo: { code: number; reason: string } | undefined;
  #closed: Promise<{ code: number; reason: string }> | undefined;
  #closedResolve: ((info: { code: number; reason: string }) => void) | undefined;

  private constructor(url: string, ws: WebSocket, ctx: SessionContext) {
    this.url = url;
    this.#ws = ws;
    this.#ctx = ctx;
    ws.on('message', (data: Buffer) => this.#onFrame(data));
    ws.on('close', (code: number, reason: Buffer) => this.#onClose(code, reason.toString()));
    ws.on('error', () => {
      // 'close' follows and settles everything; counting here would count twice.
    });
  }

  /** Opens a session; records `ws_connecting` from the intended time, and `ws_sessions`. */
  static open(url: string, ctx: SessionContext, options: ConnectOptions = {}): Promise<WsSessionBefore> {
    const startMs = ctx.pacer.take(performance.now());
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, {
        perMessageDeflate: false,
        skipUTF8Validation: true,
        handshakeTimeout: timeoutMs,
        ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
        ...(options.headers === undefined ? {} : { headers: options.headers }),
      });
      const fail = (err: unknown) => {
        ws.removeAllListeners();
        ws.on('error', () => {});
        ws.terminate();
        ctx.metrics.errors.add(1, options.tags, ctx.tags);
        reject(new ConnectFailedError(url, err));
      };
      ws.once('error', fail);
      ws.once('unexpected-response', (_req, res) =>
        fail(new Error(`HTTP ${res.statusCode} instead of an upgrade`)),
      );
      ws.once('open', () => {
        ws.removeAllListeners('error');
        ws.removeAllListeners('unexpected-response');
        ctx.metrics.connecting.addScaled(
          Math.round((performance.now() - startMs) * 1000),
          ctx.tags,
          options.tags,
        );
        ctx.metrics.sessions.add(1, options.tags, ctx.tags);
        resolve(new WsSessionBefore(url, ws, ctx));
      });
    });
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
    return this.#closeInfo === undefined && this.#ws.readyState === WebSocket.OPEN;
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
  request(message: ClientMessage, options: RequestOptions = {}): Promise<ServerMessage> {
    const trend = message.type === 'cmd' ? this.#ctx.metrics.cmd : this.#ctx.metrics.request;
    return this.#request(message, trend, options);
  }

  /** Sends `{type:'cmd', line, id}` and resolves with its reply (or error) message. */
  command(line: string, options: RequestOptions = {}): Promise<ReplyMessage | ErrorMessage> {
    return this.#request({ type: 'cmd', line }, this.#ctx.metrics.cmd, options) as Promise<
      ReplyMessage | ErrorMessage
    >;
  }

  /**
   * Authenticates: sends `auth` and resolves with `auth-ok` or `auth-error` (matched by type, as
   * a server need not echo `re` on auth). Records `ws_auth_duration`.
   */
  async auth(
    fields: Omit<AuthMessage, 'type'>,
    options: RequestOptions = {},
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
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        types: list,
        filter: options.filter as ((m: never) => boolean) | undefined,
        resolve: resolve as (m: ServerMessage) => void,
        reject,
        timer: setTimeout(() => {
          const i = this.#waiters.indexOf(waiter);
          if (i !== -1) this.#waiters.splice(i, 1);
          this.#ctx.metrics.timeouts.add(1);
          reject(new TimeoutError(`waiting for ${list.join(' or ')}`, timeoutMs));
        }, timeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  /** Calls `listener` for every message of `type`; returns a function that removes it. */
  on<T extends ServerType>(type: T, listener: (message: MessageOf<T>) => void): () => void {
    this.#listeners ??= new Map();
    let set = this.#listeners.get(type);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    set.add(listener as (m: ServerMessage) => void);
    return () => set.delete(listener as (m: ServerMessage) => void);
  }

  /** Closes (1000 by default) and resolves once closed. */
  close(code = 1000, reason = ''): Promise<{ code: number; reason: string }> {
    if (this.#closeInfo === undefined && this.#ws.readyState <= WebSocket.OPEN) this.#ws.close(code, reason);
    return this.closed;
  }

  /** Drops the connection at once (used when a VU is abandoned at the end of a test). */
  terminate(): void {
    this.#ws.terminate();
  }

  #request(message: ClientMessage, trend: Trend, options: RequestOptions): Promise<ServerMessage> {
    let id = message.id;
    if (id === undefined) {
      id = this.#nextId++;
      message = { ...message, id };
    }
    return this.#send(id, JSON.stringify(message), message.type, trend, options);
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
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) this.#ctx.sweeper.watch(this);
      this.#pending.set(id, {
        resolve,
        reject,
        deadline: now + timeoutMs,
        timeoutMs,
        what,
        startMs,
        trend,
        tags: options.tags,
      });
      this.#ws.send(frame);
      this.#ctx.metrics.sent.add(1);
    });
  }

  /** @internal Rejects the requests past their deadline (called by the worker's DeadlineSweeper). */
  expire(now: number): boolean {
    const slot = this.#slot;
    if (slot !== undefined && slot.deadline <= now) {
      const id = this.#slotId as RequestId;
      this.#slot = undefined;
      this.#slotId = undefined;
      this.#ctx.metrics.timeouts.add(1);
      slot.reject(new TimeoutError(`${slot.what} ${String(id)}`, slot.timeoutMs));
    }
    for (const [id, p] of this.#pending) {
      if (p.deadline <= now) {
        this.#pending.delete(id);
        this.#ctx.metrics.timeouts.add(1);
        p.reject(new TimeoutError(`${p.what} ${String(id)}`, p.timeoutMs));
      }
    }
    return this.#slot !== undefined || this.#pending.size > 0;
  }

  #onFrame(data: Buffer): void {
    let messages: ServerMessage[];
    try {
      messages = parseServerFrame(data.toString());
    } catch (e) {
      this.#ctx.metrics.errors.add(1);
      this.#failAll(new InvalidServerMessageError(e));
      this.#ws.close(1007, 'invalid message');
      return;
    }
    const now = performance.now();
    this.#ctx.metrics.received.add(messages.length);
    for (const m of messages) this.#dispatch(m, now);
  }

  #dispatch(m: ServerMessage, now: number): void {
    const re = (m as { re?: RequestId }).re;
    if (re !== undefined) {
      let p: Pending | undefined;
      if (this.#slot !== undefined && this.#slotId === re) {
        p = this.#slot;
        this.#slot = undefined;
        this.#slotId = undefined;
      } else {
        p = this.#pending.get(re);
        if (p !== undefined) this.#pending.delete(re);
      }
      if (p !== undefined) {
        p.trend.addScaled(Math.round((now - p.startMs) * 1000), this.#ctx.tags, p.tags);
        p.resolve(m);
      }
    }
    if (this.#waiters.length > 0) {
      for (let i = 0; i < this.#waiters.length; i++) {
        const w = this.#waiters[i] as Waiter;
        if (
          w.types.includes(m.type) &&
          (w.filter === undefined || (w.filter as (x: ServerMessage) => boolean)(m))
        ) {
          this.#waiters.splice(i, 1);
          clearTimeout(w.timer);
          w.resolve(m);
          break;
        }
      }
    }
    if (this.#listeners === undefined) return;
    const set = this.#listeners.get(m.type);
    if (set !== undefined) for (const l of set) l(m);
  }

  #onClose(code: number, reason: string): void {
    if (this.#closeInfo !== undefined) return;
    this.#closeInfo = { code, reason };
    if (this.#slot !== undefined || this.#pending.size > 0 || this.#waiters.length > 0) {
      this.#ctx.metrics.errors.add(1);
      this.#failAll(new ConnectionClosedError(code, reason));
    }
    this.#ctx.onClose?.(this);
    this.#closedResolve?.(this.#closeInfo);
  }

  #failAll(err: Error): void {
    const slot = this.#slot;
    this.#slot = undefined;
    this.#slotId = undefined;
    slot?.reject(err);
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
    for (const w of this.#waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(err);
    }
  }
}
