import type { MessagePort } from 'node:worker_threads';
import type { JsonValue } from '@leviathan/protocol';
import type { DirectoryRecord, HandoffRecord, PlayerSnapshot, StateBatch, WorldRecord } from './batches.js';

/**
 * Control messages between main and the workers (rare: startup, handoff relay, directory deltas,
 * metrics, shutdown). Per-player traffic never goes through main.
 */

/** workerData of a shard worker. */
export interface ShardWorkerData {
  readonly kind: 'shard';
  readonly index: number;
  readonly count: number;
  readonly gateways: number;
  readonly tickHz: number;
  readonly game: string;
  readonly gameOptions: JsonValue | undefined;
  readonly zoneMap: Record<string, number>;
  readonly logLevel: string;
  /** The job pool's bounds (EngineConfig.jobs); each shard gets its share of the threads. */
  readonly jobs: { readonly maxThreads: number; readonly maxQueue: number; readonly idleTimeoutMs: number };
  /** Heartbeat shared with main and the gateways (see heartbeat.ts). */
  readonly heartbeat: SharedArrayBuffer;
  /** State to restore after a crash: the latest snapshots of this shard's players and world. */
  readonly restore: { players: PlayerSnapshot[]; world: WorldRecord[] } | null;
  readonly directory: DirectoryRecord[];
}

/** workerData of a gateway worker. */
export interface GatewayWorkerData {
  readonly kind: 'gateway';
  readonly index: number;
  readonly shards: number;
  /** The EngineConfig, structured-cloned. */
  readonly config: unknown;
  readonly heartbeat: SharedArrayBuffer;
  /** Shared counters across gateways (connection count for maxConnections). */
  readonly counters: SharedArrayBuffer;
  /** True when main verifies logins (a verifier object was given in code). */
  readonly verifyInMain: boolean;
  /** True when main's verifier takes registrations (accounts in the store). */
  readonly registrations: boolean;
}

export type MainToShard =
  | { k: 'attach-gateway'; gateway: number; port: MessagePort }
  | { k: 'adopt'; players: HandoffRecord[] }
  | { k: 'forward'; gateway: number; ops: unknown[] }
  | { k: 'directory'; upsert: DirectoryRecord[]; remove: string[] }
  | { k: 'metrics'; id: number }
  | { k: 'drain' }
  | { k: 'stop' };

export type ShardToMain =
  | { k: 'ready' }
  | { k: 'state'; batch: StateBatch }
  | { k: 'metrics'; id: number; data: unknown }
  | { k: 'drained'; batch: StateBatch | null }
  | { k: 'fatal'; message: string; stack?: string }
  /** The game called ctx.requestShutdown. */
  | { k: 'shutdown-request'; reason: string };

export interface LoadedPlayer {
  readonly ok: true;
  readonly zone: string;
  readonly room: string | null;
  readonly shard: number;
  readonly snapshot: PlayerSnapshot | null;
}

export type MainToGateway =
  | { k: 'attach-shard'; shard: number; port: MessagePort; restarted: boolean }
  | { k: 'shard-down'; shard: number }
  | { k: 'login-result'; id: number; result: LoadedPlayer | { ok: false; code: string; message: string } }
  | { k: 'verify-result'; id: number; result: unknown }
  | { k: 'metrics-text'; id: number; text: string }
  | { k: 'collect-metrics'; id: number }
  | { k: 'stop-accepting' }
  | { k: 'kick'; username: string; code: number; reason: string }
  | { k: 'bye'; code: number; reason: string }
  | { k: 'stop' };

export type GatewayToMain =
  | { k: 'listening'; port: number; native: boolean }
  | { k: 'listen-failed'; message: string }
  | { k: 'login'; id: number; username: string; roles: string[] }
  | { k: 'logout'; username: string; joined: boolean }
  | { k: 'verify'; id: number; request: { username: string; token?: string; remoteAddress: string } }
  | { k: 'register'; id: number; request: { username: string; password: string; remoteAddress: string } }
  | { k: 'metrics-request'; id: number }
  | { k: 'metrics'; id: number; data: unknown }
  | { k: 'closed-all' }
  | { k: 'stopped' };
