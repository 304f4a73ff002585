import {
  forEachBroadcast,
  forEachKick,
  forEachRoute,
  type OutputBatch,
  SendFlag,
  sendsByConn,
} from '../ipc/output-batch.js';
import { epochNow } from '../shard/tick-loop.js';
import type { Connection } from './connection.js';
import type { GatewayContext } from './gateway-context.js';
import type { Sessions } from './sessions.js';
import type { ZoneMoves } from './zone-moves.js';

/**
 * Applies a shard's output batch to this gateway's sockets: route changes first (a handoff moves
 * where the player's input goes), then each socket's messages under one cork, broadcasts, kicks,
 * and the command timings. A held connection (dropped, in its grace period) keeps what it would
 * have been sent, for its resume.
 */
export class OutputWriter {
  readonly #ctx: GatewayContext;
  readonly #sessions: Sessions;
  readonly #moves: ZoneMoves;

  constructor(ctx: GatewayContext, sessions: Sessions, moves: ZoneMoves) {
    this.#ctx = ctx;
    this.#sessions = sessions;
    this.#moves = moves;
  }

  apply(batch: OutputBatch): void {
    const { conns, router, writer, metrics } = this.#ctx;
    // The shard read its input at the start of this tick: room for what waits.
    router.pump(batch.shard);
    forEachRoute(batch, (conn, shard) => this.#route(conns.get(conn), shard, batch.shard));
    const { strings, sends } = batch;
    if (sends.length === 3) {
      // The common case at low load: one message in the batch, no grouping needed.
      const c = conns.get(sends[0]!);
      if (c?.open) writer.writeOne(c, strings[sends[1]!]!, sends[2]!);
      else if (c?.held) keep(c, strings[sends[1]!]!, sends[2]!);
    } else if (sends.length > 0) {
      for (const [conn, g] of sendsByConn(batch)) {
        const c = conns.get(conn);
        if (c === undefined) continue;
        if (c.held) {
          for (let j = 0; j < g.length; j += 2) keep(c, strings[g[j]!]!, g[j + 1]!);
        } else if (c.open) writer.writeMany(c, strings, g);
      }
    }
    forEachBroadcast(batch, (text, flags, except) => {
      for (const c of conns.values()) {
        if (c.authState !== 'done' || c.id === except) continue;
        if (c.open) writer.writeOne(c, text, flags);
        else if (c.held) keep(c, text, flags);
      }
    });
    forEachKick(batch, (conn, code, reason) => {
      const c = conns.get(conn);
      if (c?.held) this.#sessions.release(c);
      else if (c !== undefined) this.#moves.endOrCarry(c, code, reason);
    });
    if (batch.timings.length > 0) {
      const now = epochNow();
      for (const t of batch.timings) metrics.observeLatency((now - t) / 1000);
    }
  }

  #route(c: Connection | undefined, to: number, from: number): void {
    if (c === undefined || !c.joined) return;
    const router = this.#ctx.router;
    if (to >= 0) {
      // Tell the old shard the route moved: the marker follows the input it still forwards.
      if (c.shard !== to && c.shard >= 0 && router.isUp(c.shard)) router.to(c.shard).routed(c.id);
      c.shard = to;
      return;
    }
    // The shard does not know the player: join there again (its state comes from main's cache).
    c.shard = from;
    this.#sessions.join(c, null, true);
  }
}

/** Keeps a message for a held connection's replay (structured events only if it takes them). */
function keep(c: Connection, text: string, flags: number): void {
  if (c.events || (flags & SendFlag.Event) === 0) c.replay!.push(text);
}
