import { MessageChannel, type MessagePort, type Transferable } from 'node:worker_threads';
import { ErrorCode, type ErrorMessage, encodeMessage } from '@leviathan/protocol';
import { OVERLOADED, ShardInput } from '../gateway/input-router.js';
import { InputOp, type InputRecord } from '../ipc/input-batch.js';
import { createInputRing } from '../ipc/input-ring.js';
import { Outbox, type OutputBatch } from '../ipc/output-batch.js';
import type { StateBatch } from '../ipc/state-batch.js';
import type { Logger } from '../logging/logger.js';
import type { BusMessage } from './node-bus.js';

export interface RemoteGatewaysOptions {
  readonly node: string;
  /** This node's own gateway threads: remote gateways are numbered from here. */
  readonly localGateways: number;
  /** This node's shards. */
  readonly localShards: number;
  readonly inputRingBytes: number;
  /** Attaches a gateway's port and ring to a shard of this node (false: the shard is down). */
  readonly attach: (
    shard: number,
    arg: { gateway: number; port: MessagePort; ring: SharedArrayBuffer },
    transfer: readonly Transferable[],
  ) => boolean;
  readonly send: (node: string, message: BusMessage) => void;
  /**
   * A player of another node's gateway joins with the state that node loaded: this node's
   * write-behind must know its stored version to save it.
   */
  readonly joined: (username: string, storedVersion: number) => void;
  /** Saves what is pending of a player who left (before its node is told, and frees its name). */
  readonly settle: (username: string) => Promise<unknown>;
  readonly log: Logger;
}

interface Pair {
  readonly input: ShardInput;
  readonly port: MessagePort;
}

interface RemoteGateway {
  readonly node: string;
  readonly gateway: number;
  /** Per shard of this node: its input ring (written here) and output port (read here). */
  readonly pairs: Map<number, Pair>;
  /** The players connected through it, by connection. */
  readonly players: Map<number, string>;
}

/**
 * The gateway threads of other nodes, as this node's shards see them: each is one more gateway
 * index after the node's own, attached to a shard like a local gateway (a ring the shard reads its
 * input from at each tick, a port its output goes out on) the first time it sends that shard
 * input. Main plays that gateway's part: it writes the input the node sent over the bus into the
 * rings, and sends the shards' output batches back to the node. So a player connected to another
 * node plays in this node's zones with the same per-tick batches as a local one.
 */
export class RemoteGateways {
  readonly #o: RemoteGatewaysOptions;
  readonly #gateways: RemoteGateway[] = [];
  readonly #byKey = new Map<string, number>();

  constructor(options: RemoteGatewaysOptions) {
    this.#o = options;
  }

  /** Input that gateway `gateway` of `from` sent for shard `shard` of this node. */
  input(from: string, gateway: number, shard: number, records: readonly InputRecord[]): void {
    const index = this.#indexOf(from, gateway);
    const remote = this.#gateways[index - this.#o.localGateways]!;
    const pair = remote.pairs.get(shard) ?? this.#attach(remote, index, shard);
    if (pair === undefined) {
      this.#o.log.warn({ node: from, shard }, 'input from another node for a shard that is down; dropped');
      return;
    }
    const refused: InputRecord[] = [];
    for (const r of records) {
      if (r.op === InputOp.Join) {
        remote.players.set(r.conn, r.username);
        if (r.snapshot !== null) this.#o.joined(r.username, r.snapshot.version);
      }
      if (!pair.input.write(r)) refused.push(r);
    }
    if (refused.length > 0) this.#refuse(remote, shard, refused);
  }

  /**
   * The shard is far behind and refused these commands: each player is answered as a local
   * gateway answers what its router refuses, in an output batch to the player's node, so the
   * answer comes in order with the shard's own output.
   */
  #refuse(remote: RemoteGateway, shard: number, refused: readonly InputRecord[]): void {
    this.#o.log.warn(
      { node: remote.node, shard, refused: refused.length },
      'a shard behind on its input refused commands of another node; they were answered',
    );
    const outbox = new Outbox();
    for (const r of refused) {
      if (r.op !== InputOp.Command && r.op !== InputOp.Action) continue;
      const error: ErrorMessage = { type: 'error', code: ErrorCode.ShardUnavailable, message: OVERLOADED };
      if (r.id !== null) error.re = r.id;
      outbox.send(r.conn, outbox.addString(encodeMessage(error)), 0);
    }
    const batch = outbox.take(shard);
    this.#o.send(remote.node, { k: 'out', from: this.#o.node, gateway: remote.gateway, shard, batch });
  }

  /**
   * A state batch of this node's shards: the players of other nodes' gateways who left are told to
   * their nodes, which free their names, once their last state is saved (a login elsewhere then
   * loads it).
   */
  stateBatch(batch: StateBatch): void {
    if (batch.loggedOut.length === 0 || this.#gateways.length === 0) return;
    const left = new Set(batch.loggedOut);
    for (const remote of this.#gateways) {
      const names: string[] = [];
      for (const [conn, name] of remote.players) {
        if (!left.has(name)) continue;
        names.push(name);
        remote.players.delete(conn);
      }
      if (names.length === 0) continue;
      const told = (): void => this.#o.send(remote.node, { k: 'left', from: this.#o.node, names });
      void Promise.all(names.map((name) => this.#o.settle(name).catch(() => undefined))).then(told);
    }
  }

  /** Where gateway index `index` of this node is: one of its own, or another node's. */
  ownerOf(index: number): { node: string; gateway: number } {
    const remote = this.#gateways[index - this.#o.localGateways];
    return remote === undefined
      ? { node: this.#o.node, gateway: index }
      : { node: remote.node, gateway: remote.gateway };
  }

  /**
   * The index gateway `gateway` of `node` has here, attached to `shard` (a player of that gateway
   * comes into the shard by a handoff); undefined when the shard is down.
   */
  indexFor(node: string, gateway: number, shard: number): number | undefined {
    if (node === this.#o.node) return gateway;
    const index = this.#indexOf(node, gateway);
    const remote = this.#gateways[index - this.#o.localGateways]!;
    return remote.pairs.has(shard) || this.#attach(remote, index, shard) !== undefined ? index : undefined;
  }

  /**
   * The index gateway `gateway` of `node` has here, attached to every shard of this node that is up
   * (a shard may send it a message for one of its players: a `tell`, a `shout`).
   */
  indexForAll(node: string, gateway: number): number | undefined {
    if (node === this.#o.node) return gateway;
    const index = this.#indexOf(node, gateway);
    const remote = this.#gateways[index - this.#o.localGateways]!;
    for (let shard = 0; shard < this.#o.localShards; shard++)
      if (!remote.pairs.has(shard)) this.#attach(remote, index, shard);
    return index;
  }

  /** A player of another node's gateway came into this node's shards (`true`) or left them. */
  follow(index: number, conn: number, username: string, here: boolean): void {
    const remote = this.#gateways[index - this.#o.localGateways];
    if (remote === undefined) return;
    if (here) remote.players.set(conn, username);
    else remote.players.delete(conn);
  }

  /** The players of other nodes' gateways in this node's shards. */
  *names(): IterableIterator<string> {
    for (const remote of this.#gateways) yield* remote.players.values();
  }

  /** A shard of this node died: its rings and ports are gone, attached again at the next input. */
  shardDown(shard: number): void {
    for (const remote of this.#gateways) {
      remote.pairs.get(shard)?.port.close();
      remote.pairs.delete(shard);
    }
  }

  /**
   * The nodes up changed: the players of a node that is gone leave this node's shards (as if their
   * connections closed), with their final state saved.
   */
  nodesChanged(up: ReadonlySet<string>): void {
    for (const remote of this.#gateways) {
      if (up.has(remote.node) || remote.players.size === 0) continue;
      this.#o.log.warn(
        { node: remote.node, players: remote.players.size },
        `node ${remote.node} is gone: its players leave this node's zones`,
      );
      // Each shard ignores a leave for a connection it does not have.
      for (const pair of remote.pairs.values())
        for (const conn of remote.players.keys()) pair.input.leave(conn, 'node down');
      remote.players.clear();
    }
  }

  close(): void {
    for (const remote of this.#gateways) for (const pair of remote.pairs.values()) pair.port.close();
  }

  #indexOf(node: string, gateway: number): number {
    const key = `${gateway}@${node}`;
    const known = this.#byKey.get(key);
    if (known !== undefined) return known;
    const index = this.#o.localGateways + this.#gateways.length;
    this.#gateways.push({ node, gateway, pairs: new Map(), players: new Map() });
    this.#byKey.set(key, index);
    return index;
  }

  #attach(remote: RemoteGateway, index: number, shard: number): Pair | undefined {
    const { port1, port2 } = new MessageChannel();
    const ring = createInputRing(this.#o.inputRingBytes);
    if (!this.#o.attach(shard, { gateway: index, port: port2, ring }, [port2])) {
      port1.close();
      return undefined;
    }
    const pair: Pair = { input: new ShardInput(ring), port: port1 };
    port1.on('message', (batch: OutputBatch) => {
      // The shard read its ring at the start of this tick: room for what waits.
      if (pair.input.waiting > 0) pair.input.pump();
      this.#o.send(remote.node, { k: 'out', from: this.#o.node, gateway: remote.gateway, shard, batch });
    });
    remote.pairs.set(shard, pair);
    return pair;
  }
}
