import type { JsonObject, RequestId } from '@leviathan/protocol';
import { RingRecordTooLargeError } from '../errors.js';
import { InputOp, type InputRecord, type JoinInput } from './input-batch.js';
import type { PlayerSnapshot } from './state-batch.js';

/**
 * The in-process transport of input records from one gateway thread to one shard: a ring of
 * shared memory the gateway writes each record into as it arrives, and the shard reads at the
 * start of its tick. No message is posted, no timer set and no thread woken per record or per
 * tick: the shard is never woken by its input at all.
 *
 * Why not a MessagePort: posting a batch wakes the receiving thread, and a gateway flushing just
 * before each tick needs a timer per shard per tick, plus extra posts for input that arrives
 * inside the flush margin. Profiled here (500 clients × 4 commands/s, 2 shards, perf record of
 * the gateway thread): flushes, their timers and immediates took 9.4% of the gateway thread and
 * posting 6.4%, for work the ring does with plain stores.
 *
 * One writer, one reader (single-producer single-consumer). The header holds the write and read
 * positions (32-bit, wrapping), published with Atomics: a record is visible to the reader only
 * once its bytes are written. Records never straddle the end of the ring: one that does not fit
 * before the end starts at 0 after a skip mark. A record is a u32 length, then its fields:
 * op u8, conn u32, then per op numbers as f64, strings as u32 byte length + UTF-8, ids as a tag
 * (0 none, 1 number, 2 string), and the rare structured fields (roles, snapshot, args) as JSON.
 */

const HEADER_BYTES = 16;
const WRITE = 0;
const READ = 1;
const SKIP = 0xffff_ffff;
/** Bytes of a record's length prefix. */
const LENGTH = 4;

/** Ring capacity in bytes. @default 1 MiB: ~20,000 commands of a typical size per tick. */
export const DEFAULT_RING_BYTES = 1 << 20;

/** A ring's shared memory (its capacity must be a power of two). */
export function createInputRing(capacityBytes: number = DEFAULT_RING_BYTES): SharedArrayBuffer {
  if (capacityBytes < 1024 || (capacityBytes & (capacityBytes - 1)) !== 0)
    throw new RangeError(`ring capacity must be a power of two of at least 1024 bytes, got ${capacityBytes}`);
  return new SharedArrayBuffer(HEADER_BYTES + capacityBytes);
}

class RingView {
  readonly header: Int32Array;
  readonly data: DataView;
  readonly bytes: Buffer;
  readonly capacity: number;
  readonly mask: number;

  constructor(ring: SharedArrayBuffer) {
    this.header = new Int32Array(ring, 0, 2);
    this.capacity = ring.byteLength - HEADER_BYTES;
    this.mask = this.capacity - 1;
    this.data = new DataView(ring, HEADER_BYTES, this.capacity);
    this.bytes = Buffer.from(ring, HEADER_BYTES, this.capacity);
  }
}

/**
 * The gateway's end. Each method writes one record and returns true, or false when the ring is
 * full (nothing written): the caller keeps the record and tries again later, in order. A record
 * larger than half the ring can never be written (`fits` tells).
 */
export class InputRingWriter {
  readonly #v: RingView;
  /** Position of the record being written (its length prefix). */
  #at = 0;
  #pos = 0;

  constructor(ring: SharedArrayBuffer) {
    this.#v = new RingView(ring);
  }

  /** Whether a record needing `bound` bytes can ever be written (a join's saved state, say). */
  #fits(bound: number): boolean {
    return LENGTH + 5 + bound <= this.#v.capacity / 2;
  }

  /** Bytes written and not read yet. */
  get pending(): number {
    const h = this.#v.header;
    return (Atomics.load(h, WRITE) - Atomics.load(h, READ)) >>> 0;
  }

  /**
   * Throws RingRecordTooLargeError when this join could never fit, whatever the shard reads: a
   * gateway checks before it queues one (the write itself may come later, from `pump`).
   */
  assertJoinFits(r: Omit<JoinInput, 'op'>): void {
    const bound = joinBound(
      r,
      JSON.stringify(r.roles),
      JSON.stringify(r.capabilities),
      r.snapshot === null ? '' : JSON.stringify(r.snapshot),
    );
    if (!this.#fits(bound)) throw new RingRecordTooLargeError(bound, this.#v.capacity);
  }

  join(r: Omit<JoinInput, 'op'>): boolean {
    const roles = JSON.stringify(r.roles);
    const capabilities = JSON.stringify(r.capabilities);
    const snapshot = r.snapshot === null ? '' : JSON.stringify(r.snapshot);
    const bound = joinBound(r, roles, capabilities, snapshot);
    if (!this.#fits(bound)) throw new RingRecordTooLargeError(bound, this.#v.capacity);
    if (!this.#begin(InputOp.Join, r.conn, bound)) return false;
    this.#string(r.username);
    this.#string(r.session);
    this.#string(roles);
    this.#string(capabilities);
    this.#f64(r.since);
    this.#string(snapshot);
    this.#u8(r.restore ? 1 : 0);
    this.#commit();
    return true;
  }

  command(conn: number, line: string, id: RequestId | null, receivedAt: number): boolean {
    if (!this.#begin(InputOp.Command, conn, 24 + maxBytes(line) + idBytes(id))) return false;
    this.#string(line);
    this.#id(id);
    this.#f64(receivedAt);
    this.#commit();
    return true;
  }

  action(
    conn: number,
    name: string,
    args: JsonObject | null,
    id: RequestId | null,
    receivedAt: number,
  ): boolean {
    const json = args === null ? '' : JSON.stringify(args);
    if (!this.#begin(InputOp.Action, conn, 28 + maxBytes(name) + maxBytes(json) + idBytes(id))) return false;
    this.#string(name);
    this.#string(json);
    this.#id(id);
    this.#f64(receivedAt);
    this.#commit();
    return true;
  }

  leave(conn: number, reason: string): boolean {
    if (!this.#begin(InputOp.Leave, conn, 8 + maxBytes(reason))) return false;
    this.#string(reason);
    this.#commit();
    return true;
  }

  routed(conn: number): boolean {
    if (!this.#begin(InputOp.Routed, conn, 0)) return false;
    this.#commit();
    return true;
  }

  resume(conn: number): boolean {
    if (!this.#begin(InputOp.Resume, conn, 0)) return false;
    this.#commit();
    return true;
  }

  rebind(conn: number, gateway: number, toConn: number): boolean {
    if (!this.#begin(InputOp.Rebind, conn, 8)) return false;
    this.#u32(gateway);
    this.#u32(toConn);
    this.#commit();
    return true;
  }

  /** Reserves room for a record of at most `bound` bytes after its op and conn. */
  #begin(op: InputOp, conn: number, bound: number): boolean {
    const v = this.#v;
    const need = LENGTH + 5 + bound;
    let write = Atomics.load(v.header, WRITE) >>> 0;
    const read = Atomics.load(v.header, READ) >>> 0;
    let free = v.capacity - ((write - read) >>> 0);
    let index = write & v.mask;
    const tail = v.capacity - index;
    if (need > tail) {
      // Not enough room before the end: skip to the start of the ring.
      if (free < tail + need) return false;
      if (tail >= LENGTH) v.data.setUint32(index, SKIP);
      write = (write + tail) >>> 0;
      free -= tail;
      index = 0;
      Atomics.store(v.header, WRITE, write | 0);
    }
    if (free < need) return false;
    this.#at = index;
    this.#pos = index + LENGTH;
    this.#u8(op);
    v.data.setUint32(this.#pos, conn);
    this.#pos += 4;
    return true;
  }

  #commit(): void {
    const v = this.#v;
    const length = this.#pos - this.#at - LENGTH;
    v.data.setUint32(this.#at, length);
    const write = (Atomics.load(v.header, WRITE) >>> 0) + LENGTH + length;
    Atomics.store(v.header, WRITE, write | 0);
  }

  #u8(value: number): void {
    this.#v.data.setUint8(this.#pos, value);
    this.#pos += 1;
  }

  #u32(value: number): void {
    this.#v.data.setUint32(this.#pos, value);
    this.#pos += 4;
  }

  #f64(value: number): void {
    this.#v.data.setFloat64(this.#pos, value);
    this.#pos += 8;
  }

  #string(text: string): void {
    const written = this.#v.bytes.write(text, this.#pos + 4, 'utf8');
    this.#v.data.setUint32(this.#pos, written);
    this.#pos += 4 + written;
  }

  #id(id: RequestId | null): void {
    if (id === null) this.#u8(0);
    else if (typeof id === 'number') {
      this.#u8(1);
      this.#f64(id);
    } else {
      this.#u8(2);
      this.#string(id);
    }
  }
}

/** The shard's end: reads every record written since the last read (at the start of a tick). */
export class InputRingReader {
  readonly #v: RingView;
  #pos = 0;

  /** Also the gateway's, to answer what a shard that died left unread. */
  constructor(ring: SharedArrayBuffer) {
    this.#v = new RingView(ring);
  }

  /** Every record written since the last call, in order; frees their room for the writer. */
  take(): InputRecord[] {
    const v = this.#v;
    const out: InputRecord[] = [];
    let read = Atomics.load(v.header, READ) >>> 0;
    const end = Atomics.load(v.header, WRITE) >>> 0;
    while (read !== end) {
      const index = read & v.mask;
      const tail = v.capacity - index;
      if (tail < LENGTH || v.data.getUint32(index) === SKIP) {
        read = (read + tail) >>> 0;
        continue;
      }
      const length = v.data.getUint32(index);
      this.#pos = index + LENGTH;
      out.push(this.#record());
      read = (read + LENGTH + length) >>> 0;
    }
    Atomics.store(v.header, READ, read | 0);
    return out;
  }

  #record(): InputRecord {
    const op = this.#u8() as InputOp;
    const conn = this.#v.data.getUint32(this.#pos);
    this.#pos += 4;
    switch (op) {
      case InputOp.Join: {
        const username = this.#string();
        const session = this.#string();
        const roles = JSON.parse(this.#string()) as string[];
        const capabilities = JSON.parse(this.#string()) as string[];
        const since = this.#f64();
        const snapshot = this.#string();
        return {
          op,
          conn,
          username,
          session,
          roles,
          capabilities,
          since,
          snapshot: snapshot === '' ? null : (JSON.parse(snapshot) as PlayerSnapshot),
          restore: this.#u8() === 1,
        };
      }
      case InputOp.Command:
        return { op, conn, line: this.#string(), id: this.#id(), receivedAt: this.#f64() };
      case InputOp.Action: {
        const name = this.#string();
        const args = this.#string();
        return {
          op,
          conn,
          name,
          args: args === '' ? null : (JSON.parse(args) as JsonObject),
          id: this.#id(),
          receivedAt: this.#f64(),
        };
      }
      case InputOp.Leave:
        return { op, conn, reason: this.#string() };
      case InputOp.Routed:
        return { op, conn };
      case InputOp.Resume:
        return { op, conn };
      case InputOp.Rebind:
        return { op, conn, gateway: this.#u32(), toConn: this.#u32() };
    }
  }

  #u8(): number {
    return this.#v.data.getUint8(this.#pos++);
  }

  #u32(): number {
    const value = this.#v.data.getUint32(this.#pos);
    this.#pos += 4;
    return value;
  }

  #f64(): number {
    const value = this.#v.data.getFloat64(this.#pos);
    this.#pos += 8;
    return value;
  }

  #string(): string {
    const length = this.#v.data.getUint32(this.#pos);
    const start = this.#pos + 4;
    this.#pos = start + length;
    return this.#v.bytes.toString('utf8', start, start + length);
  }

  #id(): RequestId | null {
    const tag = this.#u8();
    return tag === 0 ? null : tag === 1 ? this.#f64() : this.#string();
  }
}

/** Strings longer than this are measured (Buffer.byteLength) rather than bounded at 3 bytes a unit. */
const MEASURE_FROM = 256;

/**
 * Most UTF-8 bytes a string encodes to, with its length prefix: 3 per UTF-16 unit for a short
 * string (no scan on the hot path), its exact length for a long one, so that the longest action
 * a client may send (a 16 KiB line) stays well within half of the smallest ring (64 KiB).
 */
export function maxBytes(text: string): number {
  return 4 + (text.length <= MEASURE_FROM ? text.length * 3 : Buffer.byteLength(text, 'utf8'));
}

function joinBound(r: Omit<JoinInput, 'op'>, roles: string, capabilities: string, snapshot: string): number {
  return (
    32 +
    maxBytes(r.username) +
    maxBytes(r.session) +
    maxBytes(roles) +
    maxBytes(capabilities) +
    maxBytes(snapshot)
  );
}

function idBytes(id: RequestId | null): number {
  return id === null ? 1 : typeof id === 'number' ? 9 : 1 + maxBytes(id);
}
