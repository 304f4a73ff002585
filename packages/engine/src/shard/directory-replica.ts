import type { Directory, DirectoryEntry } from '../game/directory.js';
import { compactDirectoryRecord, Interner } from '../ipc/intern.js';
import type { DirectoryRecord } from '../ipc/state-batch.js';

/**
 * This shard's replica of the directory of every online player. Local changes apply at once;
 * other shards' changes arrive from main once per tick of theirs. Indexed by zone, so a message
 * to a zone (or a room) of another shard costs that zone's players, not every player online.
 *
 * Every shard holds one record per online player, so a record's size is paid once per shard:
 * zone, room and roles are interned (one copy per thread), and there is one index (by zone; a
 * room's players are found by filtering its zone's: a message to a room of another shard is rare,
 * a record in every shard is not).
 */
export class DirectoryReplica implements Directory {
  readonly #records = new Map<string, DirectoryRecord>();
  readonly #byZone = new Map<string, Set<DirectoryRecord>>();
  readonly #intern = new Interner();

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

  /** Players in a room of a zone. */
  *inRoom(zone: string, room: string): IterableIterator<DirectoryRecord> {
    for (const record of this.inZone(zone)) if (record.room === room) yield record;
  }

  upsert(record: DirectoryRecord): void {
    const current = this.#records.get(record.username);
    if (current !== undefined) this.#unindex(current);
    const compact = compactDirectoryRecord(record, this.#intern);
    this.#records.set(record.username, compact);
    let zone = this.#byZone.get(compact.zone);
    if (zone === undefined) {
      zone = new Set();
      this.#byZone.set(compact.zone, zone);
    }
    zone.add(compact);
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
    const zone = this.#byZone.get(record.zone);
    if (zone === undefined) return;
    zone.delete(record);
    if (zone.size === 0) this.#byZone.delete(record.zone);
  }
}

const EMPTY: ReadonlySet<DirectoryRecord> = new Set();
