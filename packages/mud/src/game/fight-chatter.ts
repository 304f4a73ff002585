import type { GameContext } from '@leviathan/engine';
import { CROWD } from './crowd.js';
import { text } from './mud-runtime.js';

/** Bystanders' lines a crowded room's summary quotes; the rest are counted. */
export const FIGHT_LINES_QUOTED = 3;
/** A crowded room hears a summary of its fights at most this often. */
export const FIGHT_SUMMARY_EVERY_MS = 1_000;

interface Gathered {
  zone: string;
  room: string;
  lines: string[];
  count: number;
  /** When the room's summary goes out (ms since the epoch). */
  at: number;
}

/**
 * What bystanders hear of fights. In a room of fewer than CROWD players each line goes out as it
 * happens, to everyone there but the one it is about (who was told in their own words). In a
 * crowd, the lines of a second (FIGHT_SUMMARY_EVERY_MS) are gathered and the room gets one summary,
with low priority:
 * "Fights all around you: Ann hits the grey rat. The grey rat dies. Bo misses the grey rat. And 41
 * more." A fighter's own lines (the blows they deal and take) never go through here.
 *
 * Why: every fighter's every blow to every bystander costs (fighters × bystanders) messages a
 * round, each written to a socket by a gateway; a crowd of watchers cannot read them anyway. In
 * `pnpm bench mud` at 5,000 players, the lines to the room were the combat system's largest cost
 * (the per-recipient pushes of its fan-out), and gathered, one summary a second per room remains.
 */
export class FightChatter {
  readonly #rooms = new Map<string, Gathered>();

  /** A line of a fight in `room`, for everyone there but `except`. */
  tell(ctx: GameContext, zone: string, room: string, line: string, except: string | undefined): void {
    const here = ctx.zone(zone)?.occupants(room).size ?? 0;
    if (here < CROWD) {
      ctx.toRoom(zone, room, text(line, 'combat'), except === undefined ? {} : { except });
      return;
    }
    const key = `${zone}\u0000${room}`;
    let gathered = this.#rooms.get(key);
    if (gathered === undefined) {
      gathered = { zone, room, lines: [], count: 0, at: ctx.now + FIGHT_SUMMARY_EVERY_MS };
      this.#rooms.set(key, gathered);
    }
    gathered.count++;
    if (gathered.lines.length < FIGHT_LINES_QUOTED) gathered.lines.push(line);
  }

  /** Sends each crowded room whose second is up its summary; called every tick, after the fights. */
  flush(ctx: GameContext): void {
    if (this.#rooms.size === 0) return;
    for (const [key, g] of this.#rooms) {
      if (ctx.now < g.at) continue;
      ctx.toRoom(g.zone, g.room, text(summaryLine(g.lines, g.count), 'combat'), { priority: 'low' });
      this.#rooms.delete(key);
    }
  }
}

/** "Fights all around you: Ann hits the grey rat. The grey rat dies. And 41 more." */
export function summaryLine(lines: readonly string[], count: number): string {
  const rest = count - lines.length;
  return `Fights all around you: ${lines.join(' ')}${rest > 0 ? ` And ${rest} more.` : ''}`;
}
