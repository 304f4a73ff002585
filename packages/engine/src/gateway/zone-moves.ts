import { CloseCode, ErrorCode } from '@leviathan/protocol';
import { RingRecordTooLargeError } from '../errors.js';
import type { LoginResult } from '../ipc/gateway-link.js';
import { isZoneMove, ZONE_MOVED_CODE } from '../ipc/zone-moved.js';
import type { Connection } from './connection.js';
import type { GatewayContext } from './gateway-context.js';
import type { Sessions } from './sessions.js';

/** How long a player whose zone moves may wait for it to run again before it is disconnected, in ms. */
const CARRY_WITHIN_MS = 10_000;
/** How often the login is tried again while the zone runs nowhere yet, in ms. */
const RETRY_EVERY_MS = 200;

/**
 * Players carried through a move of their zone, on a cluster node: the shard that ran the zone let
 * them go (saved, their name freed once it is), and instead of closing their sockets with 1013 this
 * gateway logs each of them in again as the same connection, which joins the shard that runs the
 * zone now, on this node or another, from the saved state. Meanwhile their commands are answered
 * `LEV_ERR_SHARD_UNAVAILABLE` ("moving"). A player whose zone runs nowhere within 10 s (a takeover
 * after a node's death takes up to 5), or whose node stops taking logins (a drain: 1001, to resume
 * on another node), is disconnected then.
 */
export class ZoneMoves {
  readonly #ctx: GatewayContext;
  readonly #sessions: Sessions;

  constructor(ctx: GatewayContext, sessions: Sessions) {
    this.#ctx = ctx;
    this.#sessions = sessions;
  }

  /**
   * A kick from a shard or main: a zone move carries the player (on a cluster node whose session
   * is in play here); any other closes the socket with a `bye`.
   */
  endOrCarry(c: Connection, code: number, reason: string): void {
    if (this.#ctx.config.cluster.redisUrl !== undefined && isZoneMove(code, reason) && c.open) {
      // A second word of the same move (the old shard's, or its node's going) while the player is
      // already on its way: the socket stays.
      if (c.moving) return;
      if (c.joined) {
        void this.carry(c, reason);
        return;
      }
    }
    this.#ctx.writer.bye(c, code, reason);
  }

  /** Carries `c`'s player to where its zone runs now; resolves once it joined there or was closed. */
  async carry(c: Connection, reason: string): Promise<void> {
    const { host, writer, log, players } = this.#ctx;
    if (c.moving || !c.joined) return;
    c.moving = true;
    c.joined = false;
    c.shard = -1;
    // As for a closed connection: the name is freed once the old shard's final state is saved.
    host.logout(c.username, true);
    const deadline = performance.now() + CARRY_WITHIN_MS;
    let loaded: LoginResult | undefined;
    while (c.open) {
      loaded = await host
        .login({
          username: c.username,
          roles: [...c.roles],
          conn: c.id,
          session: c.session,
          capabilities: [...c.capabilities],
          keepResume: c.resume,
        })
        .catch((err: unknown): LoginResult => {
          log.error({ err, username: c.username }, 'a player whose zone moved could not log in again');
          return { ok: false, code: ErrorCode.Internal, message: 'login failed' };
        });
      if (loaded.ok || loaded.code !== ErrorCode.ShardUnavailable || performance.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, RETRY_EVERY_MS));
    }
    c.moving = false;
    if (loaded?.ok !== true) {
      const draining = loaded?.ok === false && loaded.code === ErrorCode.ServerShuttingDown;
      if (c.open) writer.bye(c, draining ? CloseCode.GoingAway : ZONE_MOVED_CODE, reason);
      return;
    }
    if (!c.open) {
      host.logout(c.username, false);
      return;
    }
    c.shard = loaded.shard;
    try {
      this.#sessions.join(c, loaded.snapshot, false);
    } catch (err) {
      if (!(err instanceof RingRecordTooLargeError)) throw err;
      log.error({ err, username: c.username }, 'a player whose zone moved could not join its shard');
      c.joined = false;
      host.logout(c.username, false);
      writer.bye(c, CloseCode.InternalError, 'your saved state is too large to load; ask an operator');
      return;
    }
    players.set(c.username, c);
    c.resume = loaded.resume;
  }
}
