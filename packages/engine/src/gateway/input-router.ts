import type { JsonObject, RequestId } from '@leviathan/protocol';
import { InputOp, type InputRecord, type JoinInput } from '../ipc/input-batch.js';
import { InputRingReader, InputRingWriter } from '../ipc/input-ring.js';

/**
 * Most records a gateway keeps for one shard while its ring is full (a shard that stopped
 * reading: stalled, or overwhelmed). Past it, new commands are refused with an error; joins,
 * leaves and route markers are always kept (they are few, and losing one would lose a player).
 * @default 50000
 */
const MAX_WAITING = 50_000;

/** What a player hears when its shard refuses a command for being too far behind. */
export const OVERLOADED = 'the game is overloaded; try again in a moment';

/**
 * The input of one gateway for one shard: each record goes into the shared-memory ring the shard
 * reads at the start of its tick (ipc/input-ring.ts). While the ring is full, records wait here in
 * order and go in as room frees (`pump`, at each of the shard's output batches).
 */
export class ShardInput {
  readonly #ring: InputRingWriter;
  readonly #waiting: InputRecord[] = [];

  constructor(ring: SharedArrayBuffer) {
    this.#ring = new InputRingWriter(ring);
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** Writes a join; throws RingRecordTooLargeError (nothing queued) when it could never fit. */
  join(r: Omit<JoinInput, 'op'>): void {
    if (this.#waiting.length === 0 && this.#ring.join(r)) return;
    // Checked now, not when `pump` writes it: there, a throw would end the gateway thread.
    this.#ring.assertJoinFits(r);
    this.#waiting.push({ op: InputOp.Join, ...r });
  }

  /** Writes a command; false when the shard is too far behind to take more (answer the player). */
  command(conn: number, line: string, id: RequestId | null, receivedAt: number): boolean {
    if (this.#waiting.length === 0 && this.#ring.command(conn, line, id, receivedAt)) return true;
    if (this.#waiting.length >= MAX_WAITING) return false;
    this.#waiting.push({ op: InputOp.Command, conn, line, id, receivedAt });
    return true;
  }

  /** Writes an action; false when the shard is too far behind to take more (answer the player). */
  action(
    conn: number,
    name: string,
    args: JsonObject | null,
    id: RequestId | null,
    receivedAt: number,
  ): boolean {
    if (this.#waiting.length === 0 && this.#ring.action(conn, name, args, id, receivedAt)) return true;
    if (this.#waiting.length >= MAX_WAITING) return false;
    this.#waiting.push({ op: InputOp.Action, conn, name, args, id, receivedAt });
    return true;
  }

  leave(conn: number, reason: string): void {
    if (this.#waiting.length > 0 || !this.#ring.leave(conn, reason))
      this.#waiting.push({ op: InputOp.Leave, conn, reason });
  }

  routed(conn: number): void {
    if (this.#waiting.length > 0 || !this.#ring.routed(conn))
      this.#waiting.push({ op: InputOp.Routed, conn });
  }

  resume(conn: number): void {
    if (this.#waiting.length > 0 || !this.#ring.resume(conn))
      this.#waiting.push({ op: InputOp.Resume, conn });
  }

  rebind(conn: number, gateway: number, toConn: number): void {
    if (this.#waiting.length > 0 || !this.#ring.rebind(conn, gateway, toConn))
      this.#waiting.push({ op: InputOp.Rebind, conn, gateway, toConn });
  }

  /**
   * Writes a record as it is (another node's gateway sent it: cluster/remote-gateways.ts); false
   * when a command or action is refused, as `command` and `action` refuse it.
   */
  write(r: InputRecord): boolean {
    if (this.#waiting.length === 0 && this.#write(r)) return true;
    if (r.op === InputOp.Join) this.#ring.assertJoinFits(r);
    else if ((r.op === InputOp.Command || r.op === InputOp.Action) && this.#waiting.length >= MAX_WAITING)
      return false;
    this.#waiting.push(r);
    return true;
  }

  /** Moves waiting records into the ring, in order, as far as there is room. */
  pump(): void {
    const waiting = this.#waiting;
    let i = 0;
    for (; i < waiting.length; i++) if (!this.#write(waiting[i]!)) break;
    if (i > 0) waiting.splice(0, i);
  }

  /** What the shard will never read (it died): waiting records and those left in the ring. */
  abandon(ring: SharedArrayBuffer): InputRecord[] {
    const unread = new InputRingReader(ring).take();
    unread.push(...this.#waiting.splice(0));
    return unread;
  }

  #write(r: InputRecord): boolean {
    switch (r.op) {
      case InputOp.Join:
        return this.#ring.join(r);
      case InputOp.Command:
        return this.#ring.command(r.conn, r.line, r.id, r.receivedAt);
      case InputOp.Action:
        return this.#ring.action(r.conn, r.name, r.args, r.id, r.receivedAt);
      case InputOp.Leave:
        return this.#ring.leave(r.conn, r.reason);
      case InputOp.Routed:
        return this.#ring.routed(r.conn);
      case InputOp.Resume:
        return this.#ring.resume(r.conn);
      case InputOp.Rebind:
        return this.#ring.rebind(r.conn, r.gateway, r.toConn);
    }
  }
}

/** A gateway's input to every shard: one ShardInput per shard that is up. */
export class InputRouter {
  readonly #inputs: Array<{ input: ShardInput; ring: SharedArrayBuffer } | undefined> = [];

  constructor(shards: number) {
    for (let s = 0; s < shards; s++) this.#inputs.push(undefined);
  }

  /** The shard is (back) up with a fresh ring; undefined: it is down. */
  attach(shard: number, ring: SharedArrayBuffer | undefined): void {
    this.#inputs[shard] = ring === undefined ? undefined : { input: new ShardInput(ring), ring };
  }

  isUp(shard: number): boolean {
    return this.#inputs[shard] !== undefined;
  }

  /** The input of a shard that is up (check isUp first). */
  to(shard: number): ShardInput {
    return this.#inputs[shard]!.input;
  }

  /** A shard read its ring (its output batch came): move what waits into the room freed. */
  pump(shard: number): void {
    const entry = this.#inputs[shard];
    if (entry !== undefined && entry.input.waiting > 0) entry.input.pump();
  }

  /** The shard died: what it will never read, and the shard is down until attached again. */
  detach(shard: number): InputRecord[] {
    const entry = this.#inputs[shard];
    this.#inputs[shard] = undefined;
    return entry === undefined ? [] : entry.input.abandon(entry.ring);
  }
}
