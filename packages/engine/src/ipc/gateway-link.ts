import type { MessagePort } from 'node:worker_threads';
import type { AuthResult } from '../auth/auth-verifier.js';
import type { TransportKind } from '../gateway/transport/transport.js';
import type { ThreadMetricsSnapshot } from '../metrics/aggregate-metrics.js';
import type { PlayerSnapshot } from './state-batch.js';

/**
 * The control link between main and a gateway worker (rpc.ts): listening, logins and resume
 * tokens (main keeps who is in play across every gateway, and where), verification where main
 * holds the verifier, metrics, kicks, moving a resumed character between gateways, shutdown. Per-player input and output travel on direct ports to the shards.
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
  /**
   * The first connection id this thread gives out. A restarted gateway starts above every id its
   * previous thread used, so that it never collides with the players the shards still know by the
   * old ids (held for their grace period).
   */
  readonly firstConn: number;
  /** The transport main chose for the process (gateway/transport/choose.ts). */
  readonly transport: TransportKind;
  /** Whether the gateway threads share the port (each listens on it). */
  readonly sharePort: boolean;
  /** Set once `closeNow` has closed every socket (ipc/sockets-closed-signal.ts). */
  readonly socketsClosed: SharedArrayBuffer;
}

/** Where a player who logged in plays, and its saved state. */
export interface LoadedPlayer {
  readonly ok: true;
  readonly zone: string;
  readonly room: string | null;
  readonly shard: number;
  readonly snapshot: PlayerSnapshot | null;
  /** The resume token for `auth-ok.resume` (issued and kept by main); '' when sessions are off. */
  readonly resume: string;
}

export type LoginResult =
  | LoadedPlayer
  | { readonly ok: false; readonly code: string; readonly message: string };

/** What a gateway tells main about a login: who, and which connection of this gateway it is. */
export interface LoginRequest {
  readonly username: string;
  readonly roles: string[];
  readonly conn: number;
  readonly session: string;
  readonly capabilities: string[];
  /**
   * The resume token the client presented, when this gateway's main did not know it: on a cluster
   * node it may be another node's, and then takes the character back from there.
   */
  readonly resume?: string | undefined;
  /**
   * A player logged in again as its zone moved (gateway/zone-moves.ts): the token its client holds,
   * kept rather than replaced, so that the client's next resume works.
   */
  readonly keepResume?: string | undefined;
}

/**
 * Main's answer to a resume token. `local`: the character is held on the asking gateway under
 * `conn` (it resumes there as before). Otherwise the character was on another gateway and has
 * been moved to the asking connection in its shard: `missed` is what the old gateway kept for
 * it (`lost` messages dropped from that buffer), `crashed` says its gateway thread crashed
 * meanwhile (so more may be lost). `ok: false`: a stale token (`retry` false: an ordinary login
 * follows) or a resume that cannot finish now (`retry` true: the client tries again).
 */
export type ResumeResult =
  | { readonly ok: true; readonly local: true; readonly conn: number; readonly resume: string }
  | {
      readonly ok: true;
      readonly local: false;
      readonly shard: number;
      readonly session: string;
      readonly missed: string[];
      readonly lost: number;
      readonly crashed: boolean;
      readonly resume: string;
    }
  | { readonly ok: false; readonly retry: boolean };

/** A gateway's answer to `detach`: what it kept for the character, and where the character is. */
export type DetachResult =
  | {
      readonly ok: true;
      readonly shard: number;
      readonly missed: string[];
      readonly lost: number;
      readonly crashed: boolean;
    }
  | { readonly ok: false };

/**
 * A character whose gateway thread crashed, as main knows it: the restarted thread holds it for
 * the grace period (as after a dropped connection), under the dead thread's connection id.
 */
export interface OrphanSession {
  readonly username: string;
  readonly conn: number;
  readonly session: string;
  readonly roles: readonly string[];
  readonly capabilities: readonly string[];
  /** The shard that has the player (main's directory), where its Leave or Resume goes. */
  readonly shard: number;
}

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
    /** Listens on `port` (0: any); resolves with the port and the transport serving it. */
    listen(arg: { port: number }): { port: number; transport: TransportKind };
    metrics(): ThreadMetricsSnapshot;
    /** Says `bye` to every socket and closes it (graceful); pending input is flushed first. */
    byeAll(arg: { code: number; reason: string }): void;
    /** Closes every socket and port; the thread then ends by itself. */
    stop(): void;
    /**
     * Moves the character on `conn` to connection `toConn` of gateway `gateway` (a resume that
     * landed there): its shard rebinds it, and the answer carries what this gateway kept for it.
     */
    detach(arg: { conn: number; gateway: number; toConn: number }): DetachResult;
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
    /**
     * After a crash of this gateway's previous thread: hold `held` for the grace period (as after
     * a dropped connection), and let `leave` (whose logout was under way) leave their shards.
     */
    adopt(arg: { held: OrphanSession[]; leave: Array<{ conn: number; shard: number }> }): void;
    /** For tests and drills: fails the thread as an uncaught error would (main restarts it). */
    crash(): void;
    /**
     * The process is exiting under a running server: close every socket at once and set the
     * `socketsClosed` signal, while main waits on it (ipc/sockets-closed-signal.ts).
     */
    closeNow(): void;
  };
}

/** What main serves to a gateway. */
export interface MainForGatewayApi {
  readonly calls: {
    /** Reserves the username across every gateway and loads where the player is. */
    login(arg: LoginRequest): LoginResult;
    /** A resume token presented on connection `conn` of this gateway, for `username`. */
    resume(arg: { username: string; token: string; conn: number }): ResumeResult;
    /** Checks credentials with the verifier main holds. */
    verify(request: VerifyRequest): AuthResult;
    /** Creates an account with main's verifier (auth mode accounts). */
    register(request: VerifyRequest & { password: string }): AuthResult;
    /** The aggregated metrics text of every thread, for the gateway's /metrics route. */
    metricsText(): string;
    /** The dashboard's latest snapshot as JSON, for the gateway's /dashboard/snapshot.json. */
    dashboardSnapshot(): string;
  };
  readonly notes: {
    /** A player's connection is gone; `joined`: a shard has it and will report the logout. */
    logout(arg: { username: string; joined: boolean }): void;
    /**
     * The gateway failed to start (its verifier did not load, say), or failed while running
     * (`crashed`: an uncaught error; it closed its sockets and ends); it says why before it ends.
     */
    fatal(arg: { message: string; code?: string; crashed?: boolean }): void;
  };
}
