import type { EventEmitter } from 'node:events';
import type { AuthVerifier } from '../auth/auth-verifier.js';
import type { EngineConfig, EngineConfigInput } from '../config/engine-config.js';
import type { RunningService } from '../game/service.js';
import type { Logger } from '../logging/logger.js';
import type { PersistenceHooks } from './persistence-hooks.js';

export interface CreateServerOptions extends EngineConfigInput {
  /** A verifier object (mode `custom`); logins are then verified on the main thread. */
  verifier?: AuthVerifier;
  /** The store's hooks (write-behind, loading). */
  persistence?: PersistenceHooks;
  /** A logger; by default one at `log.level` on stdout. */
  logger?: Logger;
  /**
   * Handle SIGTERM and SIGINT (shut down gracefully) and SIGUSR2 (drain, then shut down), then exit
   * the process (0, or 1 past the deadline). Off when embedding; the CLI and `pnpm start` turn it on.
   * @default false
   */
  handleSignals?: boolean;
}

export type ServerEvent =
  | 'listening'
  | 'ready'
  | 'shard-down'
  | 'shard-restart'
  | 'shard-gave-up'
  | 'gateway-down'
  | 'gateway-restart'
  | 'shutdown-requested'
  | 'draining'
  | 'closing'
  | 'closed';

export interface LeviathanServer {
  /** Starts every thread and listens; resolves with the port (useful with port 0). */
  listen(): Promise<{ port: number }>;
  /**
   * Graceful shutdown: bye to every client, shards drained, state flushed, threads stopped. Always
   * settles within `shutdownDeadlineMs` (threads that do not stop by then are terminated).
   */
  close(): Promise<void>;
  /**
   * A cluster node's drain, then `close`: no new logins here, every zone handed to the other nodes
   * (saved first), and the players of this node told to resume on another one. Not in a cluster:
   * the same as `close`. What `leviathan drain` and SIGUSR2 do.
   */
  drain(): Promise<void>;
  /** The listening port (0 before listen). */
  readonly port: number;
  /** The game's running services by name (GameDefinition.services), after listen. */
  readonly services: ReadonlyMap<string, RunningService>;
  readonly config: EngineConfig;
  /**
   * `listening` (= `ready`), `shard-down`, `shard-restart`, `shard-gave-up`, `gateway-down`,
   * `gateway-restart`, `shutdown-requested`, `draining`, `closing`, `closed`.
   */
  readonly events: EventEmitter;
  on(event: ServerEvent, listener: (...args: unknown[]) => void): LeviathanServer;
  /** Prometheus text of every thread, as `/metrics` serves it. */
  metrics(): Promise<string>;
  /** Kills a shard worker as a crash would (the supervisor restarts it). For tests and drills. */
  killShard(shard: number): Promise<void>;
  /**
   * Fails a gateway thread as an uncaught error in it would: it closes its sockets (its clients
   * see a dropped connection) and ends, and is restarted on the same port; its players are held
   * for `sessions.graceMs` and resume with their token. Resolves once the thread has ended. For
   * tests and drills.
   */
  killGateway(gateway: number): Promise<void>;
}
