/**
 * What a shard sends a gateway once per tick: the messages for that gateway's sockets, encoded
 * once however many sockets receive them (`sends` and `all` refer to `strings` by index), plus
 * route changes, kicks and the command timings. The Outbox (shard side) writes it; the gateway's
 * output writer reads it with the readers below; only this file knows the tuple layouts.
 */

/** Delivery flags of an outbound message. */
export const SendFlag = {
  /** Droppable when the socket is congested. */
  Low: 1,
  /** A `reply`: its receipt time is in `timings` for the command-latency histogram. */
  Reply: 2,
  /**
   * A structured event (`STRUCTURED_EVENT_TYPES` of the protocol: `room`, `presence`, `chat`,
   * `vitals`, `event`): written only to connections granted
   * the `events` capability. Set by the shard from the message type it encodes, so the gateway
   * decides with one bit test instead of parsing JSON.
   */
  Event: 4,
} as const;

/**
 * SendFlag.Event for the structured-event message types, else 0. Written out rather than looked up
 * in STRUCTURED_EVENT_TYPES because it runs for every message sent; output-batch.test.ts checks
 * that the two agree.
 */
export function eventFlag(type: string): number {
  return type === 'room' || type === 'presence' || type === 'chat' || type === 'vitals' || type === 'event'
    ? SendFlag.Event
    : 0;
}

export interface OutputBatch {
  readonly shard: number;
  /** Encoded server messages (JSON text). */
  readonly strings: string[];
  /** Triplets: conn, string index, SendFlag bits. */
  readonly sends: number[];
  /** Triplets for a message to every socket of the gateway: string index, flags, except conn (-1 none). */
  readonly all: number[];
  /**
   * Pairs: conn, the shard that adopted the player, or -1: this shard does not know the player,
   * the gateway joins it there again.
   */
  readonly routes: number[];
  /** Triplets: conn, close code, reason (the connection gets a `bye` and is closed). */
  readonly kicks: Array<number | string>;
  /** Gateway receipt times (epoch ms) of the commands answered. */
  readonly timings: number[];
}

/**
 * A shard's pending output for one gateway during a tick, taken as one OutputBatch at the end of
 * the tick. Fields are declared up front so the object keeps one shape.
 */
export class Outbox {
  strings: string[] = [];
  sends: number[] = [];
  all: number[] = [];
  routes: number[] = [];
  kicks: Array<number | string> = [];
  timings: number[] = [];

  get empty(): boolean {
    return (
      this.sends.length === 0 && this.all.length === 0 && this.routes.length === 0 && this.kicks.length === 0
    );
  }

  /** Adds an encoded message; returns its index for `send` and `broadcast`. */
  addString(text: string): number {
    return this.strings.push(text) - 1;
  }

  send(conn: number, index: number, flags: number): void {
    this.sends.push(conn, index, flags);
  }

  /** A message to every socket of the gateway, but `except` (-1 for none). */
  broadcast(index: number, flags: number, except: number): void {
    this.all.push(index, flags, except);
  }

  /** The player on `conn` now lives on `shard` (-1: unknown here, join it again). */
  route(conn: number, shard: number): void {
    this.routes.push(conn, shard);
  }

  kick(conn: number, code: number, reason: string): void {
    this.kicks.push(conn, code, reason);
  }

  timing(receivedAt: number): void {
    this.timings.push(receivedAt);
  }

  take(shard: number): OutputBatch {
    const batch: OutputBatch = {
      shard,
      strings: this.strings,
      sends: this.sends,
      all: this.all,
      routes: this.routes,
      kicks: this.kicks,
      timings: this.timings,
    };
    this.strings = [];
    this.sends = [];
    this.all = [];
    this.routes = [];
    this.kicks = [];
    this.timings = [];
    return batch;
  }
}

/** Calls `fn` for each route change of a batch. */
export function forEachRoute(batch: OutputBatch, fn: (conn: number, shard: number) => void): void {
  const r = batch.routes;
  for (let i = 0; i < r.length; i += 2) fn(r[i]!, r[i + 1]!);
}

/** Calls `fn` for each broadcast of a batch. */
export function forEachBroadcast(
  batch: OutputBatch,
  fn: (text: string, flags: number, except: number) => void,
): void {
  const a = batch.all;
  for (let i = 0; i < a.length; i += 3) fn(batch.strings[a[i]!]!, a[i + 1]!, a[i + 2]!);
}

/** Calls `fn` for each kick of a batch. */
export function forEachKick(
  batch: OutputBatch,
  fn: (conn: number, code: number, reason: string) => void,
): void {
  const k = batch.kicks;
  for (let i = 0; i < k.length; i += 3) fn(k[i] as number, k[i + 1] as number, String(k[i + 2]));
}

/**
 * The sends of a batch grouped by connection, in order: conn → [string index, flags, ...]. The
 * gateway writes each socket's messages under one cork (one syscall per socket per batch).
 */
export function sendsByConn(batch: OutputBatch): Map<number, number[]> {
  const s = batch.sends;
  const groups = new Map<number, number[]>();
  for (let i = 0; i < s.length; i += 3) {
    const conn = s[i]!;
    let g = groups.get(conn);
    if (g === undefined) {
      g = [];
      groups.set(conn, g);
    }
    g.push(s[i + 1]!, s[i + 2]!);
  }
  return groups;
}
