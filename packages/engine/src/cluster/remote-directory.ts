import type { DirectoryRecord } from '../ipc/state-batch.js';
import type { Logger } from '../logging/logger.js';
import type { BusMessage, NodeDirectoryRecord } from './node-bus.js';
import type { RemoteGateways } from './remote-gateways.js';
import type { RemoteShards } from './remote-shards.js';

export interface RemoteDirectoryOptions {
  readonly node: string;
  readonly shards: RemoteShards;
  readonly gateways: RemoteGateways;
  readonly send: (node: string, message: BusMessage) => void;
  /** Players in this node's shards (main's directory): what the others are told about. */
  readonly local: () => Iterable<DirectoryRecord>;
  /** Whether a player is in one of this node's shards now (its own record wins). */
  readonly isLocal: (username: string) => boolean;
  /** Tells every shard of this node directory changes (as main relays between its own shards). */
  readonly relay: (upsert: DirectoryRecord[], remove: string[]) => void;
  readonly log: Logger;
}

/**
 * The players of the other nodes, in this node's directory: what makes `who`, `tell`, `shout` and
 * messages to a zone reach the whole cluster. Each node sends the others the directory changes of
 * its shards (as main relays them between its own shards), each record's gateway named by node;
 * a receiving node numbers them as its own remote gateways and shards, so that a shard sends a
 * message to another node's player as to one of its gateways. A node that joins is sent the whole
 * directory; a node that goes away takes its players with it.
 */
export class RemoteDirectory {
  readonly #o: RemoteDirectoryOptions;
  /** Other nodes' players, as this node's shards know them, and the node each came from. */
  readonly #records = new Map<string, { record: DirectoryRecord; from: string }>();
  #nodesUp: ReadonlySet<string> = new Set();

  constructor(options: RemoteDirectoryOptions) {
    this.#o = options;
  }

  /** Other nodes' players, for a shard that (re)starts. */
  records(): DirectoryRecord[] {
    return [...this.#records.values()].map((r) => r.record);
  }

  /** Directory changes of this node's shards: told to every other node up. */
  changed(upsert: readonly DirectoryRecord[], remove: readonly string[]): void {
    if (upsert.length === 0 && remove.length === 0) return;
    const message: BusMessage = {
      k: 'directory',
      from: this.#o.node,
      upsert: upsert.map((r) => this.#wire(r)),
      remove,
    };
    for (const node of this.#nodesUp) if (node !== this.#o.node) this.#o.send(node, message);
  }

  /** Directory changes of another node's shards. */
  received(from: string, upsert: readonly NodeDirectoryRecord[], remove: readonly string[]): void {
    const up: DirectoryRecord[] = [];
    const gone: string[] = [];
    for (const name of remove) {
      if (this.#records.get(name)?.from !== from) continue;
      this.#records.delete(name);
      if (!this.#o.isLocal(name)) gone.push(name);
    }
    for (const wire of upsert) {
      if (this.#o.isLocal(wire.username)) continue;
      const gateway = this.#o.gateways.indexForAll(wire.gatewayNode, wire.gateway);
      if (gateway === undefined) continue;
      const { gatewayNode: _node, ...rest } = wire;
      const record: DirectoryRecord = { ...rest, gateway, shard: this.#o.shards.indexOf(from, wire.shard) };
      this.#records.set(record.username, { record, from });
      up.push(record);
    }
    if (up.length > 0 || gone.length > 0) this.#o.relay(up, gone);
  }

  /** The nodes up changed: a new node gets this node's players; a node gone takes its own away. */
  nodesChanged(nodes: ReadonlySet<string>): void {
    const joined = [...nodes].filter((n) => n !== this.#o.node && !this.#nodesUp.has(n));
    this.#nodesUp = nodes;
    if (joined.length > 0) {
      const upsert = [...this.#o.local()].map((r) => this.#wire(r));
      if (upsert.length > 0)
        for (const node of joined)
          this.#o.send(node, { k: 'directory', from: this.#o.node, upsert, remove: [] });
    }
    const gone: string[] = [];
    for (const [name, { from }] of this.#records) {
      if (nodes.has(from)) continue;
      this.#records.delete(name);
      gone.push(name);
    }
    if (gone.length > 0) this.#o.relay([], gone);
  }

  /** A record of this node's shards, its gateway named by node. */
  #wire(record: DirectoryRecord): NodeDirectoryRecord {
    const owner = this.#o.gateways.ownerOf(record.gateway);
    return { ...record, gateway: owner.gateway, gatewayNode: owner.node };
  }
}
