import { CloseCode } from '@leviathan/protocol';
import type { PlayerSnapshot } from '../ipc/state-batch.js';
import { ReplayBuffer } from '../sessions/replay-buffer.js';
import type { Connection } from './connection.js';
import type { GatewayContext } from './gateway-context.js';

/**
 * A player's life on this gateway: joining its shard, leaving it, and the grace period after a
 * dropped connection (`sessions.graceMs`), during which the character stays in its shard and what
 * is sent to it is kept, until the player resumes on a new connection or the grace period ends.
 */
export class Sessions {
  readonly #ctx: GatewayContext;

  constructor(ctx: GatewayContext) {
    this.#ctx = ctx;
  }

  /** Joins the player to its shard (`c.shard`), with its saved state; a restart re-sends it. */
  join(c: Connection, snapshot: PlayerSnapshot | null, restore: boolean): void {
    c.joined = true;
    // The shard is restarting: the join is sent again when it is back (Gateway.attachShard).
    if (!this.#ctx.router.isUp(c.shard)) return;
    this.#ctx.router.to(c.shard).join({
      conn: c.id,
      username: c.username,
      session: c.session,
      roles: c.roles,
      capabilities: c.capabilities,
      since: Date.now(),
      snapshot,
      restore,
    });
  }

  /**
   * A drop, not a goodbye: the socket was lost (1006), went away (1001: a closed tab) or the client
   * closed with an application code. A `quit`, a server-side close (kick, limits, shutdown) or a
   * client's plain close (1000, or 1005 without a code) ends the session.
   */
  shouldHold(c: Connection, code: number, accepting: boolean): boolean {
    return (
      this.#ctx.config.sessions.graceMs > 0 &&
      c.joined &&
      !c.closing &&
      code !== 1000 &&
      code !== 1005 &&
      accepting &&
      !this.#ctx.heartbeat.shuttingDown()
    );
  }

  /** Keeps the character in its shard for the grace period, recording what is sent to it. */
  hold(c: Connection): void {
    c.held = true;
    c.replay = new ReplayBuffer(this.#ctx.config.sessions.replayMessages);
    c.holdTimer = setTimeout(() => {
      c.holdTimer = undefined;
      if (c.held) this.release(c);
    }, this.#ctx.config.sessions.graceMs);
  }

  /** A held character's grace period is over (or it was taken over): it leaves the world. */
  release(c: Connection): void {
    c.held = false;
    c.replay = undefined;
    if (c.holdTimer !== undefined) clearTimeout(c.holdTimer);
    c.holdTimer = undefined;
    if (this.#ctx.conns.get(c.id) === c) this.#ctx.conns.delete(c.id);
    this.logout(c);
  }

  /** The player's connection is gone for good: its shard lets it leave; main frees the name. */
  logout(c: Connection): void {
    const { players, router, host } = this.#ctx;
    if (players.get(c.username) === c) players.delete(c.username);
    const up = c.joined && router.isUp(c.shard);
    if (up) router.to(c.shard).leave(c.id, 'closed');
    host.logout(c.username, up);
  }

  /**
   * `c` takes back the character of `previous` (held after a drop, or still open: a client that
   * noticed the drop before the server did). The shards know the player by connection id, so `c`
   * takes that id: nothing moves in the shard. `welcome` answers the client (auth-ok), then what
   * `previous` missed is written, then the shard is told (EnterReason 'resume') so the game shows
   * where the player is.
   */
  resume(c: Connection, previous: Connection, welcome: () => void): void {
    const { conns, players, writer, router } = this.#ctx;
    const missed = previous.replay?.drain() ?? [];
    const lost = previous.replay?.dropped ?? 0;
    if (previous.held) {
      previous.held = false;
      previous.replay = undefined;
      if (previous.holdTimer !== undefined) clearTimeout(previous.holdTimer);
      previous.holdTimer = undefined;
    } else {
      previous.transferred = true;
      writer.bye(previous, CloseCode.TakenOver, 'resumed from another connection');
    }
    conns.delete(c.id);
    c.id = previous.id;
    conns.set(c.id, c);
    c.username = previous.username;
    c.session = previous.session;
    c.shard = previous.shard;
    c.joined = previous.joined;
    c.bucket = previous.bucket;
    players.set(c.username, c);
    welcome();
    if (lost > 0) {
      missed.unshift(
        JSON.stringify({
          type: 'text',
          text: `(${lost} earlier messages were lost while you were away)`,
          channel: 'system',
        }),
      );
    }
    if (missed.length > 0 && c.open) {
      c.ws!.cork(() => {
        for (let i = 0; i < missed.length && c.open; i++) writer.send(c, missed[i]!, 0);
      });
    }
    if (c.joined && router.isUp(c.shard)) router.to(c.shard).resume(c.id);
  }
}
