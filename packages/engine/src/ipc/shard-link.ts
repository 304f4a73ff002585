import type { MessagePort } from 'node:worker_threads';
import type { JsonValue } from '@leviathan/protocol';
import type { ThreadMetricsSnapshot } from '../metrics/aggregate-metrics.js';
import type { ShardMessageRecord } from './shard-message.js';
import type {
  DirectoryRecord,
  HandoffRecord,
  PlayerSnapshot,
  StateBatch,
  WorldRecord,
} from './state-batch.js';
import type { ZoneChange } from './zone-change.js';

/**
 * The control link between main and a shard worker (rpc.ts): startup, the handoff relay,
 * directory deltas, metrics, shutdown. Per-player traffic never goes through main: inputs and
 * outputs travel on a direct port per gateway–shard pair (input-batch.ts, output-batch.ts).
 */

/** workerData of a shard worker. */
export interface ShardWorkerData {
  readonly kind: 'shard';
  readonly index: number;
  readonly count: number;
  readonly gateways: number;
  readonly tickHz: number;
  /** The game module's URL. */
  readonly game: string;
  readonly gameOptions: JsonValue | undefined;
  /** Which shard of this node runs each zone, at the shard's start (ipc/zone-change.ts changes it). */
  readonly zoneMap: Record<string, number>;
  readonly logLevel: string;
  /** The job pool's bounds (EngineConfig.jobs); each shard gets its share of the threads. */
  readonly jobs: { readonly maxThreads: number; readonly maxQueue: number; readonly idleTimeoutMs: number };
  /** Heartbeat shared with main and the gateways (heartbeat.ts). */
  readonly heartbeat: SharedArrayBuffer;
  /** State to start from: the latest snapshots of this shard's players (after a crash) and world. */
  readonly restore: { players: PlayerSnapshot[]; world: WorldRecord[] };
  readonly directory: DirectoryRecord[];
}

/** What a shard serves to main. */
export interface ShardApi {
  readonly calls: {
    /** This thread's metrics, for /metrics. */
    metrics(): ThreadMetricsSnapshot;
    /** Graceful shutdown: run what arrived, every player leaves; the final state batch. */
    drain(): StateBatch | null;
    /**
     * Zones coming, going or moving between this node's shards: answered once applied at a tick,
     * after that tick's state batch (holding an unloaded zone's final state) was sent.
     */
    zones(change: ZoneChange): void;
  };
  readonly notes: {
    /**
     * A gateway's direct port (transferred: output batches go out on it) and the ring its input
     * comes in through (ipc/input-ring.ts).
     */
    attachGateway(arg: { gateway: number; port: MessagePort; ring: SharedArrayBuffer }): void;
    /** Players handed off to this shard by another. */
    adopt(players: HandoffRecord[]): void;
    /** Input for players handed off to this shard, forwarded by the shard they left (flat form). */
    forward(arg: { gateway: number; ops: unknown[] }): void;
    /** Directory changes of the other shards. */
    directory(arg: { upsert: DirectoryRecord[]; remove: string[] }): void;
    /** What other shards told this one (`ctx.tellShards`), in the order they sent it. */
    shardMessages(messages: ShardMessageRecord[]): void;
    /** Stop: close every port; the thread then ends. */
    stop(): void;
  };
}

/** What main serves to a shard. */
export interface MainForShardApi {
  readonly calls: Record<string, never>;
  readonly notes: {
    /** The shard loaded its game and ticks. */
    ready(): void;
    /** This tick's changes. */
    state(batch: StateBatch): void;
    /** The shard failed to start or crashed; it says why before it ends. */
    fatal(arg: { message: string; stack?: string }): void;
    /** The game called ctx.requestShutdown. */
    shutdownRequest(reason: string): void;
  };
}
