import { connKey, type PlayerImpl, type ZoneImpl } from './world-objects.js';

/**
 * The players a shard owns: by connection key (gateway × 2³² + conn, what inputs carry), by name
 * (what game code and other shards use), and as members of their zone and room.
 */
export class PlayerRegistry {
  readonly zones: ReadonlyMap<string, ZoneImpl>;
  readonly #byKey = new Map<number, PlayerImpl>();
  readonly #byName = new Map<string, PlayerImpl>();

  constructor(zones: ReadonlyMap<string, ZoneImpl>) {
    this.zones = zones;
  }

  get size(): number {
    return this.#byKey.size;
  }

  byConn(gateway: number, conn: number): PlayerImpl | undefined {
    return this.#byKey.get(connKey(gateway, conn));
  }

  byName(username: string): PlayerImpl | undefined {
    return this.#byName.get(username);
  }

  /** Whether `player` is still this shard's (not left or handed off since it was looked up). */
  owns(player: PlayerImpl): boolean {
    return this.#byKey.get(player.key) === player;
  }

  values(): IterableIterator<PlayerImpl> {
    return this.#byKey.values();
  }

  /** Adds a player to the shard and to its zone (which this shard must own). */
  add(player: PlayerImpl): void {
    this.#byKey.set(player.key, player);
    this.#byName.set(player.username, player);
    this.zones.get(player.zone)!.enter(player);
  }

  /** Removes a player from the shard and from its zone (or from where it was, when given). */
  remove(player: PlayerImpl, zone: string = player.zone, room: string | undefined = player.room): void {
    this.#byKey.delete(player.key);
    this.#byName.delete(player.username);
    this.zones.get(zone)?.leave(player, room);
  }

  /** The player's connection is now `conn` of `gateway` (it resumed there). */
  rekey(player: PlayerImpl, gateway: number, conn: number): void {
    if (this.#byKey.get(player.key) === player) this.#byKey.delete(player.key);
    player.gateway = gateway;
    player.conn = conn;
    player.key = connKey(gateway, conn);
    this.#byKey.set(player.key, player);
  }

  /** Moves a player to another zone or room of this shard. */
  move(player: PlayerImpl, zone: string, room: string | undefined): void {
    this.zones.get(player.zone)?.leave(player);
    player.zone = zone;
    player.room = room;
    this.zones.get(zone)!.enter(player);
  }
}
