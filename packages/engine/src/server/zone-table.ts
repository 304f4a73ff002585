/**
 * Which shard of this node runs each zone (main thread). On a single node it is the zone map of
 * ipc/zone-map.ts, fixed at start. On a cluster node it starts empty and holds the zones whose
 * leases this node has: the zone host adds a zone once its shard loaded it and removes it before
 * the shard unloads it. The state relay, the login service and the shard supervisor read it, so a
 * login is only placed in a zone that runs here, and a restarted shard gets the zones it has now.
 */
export class ZoneTable {
  readonly #shards = new Map<string, number>();
  /** Zones being loaded: not in the table yet, but no longer anyone else's to route to. */
  readonly #arriving = new Set<string>();

  constructor(initial: Readonly<Record<string, number>> = {}) {
    for (const [zone, shard] of Object.entries(initial)) this.#shards.set(zone, shard);
  }

  get size(): number {
    return this.#shards.size;
  }

  /** The shard that runs `zone` here, or undefined when no shard of this node does. */
  shardOf(zone: string): number | undefined {
    return this.#shards.get(zone);
  }

  has(zone: string): boolean {
    return this.#shards.has(zone);
  }

  set(zone: string, shard: number): void {
    this.#arriving.delete(zone);
    this.#shards.set(zone, shard);
  }

  /** The zone is being loaded here (until `set`, or `abandon` when the load fails). */
  arriving(zone: string): void {
    this.#arriving.add(zone);
  }

  abandon(zone: string): void {
    this.#arriving.delete(zone);
  }

  /** Whether the zone runs here or is being loaded here. */
  isLocal(zone: string): boolean {
    return this.#shards.has(zone) || this.#arriving.has(zone);
  }

  delete(zone: string): boolean {
    return this.#shards.delete(zone);
  }

  /** The zones `shard` runs. */
  zonesOf(shard: number): Set<string> {
    const zones = new Set<string>();
    for (const [zone, s] of this.#shards) if (s === shard) zones.add(zone);
    return zones;
  }

  /** Every zone and its shard, as a plain object (what a shard starts from). */
  toRecord(): Record<string, number> {
    return Object.fromEntries(this.#shards);
  }

  zones(): IterableIterator<string> {
    return this.#shards.keys();
  }
}
