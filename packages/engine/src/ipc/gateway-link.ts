import type { MessagePort } from 'node:worker_threads';
import type { AuthResult } from '../auth/auth-verifier.js';
import type { ThreadMetricsSnapshot } from '../metrics/aggregate-metrics.js';
import type { PlayerSnapshot } from './state-batch.js';

/**
 * The control link between main and a gateway worker (rpc.ts): listening, logins (main keeps who
 * is in play across every gateway), verification where main holds the verifier, metrics, kicks,
 * shutdown. Per-player input and output travel on direct ports to the shards.
 */

/** workerData of a gateway worker. */
export interface GatewayWorkerData {
  readonly kind: 'gateway';
  readonly index: number;
  readonly shards: number;
  /** The EngineConfig, structured-cloned. */
  readonly config: unknown;
  readonly heartbeat: SharedArrayBuffer;
  /** Shared counters across gateways (Int32 slot 0: open connections, for maxConnections). */
  readonly counters: SharedArrayBuffer;
  /** True when main verifies logins (a verifier object was given in code). */
  readonly verifyInMain: boolean;
  /** True when main's verifier takes registrations (accounts in the store). */
  readonly registrations: boolean;
}

/** Where a player who logged in plays, and its saved state. */
export interface LoadedPlayer {
  readonly ok: true;
  readonly zone: string;
  readonly room: string | null;
  readonly shard: number;
  readonly snapshot: PlayerSnapshot | null;
}

export type LoginResult =
  | LoadedPlayer
  | { readonly ok: false; readonly code: string; readonly message: string };

/** A login or registration request as the gateway forwards it to main's verifier. */
export interface VerifyRequest {
  readonly username: string;
  readonly token?: string | undefined;
  readonly password?: string | undefined;
  readonly remoteAddress: string;
}

/** What a gateway serves to main. */
export interface GatewayApi {
  readonly calls: {
    /** Listens on `port` (0: any); resolves with the port and whether uWS is native. */
    listen(arg: { port: number }): { port: number; native: boolean };
    metrics(): ThreadMetricsSnapshot;
    /** Says `bye` to every socket and closes it (graceful); pending input is flushed first. */
    byeAll(arg: { code: number; reason: string }): void;
    /** Closes every socket and port; the thread then ends by itself. */
    stop(): void;
  };
  readonly notes: {
    /**
     * A shard's direct port (transferred: its output batches come on it) and the ring to write its
     * input into; `restarted`: re-join its players there.
     */
    attachShard(arg: { shard: number; port: MessagePort; ring: SharedArrayBuffer; restarted: boolean }): void;
    /** The shard's thread is gone: fail its pending input, hold its players until it is back. */
    shardDown(shard: number): void;
    /** Closes the connection of `username` here, if any (a login elsewhere took it over). */
    kick(arg: { username: string; code: number; reason: string }): void;
    /** Stops accepting new connections (the listen socket closes; open sockets stay). */
    stopAccepting(): void;
  };
}

/** What main serves to a gateway. */
export interface MainForGatewayApi {
  readonly calls: {
    /** Reserves the username across every gateway and loads where the player is. */
    login(arg: { username: string; roles: string[] }): LoginResult;
    /** Checks credentials with the verifier main holds. */
    verify(request: VerifyRequest): AuthResult;
    /** Creates an account with main's verifier (auth mode accounts). */
    register(request: VerifyRequest & { password: string }): AuthResult;
    /** The aggregated metrics text of every thread, for the gateway's /metrics route. */
    metricsText(): string;
  };
  readonly notes: {
    /** A player's connection is gone; `joined`: a shard has it and will report the logout. */
    logout(arg: { username: string; joined: boolean }): void;
    /** The gateway failed to start (its verifier did not load, say); it says why before it ends. */
    fatal(arg: { message: string; code?: string }): void;
  };
}
