import type { MessagePort, Transferable } from 'node:worker_threads';
import { nodeNameOf } from '../cluster/cluster-node.js';
import type { BusMessage } from '../cluster/node-bus.js';
import { RemoteGateways } from '../cluster/remote-gateways.js';
import { RemoteShards } from '../cluster/remote-shards.js';
import type { ZoneDirectory } from '../cluster/zone-directory.js';
import type { EngineConfig } from '../config/engine-config.js';
import type { StateBatch } from '../ipc/state-batch.js';
import type { Logger } from '../logging/logger.js';

export interface ClusterLinksOptions {
  readonly config: EngineConfig;
  readonly gatewayThreads: number;
  readonly gateways: () => {
    connectShard(shard: number, restarted: boolean): void;
    shardDown(shard: number): void;
    kick(username: string, code: number, reason: string): void;
  };
  /** Attaches another node's gateway to a shard of this node (false: the shard is down). */
  readonly attachGateway: (
    shard: number,
    arg: { gateway: number; port: MessagePort; ring: SharedArrayBuffer },
    transfer: readonly Transferable[],
  ) => boolean;
  /** Another node's player joins here with the state that node loaded (RemoteGateways.joined). */
  readonly joined: (username: string, storedVersion: number) => void;
  /** A player of a remote shard left: its name is free on this node. */
  readonly released: (username: string) => void;
  readonly log: Logger;
}

/**
 * A cluster node's links to the others' players and zones: its gateways reach the shards of other
 * nodes as remote shards (cluster/remote-shards.ts), and other nodes' gateways reach its shards as
 * remote gateways (cluster/remote-gateways.ts), both over the bus. Created with the threads, and
 * connected once the node has joined the cluster (`connect`).
 */
export class ClusterLinks {
  readonly node: string;
  readonly shards: RemoteShards;
  readonly gateways: RemoteGateways;
  #send: ((node: string, message: BusMessage) => void) | undefined;
  #directory: Pick<ZoneDirectory, 'lookup'> | undefined;
  #nodesUp: ReadonlySet<string> = new Set();

  constructor(options: ClusterLinksOptions) {
    const { config, log } = options;
    this.node = nodeNameOf(config.cluster);
    const send = (node: string, message: BusMessage): void => this.#send?.(node, message);
    this.shards = new RemoteShards({
      node: this.node,
      localShards: config.shards,
      gateways: {
        connectShard: (shard, restarted) => options.gateways().connectShard(shard, restarted),
        shardDown: (shard) => options.gateways().shardDown(shard),
        kick: (username, code, reason) => options.gateways().kick(username, code, reason),
      },
      send,
      released: options.released,
      log,
    });
    this.gateways = new RemoteGateways({
      node: this.node,
      localGateways: options.gatewayThreads,
      inputRingBytes: config.inputRingBytes,
      attach: options.attachGateway,
      send,
      joined: options.joined,
      log,
    });
  }

  /** The node joined: messages go out on its bus; zones are looked up in its directory. */
  connect(send: (node: string, message: BusMessage) => void, directory: Pick<ZoneDirectory, 'lookup'>): void {
    this.#send = send;
    this.#directory = directory;
  }

  /** A message from another node. */
  receive(message: BusMessage): void {
    if (message.k === 'in')
      this.gateways.input(message.from, message.gateway, message.shard, message.records);
    else if (message.k === 'out')
      this.shards.output(message.from, message.gateway, message.shard, message.batch);
    else this.shards.left(message.from, message.names);
  }

  nodesChanged(nodes: ReadonlySet<string>): void {
    this.#nodesUp = nodes;
    this.shards.nodesChanged(nodes);
    this.gateways.nodesChanged(nodes);
  }

  stateBatch(batch: StateBatch): void {
    this.gateways.stateBatch(batch);
  }

  /**
   * The shard index this node's gateways reach `zone` by when another node that is up runs it; else
   * undefined (nobody runs it now, or it is moving).
   */
  async locate(zone: string): Promise<number | undefined> {
    const at = await this.#directory?.lookup(zone);
    if (at === undefined || at.node === this.node || !this.#nodesUp.has(at.node)) return undefined;
    return this.shards.indexOf(at.node, at.shard);
  }

  close(): void {
    this.shards.close();
    this.gateways.close();
  }
}
