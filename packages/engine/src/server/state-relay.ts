import { compactDirectoryRecord, Interner } from '../ipc/intern.js';
import type { ShardMessageRecord } from '../ipc/shard-message.js';
import type {
  DirectoryRecord,
  HandoffRecord,
  PlayerSnapshot,
  StateBatch,
  WorldRecord,
} from '../ipc/state-batch.js';
import type { Logger } from '../logging/logger.js';
import type { ShardSupervisor } from '../supervisor/shard-supervisor.js';
import type { StateCache } from '../supervisor/state-cache.js';
import type { LoginRegistry } from './login-registry.js';
import type { PersistenceHooks } from './persistence-hooks.js';
import type { ZoneTable } from './zone-table.js';

/**
 * Main's side of the shards' state batches: each feeds the state cache (a restarted shard is
 * rebuilt from it), the directory (relayed to the other shards), the handoffs (relayed to their
 * target shard as `adopt`) and forwarded input, the game's messages between shards (relayed to
 * every other shard, as the directory is), the login registry (a logged-out name is free again)
 * and the store's write-behind.
 */
export class StateRelay {
  readonly directory = new Map<string, DirectoryRecord>();
  readonly #cache: StateCache;
  readonly #logins: LoginRegistry;
  readonly #persistence: PersistenceHooks;
  readonly #zones: ZoneTable;
  readonly #log: Logger;
  readonly #intern = new Interner();
  #supervisor: ShardSupervisor | undefined;
  /** Also told of every state batch (a cluster node's links to other nodes' players). */
  onBatch: ((batch: StateBatch) => void) | undefined;
  /** On a cluster node: handoffs and forwarded input for shards of other nodes go there. */
  remote:
    | {
        isRemote(shard: number): boolean;
        handOff(shard: number, players: HandoffRecord[]): void;
        forward(shard: number, gateway: number, ops: unknown[]): void;
      }
    | undefined;
  /** Other nodes' players, in every shard's directory (a cluster node's). */
  remoteDirectory: (() => DirectoryRecord[]) | undefined;
  /** Players in this node's shards whose names another node holds (connected there). */
  remotePlayers: (() => Iterable<string>) | undefined;

  constructor(
    cache: StateCache,
    logins: LoginRegistry,
    persistence: PersistenceHooks,
    zones: ZoneTable,
    log: Logger,
  ) {
    this.#cache = cache;
    this.#logins = logins;
    this.#persistence = persistence;
    this.#zones = zones;
    this.#log = log;
  }

  /** The shards to relay to (set once they exist). */
  attach(supervisor: ShardSupervisor): void {
    this.#supervisor = supervisor;
  }

  onState(shard: number, batch: StateBatch): void {
    this.#cache.apply(batch);
    for (const name of batch.remove) {
      if (this.directory.get(name)?.shard === shard) this.directory.delete(name);
    }
    // Kept for as long as the player is online: one copy of each zone, room and role set.
    for (const r of batch.upsert) this.directory.set(r.username, compactDirectoryRecord(r, this.#intern));
    if (batch.upsert.length > 0 || batch.remove.length > 0)
      this.#broadcastDirectory(shard, batch.upsert, batch.remove);
    if (batch.handoffs.length > 0) {
      const byShard = new Map<number, HandoffRecord[]>();
      for (const h of batch.handoffs) {
        let list = byShard.get(h.to);
        if (list === undefined) {
          list = [];
          byShard.set(h.to, list);
        }
        list.push(h);
      }
      for (const [to, players] of byShard) {
        if (this.remote?.isRemote(to)) {
          // Off this node: its record now comes from the node it went to.
          for (const p of players)
            if (this.directory.get(p.username)?.shard === shard) this.directory.delete(p.username);
          this.remote.handOff(to, players);
        } else this.#supervisor?.notify(to, 'adopt', players);
      }
    }
    for (const f of batch.forwards) {
      if (this.remote?.isRemote(f.shard)) this.remote.forward(f.shard, f.gateway, f.ops);
      else this.#supervisor?.notify(f.shard, 'forward', { gateway: f.gateway, ops: f.ops });
    }
    if (batch.messages.length > 0) {
      // After the directory: a message about a player who just arrived finds it in the directory.
      // (On a cluster node, onBatch passes them on to the other nodes.)
      this.relayMessages(shard, batch.messages);
    }
    for (const name of batch.loggedOut) this.#logins.release(name);
    this.onBatch?.(batch);
    try {
      this.#persistence.onStateBatch?.(batch);
    } catch (err) {
      this.#log.error({ err }, 'persistence rejected a state batch');
    }
  }

  /**
   * Messages of shard `from` (-1: of another node's) to every other shard of this node that is up:
   * a shard down or restarting misses them (a live channel, not a store).
   */
  relayMessages(from: number, messages: ShardMessageRecord[]): void {
    const supervisor = this.#supervisor;
    if (supervisor === undefined) return;
    for (let s = 0; s < supervisor.count; s++) {
      if (s !== from) supervisor.notify(s, 'shardMessages', messages);
    }
  }

  /** A shard's thread is gone: its players leave the directory until the new one re-admits them. */
  shardDown(shard: number): void {
    const removed: string[] = [];
    for (const [name, record] of this.directory) {
      if (record.shard === shard) {
        this.directory.delete(name);
        removed.push(name);
      }
    }
    this.#broadcastDirectory(-1, [], removed);
  }

  /**
   * What a restarted shard starts from: every online player whose latest state puts them in its
   * zones (the gateways re-join them with this state), its zones' world records, and the directory
   * of the other shards.
   */
  restoreState(shard: number): {
    players: PlayerSnapshot[];
    world: WorldRecord[];
    directory: DirectoryRecord[];
  } {
    const players: PlayerSnapshot[] = [];
    const restore = (username: string): void => {
      const snapshot = this.#cache.player(username);
      if (snapshot !== undefined && this.#zones.shardOf(snapshot.data.zone) === shard) players.push(snapshot);
    };
    for (const username of this.#logins.names()) restore(username);
    for (const username of this.remotePlayers?.() ?? []) restore(username);
    return {
      players,
      world: this.#cache.worldOf(this.zonesOf(shard)),
      directory: [...this.directory.values()]
        .filter((r) => r.shard !== shard)
        .concat(this.remoteDirectory?.() ?? []),
    };
  }

  zonesOf(shard: number): Set<string> {
    return this.#zones.zonesOf(shard);
  }

  #broadcastDirectory(from: number, upsert: DirectoryRecord[], remove: string[]): void {
    const supervisor = this.#supervisor;
    if (supervisor === undefined) return;
    for (let s = 0; s < supervisor.count; s++) {
      if (s !== from) supervisor.notify(s, 'directory', { upsert, remove });
    }
  }
}
