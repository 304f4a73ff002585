import type { EngineConfig } from '../config/engine-config.js';
import type { LoginRequest, LoginResult, ResumeResult } from '../ipc/gateway-link.js';
import type { Heartbeat } from '../ipc/heartbeat.js';
import type { Logger } from '../logging/logger.js';
import type { Connection } from './connection.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { InputRouter } from './input-router.js';
import type { SocketWriter } from './socket-writer.js';

/** What the gateway asks of main (the worker wires these to the control link). */
export interface GatewayHost {
  /** Reserves the username across every gateway and loads the player's location and state. */
  login(request: LoginRequest): Promise<LoginResult>;
  /** A resume token presented on connection `conn` (main keeps the tokens of every gateway). */
  resume(username: string, token: string, conn: number): Promise<ResumeResult>;
  /** The connection of a player who was logged in (or reserved) is gone. */
  logout(username: string, joined: boolean): void;
  /** Aggregated metrics text of every thread. */
  metricsText(): Promise<string>;
  /** The dashboard's latest snapshot as JSON (main samples it; config `dashboard.enabled`). */
  dashboardSnapshot(): Promise<string>;
}

/** The state a gateway thread's parts share: its connections and how to reach shards and main. */
export interface GatewayContext {
  readonly index: number;
  readonly config: EngineConfig;
  readonly metrics: GatewayMetrics;
  readonly log: Logger;
  readonly heartbeat: Heartbeat;
  readonly host: GatewayHost;
  /** Open (and held) connections by id. */
  readonly conns: Map<number, Connection>;
  /** The connection (open or held) of each player logged in through this gateway. */
  readonly players: Map<string, Connection>;
  readonly router: InputRouter;
  readonly writer: SocketWriter;
}
