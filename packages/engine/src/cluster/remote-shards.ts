import type { MessagePort } from 'node:worker_threads';
import { InputOp } from '../ipc/input-batch.js';
import { InputRingReader } from '../ipc/input-ring.js';
import type { OutputBatch } from '../ipc/output-batch.js';
import { ZONE_MOVED_CODE, ZONE_NODE_GONE_REASON } from '../ipc/zone-moved.js';
import type { Logger } from '../logging/logger.js';
import type { BusMessage } from './node-bus.js';

/**
 * How often main reads the gateways' input for shards of other nodes, in ms: a quarter of the tick
 * interval, between 2 and 25 ms. The remote shard runs that input at its next tick anyway, so
 * reading more often buys little latency and costs a bus message per read, on both nodes and in
 * Redis. Measured with the load of the cluster suite of `pnpm bench` (benchmarks/src/cluster/:
 * 1,000 commands/s at 10 Hz on the 2-core VM, both nodes' CPU per command, remote against local in
 * the same run): every 2 ms, 1.7–2.5x and 1.8 ms more round trip than a local command; every
 * 10 ms, 1.2–1.5x on a busy machine but 1.46–1.92x (median 1.79) on a quiet one, whose local
 * commands cost half as much, and a p99 7 ms above local; every 25 ms, 1.46–1.52x (3 runs) and a
 * p99 about 15 ms above local, against a tick of 100 ms. Tied to the tick so that a faster game (60 Hz: 4 ms)
 * still gets its input within a quarter of a tick.
 */
export function remotePollMs(tickHz: number): number {
  return Math.min(25, Math.max(2, 1000 / tickHz / 4));
}

export interface RemoteShardsOptions {
  /** This node's name (what the other nodes call it on the bus). */
  readonly node: string;
  /** This node's own shards: remote shards are numbered from here. */
  readonly localShards: number;
  /** How often to read the gateways' input for remote shards, in ms (`remotePollMs`). */
  readonly pollMs: number;
  /** The gateway pool: wires a (remote) shard to every gateway; kicks a player. */
  readonly gateways: {
    connectShard(shard: number, restarted: boolean): void;
    kick(username: string, code: number, reason: string): void;
  };
  readonly send: (node: string, message: BusMessage) => void;
  /** A player who left a remote shard: its name is free here. */
  readonly released: (username: string) => void;
  readonly log: Logger;
}

interface RemoteShard {
  readonly node: string;
  readonly shard: number;
  /** Per gateway thread: the port its output goes out on, and the ring its input comes in by. */
  readonly pairs: Array<{ port: MessagePort; ring: InputRingReader } | undefined>;
}

/** The players of this node's gateways in a node's shards, by name: disconnected if it dies. */
type NodePlayers = Set<string>;

/**
 * The shards of other nodes, as this node's gateways see them: each is one more shard index after
 * the node's own, wired to every gateway thread like a local shard (a port for its output, a ring
 * for its input), so that a gateway serves a player whose zone runs on another node exactly as it
 * serves a local one. Main plays that shard's part: it reads the rings every few ms and sends
 * what it reads over the bus to the node, and hands the node's output batches to the gateways,
 * numbering the node's shards (in routes) as this node knows them.
 */
export class RemoteShards {
  readonly #o: RemoteShardsOptions;
  readonly #shards: RemoteShard[] = [];
  readonly #byKey = new Map<string, number>();
  readonly #players = new Map<string, NodePlayers>();
  #timer: NodeJS.Timeout | undefined;

  constructor(options: RemoteShardsOptions) {
    this.#o = options;
  }

  /** How many remote shards this node's gateways know (their indexes follow the local ones). */
  get count(): number {
    return this.#shards.length;
  }

  /** Whether `shard` is a remote shard's index. */
  isRemote(shard: number): boolean {
    return shard >= this.#o.localShards;
  }

  /** The index this node's gateways know shard `shard` of `node` by; wired on first use. */
  indexOf(node: string, shard: number): number {
    const key = `${shard}@${node}`;
    const known = this.#byKey.get(key);
    if (known !== undefined) return known;
    const index = this.#o.localShards + this.#shards.length;
    this.#shards.push({ node, shard, pairs: [] });
    this.#byKey.set(key, index);
    this.#o.gateways.connectShard(index, false);
    this.#timer ??= setInterval(() => this.#poll(), this.#o.pollMs);
    this.#timer.unref();
    return index;
  }

  /** Gateway `gateway`'s port and ring for remote shard `index` (GatewayPool's attachToShard). */
  attach(index: number, gateway: number, port: MessagePort, ring: SharedArrayBuffer): boolean {
    const remote = this.#shards[index - this.#o.localShards];
    if (remote === undefined) return false;
    remote.pairs[gateway]?.port.close();
    remote.pairs[gateway] = { port, ring: new InputRingReader(ring) };
    return true;
  }

  /** An output batch of a shard of `from` for this node's gateway `gateway`. */
  output(from: string, gateway: number, shard: number, batch: OutputBatch): void {
    const index = this.#byKey.get(`${shard}@${from}`);
    if (index === undefined) return;
    const remote = this.#shards[index - this.#o.localShards]!;
    const routes = batch.routes;
    for (let i = 1; i < routes.length; i += 2) {
      const to = routes[i]!;
      // A handoff between that node's shards: the gateway must know the new one by its index here.
      if (to >= 0) routes[i] = this.indexOf(from, to);
    }
    remote.pairs[gateway]?.port.postMessage({ ...batch, shard: index } satisfies OutputBatch);
  }

  /** Where remote shard `index` is: its node, and its index there. */
  locationOf(index: number): { node: string; shard: number } | undefined {
    const remote = this.#shards[index - this.#o.localShards];
    return remote === undefined ? undefined : { node: remote.node, shard: remote.shard };
  }

  /**
   * A player of this node's gateways went into a shard of `node` (`true`) or came back here. A
   * player is in one node's shards at a time: going to one takes it off the others' lists, so that
   * a node it left does not take it along when that node goes.
   */
  follow(node: string, username: string, there: boolean): void {
    let players = this.#players.get(node);
    if (players === undefined) {
      players = new Set();
      this.#players.set(node, players);
    }
    if (!there) {
      players.delete(username);
      return;
    }
    for (const [other, set] of this.#players) if (other !== node) set.delete(username);
    players.add(username);
  }

  /**
   * Players who left shards of `from`: their names are free here, unless a player has gone on to
   * another node's shard since (its zone moved and it was carried there before this word came).
   */
  left(from: string, names: readonly string[]): void {
    const players = this.#players.get(from);
    for (const name of names) {
      const wasThere = players?.delete(name) === true;
      if (wasThere || !this.#followedElsewhere(from, name)) this.#o.released(name);
    }
  }

  #followedElsewhere(from: string, name: string): boolean {
    for (const [node, set] of this.#players) if (node !== from && set.has(name)) return true;
    return false;
  }

  /**
   * The nodes up changed: the shards of a node that is gone are down, and their players are
   * let go with a zone-move kick: their gateways carry them to where their zones run next (from the
   * last saved state), or disconnect them with 1013.
   */
  nodesChanged(up: ReadonlySet<string>): void {
    for (const [node, players] of this.#players) {
      if (up.has(node) || players.size === 0) continue;
      this.#o.log.warn(
        { node, players: players.size },
        `node ${node} is gone: its players here are disconnected`,
      );
      for (const name of players) {
        this.#o.gateways.kick(name, ZONE_MOVED_CODE, ZONE_NODE_GONE_REASON);
        this.#o.released(name);
      }
      players.clear();
    }
  }

  close(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    for (const remote of this.#shards) for (const pair of remote.pairs) pair?.port.close();
  }

  #poll(): void {
    for (const remote of this.#shards) {
      for (let g = 0; g < remote.pairs.length; g++) {
        const pair = remote.pairs[g];
        if (pair === undefined) continue;
        const records = pair.ring.take();
        if (records.length === 0) continue;
        for (const r of records) if (r.op === InputOp.Join) this.follow(remote.node, r.username, true);
        this.#o.send(remote.node, { k: 'in', from: this.#o.node, gateway: g, shard: remote.shard, records });
      }
    }
  }
}
