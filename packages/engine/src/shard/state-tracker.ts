import type { JsonObject } from '@leviathan/protocol';
import type { Entity } from '../game/zone.js';
import type { ShardMessageRecord } from '../ipc/shard-message.js';
import type {
  DirectoryRecord,
  ForwardedInput,
  HandoffRecord,
  PlayerSnapshot,
  StateBatch,
  WorldRecord,
} from '../ipc/state-batch.js';
import type { DirectoryReplica } from './directory-replica.js';
import type { PlayerImpl, ZoneImpl } from './world-objects.js';

/**
 * What changed in a shard during a tick, for the state batch to main: dirty players (a snapshot
 * each, versioned), players who left (their final snapshot), dirty entities and zones (world
 * records, versioned, with tombstones for deleted entities), and the directory changes. Versions
 * only grow, so main and the store can drop a stale write.
 */
export class StateTracker {
  readonly #shard: number;
  readonly #zones: ReadonlyMap<string, ZoneImpl>;
  readonly #directory: DirectoryReplica;
  readonly #entityVersions = new Map<string, number>();
  #dirtyPlayers = new Set<PlayerImpl>();
  #finalSnapshots: PlayerSnapshot[] = [];
  #loggedOut: string[] = [];
  #dirtyEntities = new Set<Entity>();
  #dirtyZones = new Set<ZoneImpl>();
  #upsert: DirectoryRecord[] = [];
  #remove: string[] = [];

  constructor(shard: number, zones: ReadonlyMap<string, ZoneImpl>, directory: DirectoryReplica) {
    this.#shard = shard;
    this.#zones = zones;
    this.#directory = directory;
  }

  /** The stored version of a world record this shard loaded, so the next write goes above it. */
  loaded(key: string, version: number): void {
    this.#entityVersions.set(key, version);
  }

  /** The zone left this shard (unloaded, its final records taken): forget its records' versions. */
  forgetZone(zone: ZoneImpl): void {
    this.#entityVersions.delete(`${zone.id}/`);
    for (const id of zone.entities.keys()) this.#entityVersions.delete(`${zone.id}/${id}`);
    for (const key of zone.persistedKeys) this.#entityVersions.delete(key);
  }

  markPlayer(player: PlayerImpl): void {
    this.#dirtyPlayers.add(player);
  }

  /** The player is no longer this shard's (handed off): nothing more to save here. */
  forgetPlayer(player: PlayerImpl): void {
    this.#dirtyPlayers.delete(player);
  }

  markEntity(entity: Entity): void {
    this.#dirtyEntities.add(entity);
  }

  markZone(zone: ZoneImpl): void {
    this.#dirtyZones.add(zone);
  }

  /** The player is now here (new, or moved): every shard's directory learns it. */
  publish(player: PlayerImpl): void {
    const record: DirectoryRecord = {
      username: player.username,
      zone: player.zone,
      room: player.room ?? null,
      shard: this.#shard,
      roles: player.roles,
      since: player.since,
      gateway: player.gateway,
      conn: player.conn,
    };
    this.#directory.upsert(record);
    this.#upsert.push(record);
  }

  /** The player left the world: its final snapshot, and it leaves every directory. */
  left(player: PlayerImpl): void {
    this.#dirtyPlayers.delete(player);
    player.version++;
    this.#finalSnapshots.push(snapshotOf(player));
    this.#loggedOut.push(player.username);
    this.#directory.remove(player.username, this.#shard);
    this.#remove.push(player.username);
  }

  /** The batch of this tick, or null when nothing changed. */
  take(
    tick: number,
    handoffs: HandoffRecord[],
    forwards: ForwardedInput[],
    messages: ShardMessageRecord[],
  ): StateBatch | null {
    const players = this.#finalSnapshots;
    for (const p of this.#dirtyPlayers) {
      p.version++;
      players.push(snapshotOf(p));
    }
    this.#dirtyPlayers.clear();
    const world = this.#worldRecords();
    if (
      players.length === 0 &&
      world.length === 0 &&
      this.#upsert.length === 0 &&
      this.#remove.length === 0 &&
      handoffs.length === 0 &&
      forwards.length === 0 &&
      messages.length === 0
    ) {
      return null;
    }
    const batch: StateBatch = {
      shard: this.#shard,
      tick,
      players,
      loggedOut: this.#loggedOut,
      world,
      upsert: this.#upsert,
      remove: this.#remove,
      handoffs,
      forwards,
      messages,
    };
    this.#finalSnapshots = [];
    this.#loggedOut = [];
    this.#upsert = [];
    this.#remove = [];
    return batch;
  }

  #worldRecords(): WorldRecord[] {
    const out: WorldRecord[] = [];
    if (this.#dirtyEntities.size > 0) {
      for (const entity of this.#dirtyEntities) {
        for (const zone of this.#zones.values()) {
          if (zone.entities.get(entity.id) === entity) {
            out.push(this.#entityRecord(zone, entity));
            break;
          }
        }
      }
      this.#dirtyEntities = new Set();
    }
    if (this.#dirtyZones.size > 0) {
      for (const zone of this.#dirtyZones) {
        out.push({ key: `${zone.id}/`, version: this.#bump(`${zone.id}/`), data: zone.state });
        const live = new Set<string>();
        for (const entity of zone.entities.values()) {
          live.add(`${zone.id}/${entity.id}`);
          out.push(this.#entityRecord(zone, entity));
        }
        for (const key of zone.persistedKeys) {
          if (!live.has(key)) {
            out.push({ key, version: this.#bump(key), data: null });
            zone.persistedKeys.delete(key);
          }
        }
      }
      this.#dirtyZones = new Set();
    }
    return out;
  }

  #entityRecord(zone: ZoneImpl, entity: Entity): WorldRecord {
    const key = `${zone.id}/${entity.id}`;
    zone.persistedKeys.add(key);
    return {
      key,
      version: this.#bump(key),
      data: { kind: entity.kind, room: entity.room ?? null, data: entity.data as JsonObject },
    };
  }

  #bump(key: string): number {
    const v = (this.#entityVersions.get(key) ?? 0) + 1;
    this.#entityVersions.set(key, v);
    return v;
  }
}

function snapshotOf(p: PlayerImpl): PlayerSnapshot {
  return {
    username: p.username,
    version: p.version,
    data: { zone: p.zone, room: p.room ?? null, state: p.state },
  };
}
