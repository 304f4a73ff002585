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
import { SendStatus } from './transport/transport.js';

/** Time a slow consumer has to take its close frame before the socket is torn down, in ms. */
const SLOW_CLOSE_GRACE_MS = 2_000;

/**
 * The output budget of a socket for low-priority messages, in bytes (UTF-16 code units, the
 * cheap measure of a string): one is written only while what the socket has buffered plus the
 * low-priority bytes already added from the same output batch stay within it; a low-priority
 * message larger than the budget is never written (send it as normal). Counted in
 * `droppedBudget`, exported as `leviathan_messages_dropped_total{reason="socket_budget"}`. A
 * reader that falls behind then stops receiving chatter at once, not after `maxBufferedBytes`
 * (1 MiB by default, so up to 3 GB for 3,000 slow readers; 192 MB at this budget). The shard's
 * budget per player per tick (LOW_PER_TICK in shard/fan-out.ts) is what kept memory flat in the
 * crowd benchmarks, where this one never fired (loopback readers keep up, or their backlog sits
 * in kernel buffers); this one bounds what user space queues for readers on real networks.
 */
export const LOW_BUDGET_BYTES = 64 * 1024;

/**
 * Every write to a client socket goes through here, with one backpressure policy: low-priority
 * messages within the socket's output budget (LOW_BUDGET_BYTES, at most `maxBufferedBytes`);
 * above `maxBufferedBytes` buffered, none; above twice that (or when the transport itself drops), the
 * socket is closed as a slow consumer, so one reader that does not read can never grow the
 * server's memory. Also the gateway's own answers (errors, bye) and closes.
 */
export class SocketWriter {
  readonly #metrics: GatewayMetrics;
  readonly #log: Logger;
  readonly #maxBuffered: number;
  readonly #lowBudget: number;

  constructor(metrics: GatewayMetrics, log: Logger, maxBufferedBytes: number) {
    this.#metrics = metrics;
    this.#log = log;
    this.#maxBuffered = maxBufferedBytes;
    this.#lowBudget = Math.min(LOW_BUDGET_BYTES, maxBufferedBytes);
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
    const buffered = ws.getBufferedAmount();
    const congested = buffered > this.#maxBuffered;
    // What low-priority messages of this batch may still add to the socket's backlog.
    let lowRoom = this.#lowBudget - buffered;
    if (c.batched) {
      let text = '';
      let flags: number = SendFlag.Low;
      for (let j = 0; j < g.length; j += 2) {
        const f = g[j + 1]!;
        if ((f & SendFlag.Event) !== 0 && !c.events) continue;
        const line = strings[g[j]!]!;
        if ((f & SendFlag.Low) !== 0) {
          if (congested) {
            this.#metrics.droppedLow++;
            continue;
          }
          if (line.length > lowRoom) {
            this.#metrics.droppedBudget++;
            continue;
          }
          lowRoom -= line.length;
        } else flags = 0;
        text = text.length === 0 ? line : `${text}\n${line}`;
      }
      if (text.length > 0) ws.cork(() => this.send(c, text, flags, true));
      return;
    }
    ws.cork(() => {
      for (let j = 0; j < g.length && c.open; j += 2) {
        const f = g[j + 1]!;
        const text = strings[g[j]!]!;
        // The budget counts what would be written: not events the socket does not take, nor
        // what congestion drops anyway (send() counts those).
        if ((f & SendFlag.Low) !== 0 && !congested && ((f & SendFlag.Event) === 0 || c.events)) {
          if (text.length > lowRoom) {
            this.#metrics.droppedBudget++;
            continue;
          }
          lowRoom -= text.length;
        }
        this.send(c, text, f, true);
      }
    });
  }

  /**
   * Sends one text with the backpressure policy; returns whether it was queued. `budgeted`: the
   * caller applied the socket's output budget to it already (writeMany).
   */
  send(c: Connection, text: string, flags: number, budgeted = false): boolean {
    // Structured events only for connections that asked for them (a bit test, no JSON parsing).
    if ((flags & SendFlag.Event) !== 0 && !c.events) return false;
    const ws = c.ws!;
    const buffered = ws.getBufferedAmount();
    if ((flags & SendFlag.Low) !== 0) {
      if (buffered > this.#maxBuffered) {
        this.#metrics.droppedLow++;
        return false;
      }
      if (!budgeted && buffered + text.length > this.#lowBudget) {
        this.#metrics.droppedBudget++;
        return false;
      }
    } else if (buffered > this.#maxBuffered * 2) {
      this.#slowConsumer(c);
      return false;
    }
    const status = ws.send(text, false);
    if (status === SendStatus.Dropped) {
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
