import type { PlayerSnapshot, StateBatch, WorldRecord } from '../ipc/state-batch.js';

/**
 * The latest snapshot of every player and world record, kept by main from the shards' state
 * batches. A restarted shard is rebuilt from it; a player who logs back in gets it before the
 * store is asked. Older versions never overwrite newer ones (a handoff and a state batch may
 * cross).
 */
export class StateCache {
  readonly #players = new Map<string, PlayerSnapshot>();
  readonly #world = new Map<string, WorldRecord>();
  /** Logged-out players, oldest first, evicted beyond `maxOffline`. */
  readonly #offline = new Set<string>();
  readonly #maxOffline: number;

  /**
   * @param maxOffline snapshots of logged-out players kept (the store has the rest). @default 10000
   */
  constructor(maxOffline = 10_000) {
    this.#maxOffline = maxOffline;
  }

  get playerCount(): number {
    return this.#players.size;
  }

  player(username: string): PlayerSnapshot | undefined {
    return this.#players.get(username);
  }

  putPlayer(snapshot: PlayerSnapshot): void {
    const current = this.#players.get(snapshot.username);
    if (current !== undefined && current.version > snapshot.version) return;
    this.#players.set(snapshot.username, snapshot);
  }

  online(username: string): void {
    this.#offline.delete(username);
  }

  offline(username: string): void {
    this.#offline.delete(username);
    this.#offline.add(username);
    while (this.#offline.size > this.#maxOffline) {
      const oldest = this.#offline.values().next().value as string;
      this.#offline.delete(oldest);
      this.#players.delete(oldest);
    }
  }

  apply(batch: StateBatch): void {
    for (const p of batch.players) this.putPlayer(p);
    for (const h of batch.handoffs) {
      this.putPlayer({
        username: h.username,
        version: h.version,
        data: { zone: h.zone, room: h.room, state: h.state },
      });
    }
    for (const w of batch.world) {
      const current = this.#world.get(w.key);
      if (current === undefined || current.version <= w.version) this.#world.set(w.key, w);
    }
    for (const name of batch.loggedOut) this.offline(name);
  }

  putWorld(records: readonly WorldRecord[]): void {
    for (const w of records) this.#world.set(w.key, w);
  }

  /** Forgets a zone's world records (it left this node: the next owner's writes are not seen here). */
  evictZone(zone: string): void {
    const prefix = `${zone}/`;
    for (const key of this.#world.keys()) if (key.startsWith(prefix)) this.#world.delete(key);
  }

  /** World records of the given zones. */
  worldOf(zones: ReadonlySet<string>): WorldRecord[] {
    const out: WorldRecord[] = [];
    for (const record of this.#world.values()) {
      const zone = record.key.slice(0, record.key.indexOf('/'));
      if (zones.has(zone)) out.push(record);
    }
    return out;
  }
}
