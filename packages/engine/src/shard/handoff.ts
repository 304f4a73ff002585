import { type InputRecord, InputWriter } from '../ipc/input-batch.js';
import type { ForwardedInput, HandoffRecord } from '../ipc/state-batch.js';
import { connKey, type PlayerImpl } from './world-objects.js';

/** How long a handed-off player's inputs are forwarded to its new shard, in ticks. */
const FORWARD_TICKS = 600;
/** Longest wait for the ROUTED marker after a handoff before held input runs anyway, in ticks. */
const HOLD_TICKS = 20;

/**
 * Players moving between shards, and the ordering of their input across the move.
 *
 * Out: `handOff` serializes the player into a HandoffRecord (main relays it to the target shard,
 * which adopts it) and remembers where it went, so input that still reaches this shard (the
 * gateway routes by the old map until the target tells it otherwise) is forwarded there.
 *
 * In: after adopting a player, input straight from the gateway is held until the old shard's
 * forwarded input ends with the gateway's ROUTED marker, so commands run in the order the client
 * sent them. If the marker never comes (the old shard died), the held input runs after
 * HOLD_TICKS.
 */
export class Handoffs {
  readonly #forwardTo = new Map<number, { shard: number; until: number }>();
  readonly #held = new Map<number, { gateway: number; until: number; records: InputRecord[] }>();
  #handoffs: HandoffRecord[] = [];
  #forwards = new Map<string, { shard: number; gateway: number; writer: InputWriter }>();

  /** The player leaves for `target` at the end of this tick; its input follows it there. */
  handOff(p: PlayerImpl, target: number, tick: number): void {
    this.#forwardTo.set(p.key, { shard: target, until: tick + FORWARD_TICKS });
    this.#handoffs.push({
      to: target,
      gateway: p.gateway,
      conn: p.conn,
      username: p.username,
      session: p.session,
      roles: p.roles,
      capabilities: p.capabilities,
      since: p.since,
      version: p.version + 1,
      zone: p.zone,
      room: p.room ?? null,
      state: p.state,
    });
  }

  /** The player is (back) on this shard: stop forwarding its input. */
  arrived(p: PlayerImpl): void {
    this.#forwardTo.delete(p.key);
  }

  /** Where a player handed off from here went, or undefined. */
  forwardTarget(gateway: number, conn: number): number | undefined {
    return this.#forwardTo.get(connKey(gateway, conn))?.shard;
  }

  /** Queues a record for the shard a player moved to (sent with this tick's state batch). */
  forward(shard: number, gateway: number, record: InputRecord): void {
    const k = `${shard}:${gateway}`;
    let entry = this.#forwards.get(k);
    if (entry === undefined) {
      entry = { shard, gateway, writer: new InputWriter() };
      this.#forwards.set(k, entry);
    }
    entry.writer.append(record);
  }

  /** A player was adopted here: hold its direct input until the old shard's forwards end. */
  hold(p: PlayerImpl, tick: number): void {
    this.#held.set(p.key, { gateway: p.gateway, until: tick + HOLD_TICKS, records: [] });
  }

  /** Whether the player's direct input is being held. */
  isHeld(gateway: number, conn: number): boolean {
    return this.#held.has(connKey(gateway, conn));
  }

  /** Holds one more record of the player's direct input. */
  holdRecord(gateway: number, record: InputRecord): void {
    this.#held.get(connKey(gateway, record.conn))?.records.push(record);
  }

  /** The marker came: stops holding; returns what was held, to run now. */
  release(gateway: number, conn: number): InputRecord[] {
    const key = connKey(gateway, conn);
    const held = this.#held.get(key);
    this.#held.delete(key);
    return held?.records ?? [];
  }

  /**
   * Holds whose marker did not come by `tick` (or every hold, without `tick`: at shutdown), with
   * their records, released.
   */
  expired(tick?: number): Array<{ gateway: number; records: InputRecord[] }> {
    const out: Array<{ gateway: number; records: InputRecord[] }> = [];
    for (const [key, held] of this.#held) {
      if (tick !== undefined && held.until > tick) continue;
      this.#held.delete(key);
      out.push({ gateway: held.gateway, records: held.records });
    }
    return out;
  }

  get holding(): boolean {
    return this.#held.size > 0;
  }

  /** Forgets forwarding routes past their time (every 100 ticks is often enough). */
  sweep(tick: number): void {
    if (tick % 100 !== 0) return;
    for (const [key, f] of this.#forwardTo) if (f.until < tick) this.#forwardTo.delete(key);
  }

  /** This tick's handoffs and forwarded input, for the state batch. */
  take(): { handoffs: HandoffRecord[]; forwards: ForwardedInput[] } {
    const handoffs = this.#handoffs;
    const forwards: ForwardedInput[] = [];
    for (const f of this.#forwards.values())
      forwards.push({ shard: f.shard, gateway: f.gateway, ops: f.writer.take() });
    this.#handoffs = [];
    if (this.#forwards.size > 0) this.#forwards = new Map();
    return { handoffs, forwards };
  }
}
