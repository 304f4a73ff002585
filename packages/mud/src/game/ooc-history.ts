/** How many lines of the `ooc` channel a shard keeps for `ooc history`. @default 20 */
export const OOC_HISTORY_LINES = 20;

/** One line said on the out-of-character channel. */
export interface OocLine {
  readonly from: string;
  readonly text: string;
  /** When it was said, in milliseconds since the epoch (the tick's time). */
  readonly at: number;
}

/**
 * The last lines of the `ooc` channel, for players who were not there: a ring of fixed size, so
 * a flood costs the same memory as a quiet day and adding a line never copies the others.
 *
 * It lives in the shard's memory: the engine's Game API has no state shared between shards (a
 * shard sees only what its own players do), so each shard remembers what was said on it, and a
 * restart forgets. docs/mud.md says so.
 */
export class OocHistory {
  readonly #lines: Array<OocLine | undefined>;
  /** Where the next line goes. */
  #next = 0;
  #size = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be an integer >= 1');
    this.#lines = new Array<OocLine | undefined>(capacity).fill(undefined);
  }

  add(line: OocLine): void {
    this.#lines[this.#next] = line;
    this.#next = (this.#next + 1) % this.#lines.length;
    if (this.#size < this.#lines.length) this.#size++;
  }

  /** The lines kept, oldest first. */
  recent(): OocLine[] {
    const out: OocLine[] = [];
    const capacity = this.#lines.length;
    for (let i = 0; i < this.#size; i++)
      out.push(this.#lines[(this.#next - this.#size + i + capacity) % capacity]!);
    return out;
  }
}
