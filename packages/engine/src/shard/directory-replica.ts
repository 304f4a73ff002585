import type { Directory, DirectoryEntry } from '../game/directory.js';
import type { DirectoryRecord } from '../ipc/batches.js';

/**
 * This shard's replica of the directory of every online player. Local changes apply at once;
 * other shards' changes arrive from main once per tick of theirs.
 */
export class DirectoryReplica implements Directory {
  readonly #records = new Map<string, DirectoryRecord>();

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

  records(): IterableIterator<DirectoryRecord> {
    return this.#records.values();
  }

  upsert(record: DirectoryRecord): void {
    this.#records.set(record.username, record);
  }

  remove(username: string, shard?: number): void {
    // A stale remove (the player has since moved to another shard) must not erase the new entry.
    const current = this.#records.get(username);
    if (current !== undefined && (shard === undefined || current.shard === shard))
      this.#records.delete(username);
  }

  apply(upsert: readonly DirectoryRecord[], remove: readonly string[], fromShard?: number): void {
    for (const name of remove) this.remove(name, fromShard);
    for (const record of upsert) this.#records.set(record.username, record);
  }
}
