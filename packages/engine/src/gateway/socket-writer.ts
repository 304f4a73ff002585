import {
  CloseCode,
  type ErrorCode,
  type ProtocolError,
  type RequestId,
  toErrorMessage,
} from '@leviathan/protocol';
import { SendFlag } from '../ipc/output-batch.js';
import type { Logger } from '../logging/logger.js';
import type { Connection } from './connection.js';
import type { GatewayMetrics } from './gateway-metrics.js';

/** Time a slow consumer has to take its close frame before the socket is torn down, in ms. */
const SLOW_CLOSE_GRACE_MS = 2_000;

/**
 * Every write to a client socket goes through here, with one backpressure policy: above
 * `maxBufferedBytes` buffered, low-priority messages are dropped; above twice that (or when uWS
 * itself drops), the socket is closed as a slow consumer, so one reader that does not read can
 * never grow the server's memory. Also the gateway's own answers (errors, bye) and closes.
 */
export class SocketWriter {
  readonly #metrics: GatewayMetrics;
  readonly #log: Logger;
  readonly #maxBuffered: number;

  constructor(metrics: GatewayMetrics, log: Logger, maxBufferedBytes: number) {
    this.#metrics = metrics;
    this.#log = log;
    this.#maxBuffered = maxBufferedBytes;
  }

  get maxBuffered(): number {
    return this.#maxBuffered;
  }

  /** Writes one message under its own cork (one syscall). */
  writeOne(c: Connection, text: string, flags: number): void {
    c.ws!.cork(() => this.send(c, text, flags));
  }

  /**
   * Writes a socket's messages of one batch under one cork: `g` holds pairs of string index and
   * flags. A client that asked for batched frames gets them as one WebSocket message of JSON
   * lines, low-priority lines dropped first when the socket is congested.
   */
  writeMany(c: Connection, strings: readonly string[], g: readonly number[]): void {
    const ws = c.ws!;
    if (c.batched) {
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
      if (text.length > 0) ws.cork(() => this.send(c, text, flags));
      return;
    }
    ws.cork(() => {
      for (let j = 0; j < g.length && c.open; j += 2) this.send(c, strings[g[j]!]!, g[j + 1]!);
    });
  }

  /** Sends one text with the backpressure policy; returns whether it was queued. */
  send(c: Connection, text: string, flags: number): boolean {
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

  /** Sends a message the gateway itself composed (auth-ok, pong, an error). */
  json(c: Connection, message: object): void {
    if (!c.open) return;
    this.writeOne(c, JSON.stringify(message), 0);
  }

  /** An `error` message; `re` carries the request's id back when it had one. */
  error(c: Connection, code: ErrorCode, message: string, re?: RequestId | null, path?: string): void {
    const err: Record<string, unknown> = { type: 'error', code, message };
    if (re !== undefined && re !== null) err.re = re;
    if (path !== undefined) err.path = path;
    this.json(c, err);
  }

  /** A protocol error: the wire form the protocol package defines (with `re` when known). */
  protocolError(c: Connection, err: ProtocolError): void {
    this.json(c, toErrorMessage(err));
  }

  /** The answer to a failed `auth` or `register`. */
  authError(c: Connection, code: string, message: string, re: RequestId | undefined): void {
    this.json(
      c,
      re === undefined ? { type: 'auth-error', code, message } : { type: 'auth-error', code, message, re },
    );
  }

  /** Says `bye` with a close code, then closes (the close frame goes after the bye). */
  bye(c: Connection, code: number, reason: string, re?: RequestId): void {
    if (!c.open) return;
    this.json(c, re === undefined ? { type: 'bye', code, reason } : { type: 'bye', code, reason, re });
    this.end(c, code, reason);
  }

  /** Closes with a code; a socket that cannot take its close frame is torn down after a grace time. */
  end(c: Connection, code: number, reason: string): void {
    if (!c.open) return;
    c.closing = true;
    c.ws!.end(code, reason.slice(0, 120));
    if (!c.closed) {
      c.forceCloseTimer = setTimeout(() => {
        c.forceCloseTimer = undefined;
        if (!c.closed) c.ws?.close();
      }, SLOW_CLOSE_GRACE_MS);
    }
  }

  #slowConsumer(c: Connection): void {
    this.#metrics.slowConsumerCloses++;
    this.#log.warn({ conn: c.id, username: c.username || undefined }, 'closing a slow consumer');
    this.end(c, CloseCode.SlowConsumer, 'slow consumer');
  }
}
