import type { DirectoryRecord } from './state-batch.js';

/**
 * One copy of each repeated value in a thread: the zone, room and roles of every directory record
 * arrive as fresh copies in each structured-cloned batch, though a world has few zones, rooms and
 * role sets. Keeping the first copy and dropping the rest saved ~100 bytes per record per thread
 * (directory replicas in every shard and in main; see "Where a player's memory goes" in docs/engine.md).
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

/**
 * The copy of a directory record that a thread keeps while the player is online (main's directory
 * and every shard's replica): zone, room and roles interned, and every field written in one object
 * literal, so that all records share one hidden class with their fields in the object. A record as
 * structured clone delivers it, or spread from one (`{ ...record }`), kept its fields in a
 * separate property array: 64 bytes more per record per thread in a heap snapshot of main with
 * 12,000 players.
 */
export function compactDirectoryRecord(record: DirectoryRecord, intern: Interner): DirectoryRecord {
  return {
    username: record.username,
    zone: intern.string(record.zone),
    room: record.room === null ? null : intern.string(record.room),
    shard: record.shard,
    roles: intern.list(record.roles),
    since: record.since,
    gateway: record.gateway,
    conn: record.conn,
  };
}
