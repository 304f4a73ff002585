/**
 * One copy of each repeated value in a thread: the zone, room and roles of every directory record
 * arrive as fresh copies in each structured-cloned batch, though a world has few zones, rooms and
 * role sets. Keeping the first copy and dropping the rest saved ~100 bytes per record per thread
 * (directory replicas in every shard and in main; see the memory figures in docs/benchmarks.md).
 */
export class Interner {
  readonly #strings = new Map<string, string>();
  readonly #lists = new Map<string, readonly string[]>();

  string(value: string): string {
    const known = this.#strings.get(value);
    if (known !== undefined) return known;
    this.#strings.set(value, value);
    return value;
  }

  /** The canonical copy of a list of strings (roles, capabilities): frozen, never to be changed. */
  list(values: readonly string[]): readonly string[] {
    if (values.length === 0) return EMPTY;
    const key = values.join('\u0000');
    const known = this.#lists.get(key);
    if (known !== undefined) return known;
    const frozen = Object.freeze([...values]);
    this.#lists.set(key, frozen);
    return frozen;
  }
}

const EMPTY: readonly string[] = Object.freeze([]);
