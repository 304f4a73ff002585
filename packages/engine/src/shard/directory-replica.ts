import type { Directory, DirectoryEntry } from '../game/directory.js';
import type { DirectoryRecord } from '../ipc/state-batch.js';

/**
 * This shard's replica of the directory of every online player. Local changes apply at once;
 * other shards' changes arrive from main once per tick of theirs. Indexed by zone and room as
 * well, so a message to a room or zone of another shard costs its occupants, not every player
 * online.
 */
export class DirectoryReplica implements Directory {
  readonly #records = new Map<string, DirectoryRecord>();
  readonly #byZone = new Map<string, Set<DirectoryRecord>>();
  readonly #byRoom = new Map<string, Set<DirectoryRecord>>();

  get size(): number {
    return this.#records.size;
  }

  get(username: string): DirectoryEntry | undefined {
    return this.#records.get(username);
  }

  record(username: string): DirectoryRecord | undefined {
    return this.#records.get(username);
  }

  has(username: string): boolean {
    return this.#records.has(username);
  }

  values(): IterableIterator<DirectoryEntry> {
    return this.#records.values();
  }

  /** Players in a zone (live set: do not keep it). */
  inZone(zone: string): ReadonlySet<DirectoryRecord> {
    return this.#byZone.get(zone) ?? EMPTY;
  }

  /** Players in a room of a zone (live set: do not keep it). */
  inRoom(zone: string, room: string): ReadonlySet<DirectoryRecord> {
    return this.#byRoom.get(roomKey(zone, room)) ?? EMPTY;
  }

  upsert(record: DirectoryRecord): void {
    const current = this.#records.get(record.username);
    if (current !== undefined) this.#unindex(current);
    this.#records.set(record.username, record);
    add(this.#byZone, record.zone, record);
    if (record.room !== null) add(this.#byRoom, roomKey(record.zone, record.room), record);
  }

  /**
   * Removes a player. With `shard`, only while the player is recorded on that shard: a stale remove
   * (the player has since moved to another shard) must not erase the new entry.
   */
  remove(username: string, shard?: number): void {
    const current = this.#records.get(username);
    if (current === undefined || (shard !== undefined && current.shard !== shard)) return;
    this.#records.delete(username);
    this.#unindex(current);
  }

  #unindex(record: DirectoryRecord): void {
    drop(this.#byZone, record.zone, record);
    if (record.room !== null) drop(this.#byRoom, roomKey(record.zone, record.room), record);
  }
}

const EMPTY: ReadonlySet<DirectoryRecord> = new Set();

function roomKey(zone: string, room: string): string {
  return `${zone}\u0000${room}`;
}

function add(index: Map<string, Set<DirectoryRecord>>, key: string, record: DirectoryRecord): void {
  let set = index.get(key);
  if (set === undefined) {
    set = new Set();
    index.set(key, set);
  }
  set.add(record);
}

function drop(index: Map<string, Set<DirectoryRecord>>, key: string, record: DirectoryRecord): void {
  const set = index.get(key);
  if (set === undefined) return;
  set.delete(record);
  if (set.size === 0) index.delete(key);
}
