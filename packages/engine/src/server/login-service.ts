import { CloseCode, ErrorCode } from '@leviathan/protocol';
import type { EngineConfig } from '../config/engine-config.js';
import type { GameDefinition } from '../game/game-definition.js';
import type {
  DetachResult,
  LoginRequest,
  LoginResult,
  OrphanSession,
  ResumeResult,
} from '../ipc/gateway-link.js';
import type { PlayerSnapshot } from '../ipc/state-batch.js';
import type { SessionEntry, SessionTable } from '../sessions/session-table.js';
import type { StateCache } from '../supervisor/state-cache.js';
import type { LoginRegistry } from './login-registry.js';
import type { PersistenceHooks } from './persistence-hooks.js';
import type { ZoneTable } from './zone-table.js';

/** How long a takeover waits for the old session's final state, in ms. */
const TAKEOVER_WAIT_MS = 5_000;
/** How often a login asks again for a name another node is giving up, in ms. */
const CLUSTER_CLAIM_RETRY_MS = 50;
/** How long a resume waits for the crashed gateway that holds the character to be back, in ms. */
const GATEWAY_BACK_WAIT_MS = 15_000;
/** How long a resume waits for the old gateway to move the character, in ms. */
const DETACH_WAIT_MS = 12_000;

export interface LoginServiceOptions {
  readonly config: EngineConfig;
  readonly logins: LoginRegistry;
  readonly sessions: SessionTable;
  readonly cache: StateCache;
  readonly persistence: PersistenceHooks;
  readonly game: GameDefinition;
  /** The zones this node runs, and their shards. */
  readonly zones: ZoneTable;
  /** Whether this node is one of a cluster (its players may have played on other nodes). */
  readonly clustered: boolean;
  /** Closes the connection of `username` on whichever gateway has it. */
  readonly kick: (username: string, code: number, reason: string) => void;
  /** Asks `gateway` to move the character on its connection `conn` to another gateway's connection. */
  readonly detach: (
    gateway: number,
    arg: { conn: number; gateway: number; toConn: number },
    timeoutMs: number,
  ) => Promise<DetachResult>;
  /** Resolves true once `gateway` runs (at once when it does), false after `timeoutMs`. */
  readonly whenUp: (gateway: number, timeoutMs: number) => Promise<boolean>;
  /** The shard that has the player now (main's directory), when known. */
  readonly shardOf: (username: string) => number | undefined;
  /** On a cluster node: the (remote) shard index of a zone that another node runs. */
  readonly remoteShardOf?: ((zone: string) => Promise<number | undefined>) | undefined;
  /** On a cluster node: one character per name in the whole cluster (server/cluster-links.ts). */
  readonly cluster?:
    | {
        /** Takes the name for this node: undefined when taken, else the node that has it. */
        claimLogin(username: string): Promise<string | undefined>;
        /** Asks that node to close the name's session. */
        kickElsewhere(node: string, username: string): void;
        /** Makes `token` the one that resumes the name on any node. */
        rememberResume(username: string, token: string): void;
        /** Whether `token` resumes the name (issued by any node); a match spends it. */
        consumeResume(username: string, token: string): Promise<boolean>;
        /** The session of `token` ended here: it resumes elsewhere for `ms` more. */
        expireResume(username: string, token: string, ms: number): void;
      }
    | undefined;
}

/**
 * Logins and resumes across every gateway (main thread): one character per name. A login reserves
 * the name, loads the player's latest state (main's cache, else the store), says which shard owns
 * the player's zone and issues its resume token. A second login as a character in play takes it
 * over (`sessions.duplicateLogin` 'takeover': the old session gets `bye` 4006, or leaves at once
 * if it was held after a drop, and the new one continues once the old one's final state is in the
 * cache) or is refused. A resume token presented on any gateway takes the character back where it
 * is: on the same gateway as before, or moved there from the gateway that had it (which may be a
 * restarted thread holding it after a crash). On a cluster node the token also resumes on another
 * node (after a drain, a zone move or a node's death): there it is a login that takes the character
 * over from the node that had it, whatever `duplicateLogin` says, with its last saved state.
 */
export class LoginService {
  readonly #o: LoginServiceOptions;
  /** Whether logins are taken (from the moment a gateway listens until shutdown). */
  open = true;

  readonly #gameZones: ReadonlySet<string>;

  constructor(options: LoginServiceOptions) {
    this.#o = options;
    this.#gameZones = new Set(options.game.zones.map((z) => z.id));
  }

  async login(gateway: number, request: LoginRequest): Promise<LoginResult> {
    const { config, logins, sessions, cache, game, zones } = this.#o;
    const { username } = request;
    if (!this.open)
      return { ok: false, code: ErrorCode.ServerShuttingDown, message: 'the server is shutting down' };
    const takeOver = logins.has(username) && !logins.isLeaving(username);
    if (takeOver && config.sessions.duplicateLogin === 'refuse') {
      return { ok: false, code: ErrorCode.AlreadyConnected, message: `${username} is already playing` };
    }
    if (takeOver) {
      // The old session's token dies now (and a gateway restarting after a crash lets it leave).
      sessions.leaving(username);
      this.#o.kick(username, CloseCode.TakenOver, 'logged in from elsewhere');
    }
    if (!(await logins.reserve(username, TAKEOVER_WAIT_MS, takeOver))) {
      return { ok: false, code: ErrorCode.AlreadyConnected, message: `${username} is already playing` };
    }
    // Another node's session token: the character is taken back from wherever it is. Spent by the
    // check, it is given back when this login fails, so that the client's retry is a resume too.
    let resumed = false;
    const giveBackToken = (): void => {
      if (resumed && request.resume !== undefined) this.#o.cluster?.rememberResume(username, request.resume);
    };
    try {
      resumed =
        request.resume !== undefined &&
        this.#o.cluster !== undefined &&
        (await this.#o.cluster.consumeResume(username, request.resume));
      const claim = await this.#claimInCluster(username, resumed);
      if (claim !== 'ok') {
        logins.release(username);
        giveBackToken();
        return claim === 'held'
          ? { ok: false, code: ErrorCode.AlreadyConnected, message: `${username} is already playing` }
          : {
              ok: false,
              code: ErrorCode.ShardUnavailable,
              message: 'the server cannot reach the rest of the world right now; try again shortly',
            };
      }
      cache.online(username);
      const snapshot = await this.#latest(username);
      const start = typeof game.start === 'function' ? game.start(username) : game.start;
      let zone = snapshot?.data.zone ?? start.zone;
      let room = snapshot ? snapshot.data.room : (start.room ?? null);
      if (!this.#gameZones.has(zone)) {
        zone = start.zone;
        room = start.room ?? null;
      }
      const shard = zones.shardOf(zone) ?? (await this.#o.remoteShardOf?.(zone));
      if (shard === undefined) {
        // A cluster node without the player's zone: it runs on another node, or is moving.
        logins.release(username);
        cache.offline(username);
        giveBackToken();
        return {
          ok: false,
          code: ErrorCode.ShardUnavailable,
          message: `your zone "${zone}" is not running on this server; try again shortly`,
        };
      }
      const resume = sessions.open(
        {
          username,
          gateway,
          conn: request.conn,
          session: request.session,
          roles: request.roles,
          capabilities: request.capabilities,
          shard,
        },
        request.keepResume,
      );
      if (resume !== '') this.#o.cluster?.rememberResume(username, resume);
      return { ok: true, zone, room, shard, snapshot, resume };
    } catch (err) {
      logins.release(username);
      giveBackToken();
      throw err;
    }
  }

  /**
   * On a cluster node, the name is taken in the whole cluster too. Held by another node that is up:
   * refused, or with `duplicateLogin` 'takeover' that node is asked to close the session, and the
   * name is taken once it let it go (it saved the player first). 'held' when it stays held;
   * 'unavailable' when Redis cannot be asked (a login then could run a character twice).
   * `resumed`: the login presented the session's resume token, so it is the same player coming
   * back, and takes the character over even where `duplicateLogin` refuses.
   */
  async #claimInCluster(username: string, resumed: boolean): Promise<'ok' | 'held' | 'unavailable'> {
    const cluster = this.#o.cluster;
    if (cluster === undefined) return 'ok';
    let holder = await cluster.claimLogin(username);
    if (holder === undefined) return 'ok';
    if (holder === '') return 'unavailable';
    if (this.#o.config.sessions.duplicateLogin === 'refuse' && !resumed) return 'held';
    cluster.kickElsewhere(holder, username);
    const deadline = Date.now() + TAKEOVER_WAIT_MS;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, CLUSTER_CLAIM_RETRY_MS));
      holder = await cluster.claimLogin(username);
      if (holder === undefined) return 'ok';
      if (holder === '') return 'unavailable';
    }
    return 'held';
  }

  /**
   * Another node took this node's player over (a login there): the session here ends as a takeover
   * on one node does.
   */
  takenElsewhere(username: string): void {
    if (!this.#o.logins.has(username) || this.#o.logins.isLeaving(username)) return;
    this.#o.sessions.leaving(username);
    this.#o.kick(username, CloseCode.TakenOver, 'logged in from elsewhere');
  }

  /**
   * The player's latest state. On a single node main's cache is never older than the store (every
   * save passes through it). On a cluster node the player may have played on another node since,
   * so the store decides, once this node's own unsaved state of the player is saved: the version
   * the player joins with is then the store's, which the node running its zone saves from.
   */
  async #latest(username: string): Promise<PlayerSnapshot | null> {
    const { cache, persistence, clustered } = this.#o;
    if (!clustered) return cache.player(username) ?? (await persistence.loadPlayer?.(username)) ?? null;
    await persistence.settlePlayer?.(username);
    return (await persistence.loadPlayer?.(username)) ?? null;
  }

  /**
   * A resume token presented on connection `conn` of `gateway`. Stale (unknown, spent, or its
   * character left): an ordinary login follows. Held on that gateway: it resumes there. Held or
   * connected on another gateway: that gateway moves it to `conn` in its shard and hands over what
   * it kept; when that gateway crashed, its restarted thread holds the character and the resume
   * waits for it.
   */
  async resume(
    gateway: number,
    arg: { username: string; token: string; conn: number },
  ): Promise<ResumeResult> {
    const { sessions } = this.#o;
    if (!this.open) return { ok: false, retry: false };
    const entry = sessions.match(arg.username, arg.token);
    if (entry === undefined) return { ok: false, retry: false };
    if (entry.gateway === gateway) {
      return { ok: true, local: true, conn: entry.conn, resume: this.#rotate(entry) };
    }
    // The token is spent from here: a second resume with it while this one runs is stale.
    const claimed = entry.token;
    entry.token = '';
    // Before the shards can know the player by the new id (a restart must start above it).
    sessions.sawConn(gateway, arg.conn);
    const from = entry.gateway;
    let moved: DetachResult = { ok: false };
    if (await this.#o.whenUp(from, GATEWAY_BACK_WAIT_MS)) {
      moved = await this.#o
        .detach(from, { conn: entry.conn, gateway, toConn: arg.conn }, DETACH_WAIT_MS)
        .catch((): DetachResult => ({ ok: false }));
    }
    if (!moved.ok || entry.leaving || sessions.get(arg.username) !== entry) {
      if (!entry.leaving && entry.token === '') entry.token = claimed;
      return { ok: false, retry: moved.ok ? false : !entry.leaving };
    }
    entry.gateway = gateway;
    entry.conn = arg.conn;
    entry.shard = moved.shard;
    return {
      ok: true,
      local: false,
      shard: moved.shard,
      session: entry.session,
      missed: moved.missed,
      lost: moved.lost,
      crashed: moved.crashed,
      resume: this.#rotate(entry),
    };
  }

  /** A fresh token for the character, kept in the cluster too. */
  #rotate(entry: SessionEntry): string {
    const token = this.#o.sessions.rotate(entry);
    if (token !== '') this.#o.cluster?.rememberResume(entry.username, token);
    return token;
  }

  /** The player's connection is gone; `joined`: its shard will report the logout. */
  logout(username: string, joined: boolean): void {
    const token = this.#o.sessions.get(username)?.token ?? '';
    // Another node may take it back with its token for the grace period (a drain, a zone move).
    if (token !== '') this.#o.cluster?.expireResume(username, token, this.#o.config.sessions.graceMs);
    this.#o.sessions.leaving(username);
    this.#o.logins.leaving(username, joined);
  }

  /**
   * What a restarted gateway takes over from its crashed thread: the characters it had, to hold
   * for the grace period, and those whose logout was under way, to let leave.
   */
  orphansOf(gateway: number): { held: OrphanSession[]; leave: Array<{ conn: number; shard: number }> } {
    const held: OrphanSession[] = [];
    const leave: Array<{ conn: number; shard: number }> = [];
    for (const entry of this.#o.sessions.onGateway(gateway)) {
      const shard = this.#o.shardOf(entry.username) ?? entry.shard;
      if (entry.leaving) leave.push({ conn: entry.conn, shard });
      else {
        held.push({
          username: entry.username,
          conn: entry.conn,
          session: entry.session,
          roles: entry.roles,
          capabilities: entry.capabilities,
          shard,
        });
      }
    }
    return { held, leave };
  }
}
