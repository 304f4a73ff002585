import type { Redis } from 'ioredis';
import type { InputRecord } from '../ipc/input-batch.js';
import type { OutputBatch } from '../ipc/output-batch.js';
import type { ShardMessageRecord } from '../ipc/shard-message.js';
import type { DirectoryRecord, HandoffRecord } from '../ipc/state-batch.js';
import type { ClusterMetrics } from './cluster-metrics.js';
import { duplicateForSubscribe, subscribeAcrossReconnects, unavailable } from './redis-client.js';

/**
 * What nodes send each other over the bus: a gateway's input for a shard of another node, that
 * shard's output for the gateway, the players who left a node's shards (so that the node holding
 * their connection frees their names), players walking into a zone of another node (their
 * handoff records, and the input forwarded behind them), directory changes and the game's
 * messages between shards.
 */
export type BusMessage =
  | {
      readonly k: 'in';
      readonly from: string;
      /** The sending node's gateway thread. */
      readonly gateway: number;
      /** The receiving node's shard. */
      readonly shard: number;
      readonly records: readonly InputRecord[];
    }
  | {
      readonly k: 'out';
      readonly from: string;
      /** The receiving node's gateway thread. */
      readonly gateway: number;
      /** The sending node's shard. */
      readonly shard: number;
      readonly batch: OutputBatch;
    }
  | { readonly k: 'left'; readonly from: string; readonly names: readonly string[] }
  | {
      readonly k: 'adopt';
      readonly from: string;
      /** The receiving node's shard. */
      readonly shard: number;
      readonly players: readonly NodeHandoff[];
    }
  | {
      readonly k: 'forward';
      readonly from: string;
      /** The receiving node's shard. */
      readonly shard: number;
      /** The gateway the input came from: which node's, and its index there. */
      readonly gatewayNode: string;
      readonly gateway: number;
      readonly ops: unknown[];
    }
  /** Directory changes of the sending node's shards (who is online there, and where). */
  | {
      readonly k: 'directory';
      readonly from: string;
      readonly upsert: readonly NodeDirectoryRecord[];
      readonly remove: readonly string[];
    }
  /** Players who logged in on the sending node, whose names the receiving node has: close them. */
  | { readonly k: 'kick'; readonly from: string; readonly names: readonly string[] }
  /** Players handed to a node that no longer runs their zone, sent back to the node they left. */
  | { readonly k: 'bounce'; readonly from: string; readonly players: readonly NodeHandoff[] }
  /** What the sending node's shards told every shard (`ctx.tellShards`), `from` that node's index. */
  | { readonly k: 'shard-messages'; readonly from: string; readonly messages: readonly ShardMessageRecord[] };

/** A directory record of the sending node, its gateway named by node (the index is that node's). */
export interface NodeDirectoryRecord extends DirectoryRecord {
  readonly gatewayNode: string;
}

/**
 * A player handed to a shard of another node: the handoff record, its gateway named by node (the
 * index is that node's), and the store's version of the player once the sending node saved it.
 */
export interface NodeHandoff extends HandoffRecord {
  readonly gatewayNode: string;
  readonly storedVersion?: number;
}

export interface NodeBusOptions {
  /** The node's Redis connection: the bus opens two of its own from it (publishing, subscribed). */
  readonly redis: Redis;
  readonly cluster: string;
  readonly node: string;
  readonly onMessage: (message: BusMessage) => void;
  readonly onError: (error: unknown) => void;
  readonly metrics?: Pick<ClusterMetrics, 'busBytes' | 'busMessages'> | undefined;
}

/**
 * The nodes' per-tick traffic, over Redis pub/sub: each node subscribes to its own channel
 * (`lev:<cluster>:bus:<node>`) and publishes to the others'. Messages of one node to another
 * arrive in the order they were sent (one publishing connection, one subscribed one); a message
 * to a node that is not subscribed (dead, cut off) is lost, as its players' connections are.
 *
 * Two connections of its own, not the node's: a burst of batches must not queue behind, or ahead
 * of, the lease renewals that keep the node's zones.
 */
export class NodeBus {
  readonly #options: NodeBusOptions;
  readonly #publisher: Redis;
  readonly #subscriber: Redis;

  private constructor(options: NodeBusOptions, publisher: Redis, subscriber: Redis) {
    this.#options = options;
    this.#publisher = publisher;
    this.#subscriber = subscriber;
  }

  static async open(options: NodeBusOptions): Promise<NodeBus> {
    const publisher = options.redis.duplicate();
    publisher.on('error', () => {});
    const subscriber = duplicateForSubscribe(options.redis);
    const bus = new NodeBus(options, publisher, subscriber);
    subscriber.on('messageBuffer', (_channel: Buffer, data: Buffer) => bus.#receive(data));
    try {
      if (publisher.status === 'wait') await publisher.connect();
      await subscribeAcrossReconnects(subscriber, channelOf(options.cluster, options.node));
    } catch (error) {
      bus.close();
      throw unavailable('open the cluster bus', error);
    }
    return bus;
  }

  /** Sends `message` to `node`; a failure (Redis down) is reported, and the message is lost. */
  send(node: string, message: BusMessage): void {
    const text = JSON.stringify(message);
    this.#options.metrics?.busMessages.inc({ direction: 'out' });
    this.#options.metrics?.busBytes.inc({ direction: 'out' }, Buffer.byteLength(text));
    this.#publisher.publish(channelOf(this.#options.cluster, node), text).catch(this.#options.onError);
  }

  close(): void {
    this.#publisher.disconnect();
    this.#subscriber.disconnect();
  }

  #receive(data: Buffer): void {
    this.#options.metrics?.busMessages.inc({ direction: 'in' });
    this.#options.metrics?.busBytes.inc({ direction: 'in' }, data.length);
    let message: BusMessage;
    try {
      message = JSON.parse(data.toString()) as BusMessage;
    } catch (error) {
      this.#options.onError(error);
      return;
    }
    this.#options.onMessage(message);
  }
}

function channelOf(cluster: string, node: string): string {
  return `lev:${cluster}:bus:${node}`;
}
