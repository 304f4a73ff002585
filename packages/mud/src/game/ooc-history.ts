import type { JsonValue } from '@leviathan/protocol';

/** How many lines of the `ooc` channel each shard keeps for `ooc history`. @default 20 */
export const OOC_HISTORY_LINES = 20;

/** The topics of the `ooc` channel's messages between shards (`ctx.tellShards`, ooc-shards.ts). */
export const OOC_TOPICS = {
  /** A line said (an OocLine). */
  line: 'mud.ooc',
  /** A shard that (re)started asks the others for the history (no data). */
  ask: 'mud.ooc.ask',
  /** An answer: the lines a shard keeps (OocLine[]). */
  history: 'mud.ooc.history',
} as const;

/** One line said on the out-of-character channel. */
export interface OocLine {
  readonly from: string;
  readonly text: string;
  /** When it was said, in milliseconds since the epoch (the tick's time on the sender's shard). */
  readonly at: number;
}

/**
 * A line told by another shard, or undefined when the data is not one (a node of another version
 * of the MUD in the same cluster, say: its lines are left out, not shown broken).
 */
export function oocLineOf(data: JsonValue): OocLine | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const { from, text, at } = data;
  if (typeof from !== 'string' || typeof text !== 'string' || typeof at !== 'number') return undefined;
  return { from, text, at };
}

/**
 * The world's last lines of the `ooc` channel, for players who were not there. Every shard keeps
 * its own copy: the sender's shard adds a line at once, the others when the engine hands it to
 * them (`onShardMessage`) at their next tick.
 *
 * Kept in the order they were said (by `at`), not in the order they arrived: two lines said on two
 * shards in the same moment reach each shard in a different order, and this way every shard shows
 * the same history. A line arrives at most a few ticks late, so it almost always goes at the end;
 * a line older than every kept one once the history is full is not among the last lines, and is
 * dropped. With 20 lines, keeping them in an array costs less than a ring would save.
 */
export class OocHistory {
  readonly #capacity: number;
  /** Oldest first. */
  readonly #lines: OocLine[] = [];

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be an integer >= 1');
    this.#capacity = capacity;
  }

  add(line: OocLine): void {
    const lines = this.#lines;
    // After every line said at the same time or before (lines of one moment stay in arrival order).
    let i = lines.length;
    while (i > 0 && lines[i - 1]!.at > line.at) i--;
    if (i === 0 && lines.length === this.#capacity) return;
    lines.splice(i, 0, line);
    if (lines.length > this.#capacity) lines.shift();
  }

  /**
   * Adds a line unless the same line (who, what, when) is kept already: for the histories other
   * shards send, which overlap with this one and with each other.
   */
  merge(line: OocLine): void {
    const same = this.#lines.some((l) => l.at === line.at && l.from === line.from && l.text === line.text);
    if (!same) this.add(line);
  }

  /** The lines kept, oldest first. */
  recent(): OocLine[] {
    return [...this.#lines];
  }
}
