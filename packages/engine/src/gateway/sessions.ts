import { Capability, CloseCode } from '@leviathan/protocol';
import type { DetachResult, OrphanSession, ResumeResult } from '../ipc/gateway-link.js';
import type { PlayerSnapshot } from '../ipc/state-batch.js';
import { TokenBucket } from '../limits/token-bucket.js';
import { ReplayBuffer } from '../sessions/replay-buffer.js';
import { Connection } from './connection.js';
import type { GatewayContext } from './gateway-context.js';

/** Longest wait for the shard to move a character to another gateway, in ms. */
const DETACH_TIMEOUT_MS = 10_000;
/** Said before the replay of a character whose gateway thread crashed while it was away. */
const CRASH_NOTICE =
  '(the server restarted part of itself while you were away: some messages may have been lost)';

/** How a resume token presented on this gateway ended. */
export type TakeBack = 'resumed' | 'stale' | 'retry';

interface Detaching {
  readonly resolve: (result: DetachResult) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * A player's life on this gateway: joining its shard, leaving it, and the grace period after a
 * dropped connection (`sessions.graceMs`), during which the character stays in its shard and what
 * is sent to it is kept, until the player resumes on a new connection or the grace period ends.
 *
 * Resume tokens are main's (any gateway thread may receive one): a token for a character held
 * here resumes it on the same connection id, as if nothing happened in the shard; one for a
 * character on another gateway moves it here: that gateway writes a rebind behind the player's
 * input, the shard moves the route at the end of its tick and ends the old connection's output
 * with a kick, and the old gateway hands over what it kept (`detach`). After a crash of this
 * gateway's thread, the restarted one holds the characters of the dead one (`adopt`).
 */
export class Sessions {
  readonly #ctx: GatewayContext;
  /** Characters being moved to another gateway, until their shard's kick ends their output here. */
  readonly #detaching = new Map<Connection, Detaching>();
  /** Stand-ins keeping what the shards send to a resuming connection until main answers. */
  readonly #standIns = new Set<Connection>();
  /** Characters adopted from a crashed thread: their replay misses what was sent meanwhile. */
  readonly #orphans = new WeakSet<Connection>();
  /**
   * This thread failed and is closing its sockets: nothing leaves its shard and main is not told
   * of logouts (it hands these players to the restarted thread).
   */
  crashed = false;

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
      !this.crashed &&
      !this.#ctx.heartbeat.shuttingDown()
    );
  }

  /** Keeps the character in its shard for the grace period, recording what is sent to it. */
  hold(c: Connection): void {
    c.held = true;
    c.replay ??= new ReplayBuffer(this.#ctx.config.sessions.replayMessages);
    if (c.holdTimer !== undefined) clearTimeout(c.holdTimer);
    c.holdTimer = setTimeout(() => {
      c.holdTimer = undefined;
      if (c.held) this.release(c);
    }, this.#ctx.config.sessions.graceMs);
  }

  /**
   * A held character's grace period is over (or it was taken over): it leaves the world. One being
   * moved to another gateway finishes its move instead (its shard's kick is what ends it here).
   */
  release(c: Connection): void {
    const detaching = this.#detaching.get(c);
    if (detaching !== undefined) {
      this.#detached(c, detaching);
      return;
    }
    if (this.#standIns.has(c)) return;
    c.held = false;
    c.replay = undefined;
    if (c.holdTimer !== undefined) clearTimeout(c.holdTimer);
    c.holdTimer = undefined;
    if (this.#ctx.conns.get(c.id) === c) this.#ctx.conns.delete(c.id);
    this.logout(c);
  }

  /** The player's connection is gone for good: its shard lets it leave; main frees the name. */
  logout(c: Connection): void {
    if (this.crashed) return;
    const { players, router, host } = this.#ctx;
    if (players.get(c.username) === c) players.delete(c.username);
    const up = c.joined && router.isUp(c.shard);
    if (up) router.to(c.shard).leave(c.id, 'closed');
    host.logout(c.username, up);
  }

  /**
   * `c` takes back the character of `previous`, held here after a drop (or still open: a client
   * that noticed the drop before the server did). The shards know the player by connection id,
   * so `c` takes that id: nothing moves in the shard. `welcome` answers the client (auth-ok), then
   * what `previous` missed is written, then the shard is told (EnterReason 'resume') so the game
   * shows where the player is.
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
    c.bucket = previous.bucket ?? this.#bucket();
    players.set(c.username, c);
    welcome();
    this.#replay(c, missed, lost, this.#orphans.has(previous));
    if (c.joined && router.isUp(c.shard)) router.to(c.shard).resume(c.id);
  }

  /**
   * A resume token presented on `c` (authenticated as `username`, not yet answered). Main knows
   * where the character is: held here (it resumes here, `resume` above), or on another gateway
   * (which moves it to `c`'s id; what the shards send `c` meanwhile is kept by a stand-in under
   * that id). `welcome` answers the client with the new token. 'stale': an ordinary login
   * follows; 'retry': the client should try again shortly.
   */
  async takeBack(
    c: Connection,
    username: string,
    token: string,
    events: boolean,
    welcome: (resume: string) => void,
  ): Promise<TakeBack> {
    const { conns, host, log } = this.#ctx;
    const standIn = this.#standIn(c, username, events);
    let answer: ResumeResult;
    try {
      answer = await host.resume(username, token, c.id);
    } catch (err) {
      log.warn({ err, username }, 'a resume could not reach main');
      answer = { ok: false, retry: true };
    }
    this.#standIns.delete(standIn);
    c.transferred = false;
    if (!answer.ok || answer.local) {
      // Nothing moved to this connection: it is itself again (or gone, if the client left).
      if (conns.get(c.id) === standIn) {
        if (c.closed) conns.delete(c.id);
        else conns.set(c.id, c);
      }
      if (!answer.ok) return answer.retry ? 'retry' : 'stale';
      const previous = conns.get(answer.conn);
      if (previous === undefined || previous.authState !== 'done' || previous.username !== username) {
        log.warn({ username }, 'main resumed a character this gateway does not hold; logging in');
        return 'stale';
      }
      const resume = answer.resume;
      if (c.open) this.resume(c, previous, () => welcome(resume));
      return 'resumed';
    }
    // The character is here now, under c's id. The stand-in kept what came since (the shard's
    // 'resume' greeting, say), which goes after what the old gateway kept.
    const kept = standIn.replay?.drain() ?? [];
    standIn.held = false;
    standIn.replay = undefined;
    const target = c.open ? c : standIn;
    target.session = answer.session;
    target.shard = standIn.shard >= 0 ? standIn.shard : answer.shard;
    target.joined = true;
    target.bucket = this.#bucket();
    conns.set(target.id, target);
    this.#ctx.players.set(username, target);
    if (target === standIn) {
      // The client left while its resume ran: the character is held here, with what it missed.
      this.hold(standIn);
      for (const m of [...answer.missed, ...kept]) standIn.replay!.push(m);
      standIn.replay!.dropped += answer.lost;
      if (answer.crashed) this.#orphans.add(standIn);
      return 'resumed';
    }
    welcome(answer.resume);
    this.#replay(c, [...answer.missed, ...kept], answer.lost, answer.crashed);
    return 'resumed';
  }

  /**
   * Moves the character on `conn` to connection `toConn` of `gateway`: a rebind goes to its shard
   * behind its input, and until the shard's kick says its output here has ended, what it is sent
   * is kept (an open connection is told `bye` 4006 first). Resolves with what was kept; not ok
   * when there is no such character, its shard is down, or the shard did not answer in time (the
   * character then stays held here, as before).
   */
  detach(conn: number, gateway: number, toConn: number): Promise<DetachResult> {
    const { conns, players, router, writer } = this.#ctx;
    const c = conns.get(conn);
    if (
      c === undefined ||
      this.crashed ||
      c.authState !== 'done' ||
      !c.joined ||
      this.#detaching.has(c) ||
      this.#standIns.has(c) ||
      !router.isUp(c.shard)
    ) {
      return Promise.resolve({ ok: false });
    }
    if (!c.held) {
      c.transferred = true;
      if (c.open) writer.bye(c, CloseCode.TakenOver, 'resumed from another connection');
      c.held = true;
      c.replay = new ReplayBuffer(this.#ctx.config.sessions.replayMessages);
    }
    if (c.holdTimer !== undefined) clearTimeout(c.holdTimer);
    c.holdTimer = undefined;
    if (players.get(c.username) === c) players.delete(c.username);
    router.to(c.shard).rebind(c.id, gateway, toConn);
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#detachTimedOut(c), DETACH_TIMEOUT_MS);
      this.#detaching.set(c, { resolve, timer });
    });
  }

  /**
   * After a crash of this gateway's previous thread: its characters are held here under their
   * old connection ids for the grace period (as after a dropped connection), and those whose
   * logout was under way leave their shards.
   */
  adopt(held: readonly OrphanSession[], leave: ReadonlyArray<{ conn: number; shard: number }>): void {
    const { conns, players, router } = this.#ctx;
    for (const l of leave) if (router.isUp(l.shard)) router.to(l.shard).leave(l.conn, 'closed');
    for (const o of held) {
      const c = new Connection(o.conn, '');
      c.closed = true;
      c.authState = 'done';
      c.username = o.username;
      c.session = o.session;
      c.roles = o.roles;
      c.capabilities = [...o.capabilities];
      c.batched = o.capabilities.includes(Capability.BatchedFrames);
      c.events = o.capabilities.includes(Capability.StructuredEvents);
      c.shard = o.shard;
      c.joined = true;
      conns.set(c.id, c);
      players.set(c.username, c);
      this.#orphans.add(c);
      if (this.#ctx.config.sessions.graceMs > 0) this.hold(c);
      else this.release(c);
    }
  }

  /** The shard's kick came: everything sent to the character before the move is in its replay. */
  #detached(c: Connection, detaching: Detaching): void {
    this.#detaching.delete(c);
    clearTimeout(detaching.timer);
    const missed = c.replay?.drain() ?? [];
    const lost = c.replay?.dropped ?? 0;
    c.held = false;
    c.replay = undefined;
    if (this.#ctx.conns.get(c.id) === c) this.#ctx.conns.delete(c.id);
    detaching.resolve({ ok: true, shard: c.shard, missed, lost, crashed: this.#orphans.has(c) });
  }

  #detachTimedOut(c: Connection): void {
    const detaching = this.#detaching.get(c);
    if (detaching === undefined) return;
    this.#detaching.delete(c);
    this.#ctx.log.warn({ username: c.username, shard: c.shard }, 'a resume elsewhere timed out; holding');
    if (!this.#ctx.players.has(c.username)) this.#ctx.players.set(c.username, c);
    this.hold(c);
    detaching.resolve({ ok: false });
  }

  /** Keeps what the shards send to `c`'s id while main answers its resume. */
  #standIn(c: Connection, username: string, events: boolean): Connection {
    const s = new Connection(c.id, c.remoteAddress);
    s.closed = true;
    s.authState = 'done';
    s.username = username;
    s.events = events;
    // Joined, so that the route the shard sends with the move reaches it.
    s.joined = true;
    s.held = true;
    s.replay = new ReplayBuffer(this.#ctx.config.sessions.replayMessages);
    this.#standIns.add(s);
    // If the client leaves now, its close leaves the id to the stand-in.
    c.transferred = true;
    this.#ctx.conns.set(c.id, s);
    return s;
  }

  #bucket(): TokenBucket {
    const { perSecond, burst } = this.#ctx.config.commandRate;
    return new TokenBucket(perSecond, burst, performance.now());
  }

  /** Writes what a resumed character missed, after a word on what was lost. */
  #replay(c: Connection, missed: string[], lost: number, crashed: boolean): void {
    const notices: string[] = [];
    if (crashed) notices.push(CRASH_NOTICE);
    if (lost > 0) notices.push(`(${lost} earlier messages were lost while you were away)`);
    for (const text of notices.reverse())
      missed.unshift(JSON.stringify({ type: 'text', text, channel: 'system' }));
    if (missed.length === 0 || !c.open) return;
    const writer = this.#ctx.writer;
    c.ws!.cork(() => {
      for (let i = 0; i < missed.length && c.open; i++) writer.send(c, missed[i]!, 0);
    });
  }
}
