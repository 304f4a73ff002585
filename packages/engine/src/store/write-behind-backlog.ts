import type { JsonObject } from '@leviathan/protocol';
import { Entry } from './pending-entity.js';
import type { EntityKind } from './write-behind-types.js';

/** What the backlog made of one snapshot (`WriteBehindBacklog.put`). */
export type PutOutcome =
  /** Held as the entity's latest snapshot: the entity is dirty until a flush saves it. */
  | 'held'
  /** Ignored: an out-of-order leftover, older than the snapshot held. */
  | 'stale'
  /** Ignored: the entity is in a version conflict, not saved again until it is loaded again. */
  | 'conflicted'
  /** Refused: the backlog is at its bound and the entity was not in it. */
  | 'refused';

/**
 * The write-behind's backlog, coalesced per entity: one snapshot per player or world key, the
 * latest, and at most `maxPending` dirty entities. It also remembers the entities that are clean
 * but tracked (their database version, for the next save's version check).
 */
export class WriteBehindBacklog {
  readonly #maxPending: number;
  readonly #entries: Record<EntityKind, Map<string, Entry>> = { player: new Map(), world: new Map() };
  readonly #dirty = new Set<Entry>();

  constructor(maxPending: number) {
    this.#maxPending = maxPending;
  }

  /** Entities changed in memory and not yet in the database. */
  get size(): number {
    return this.#dirty.size;
  }

  /** Most dirty entities held; past it, snapshots of entities not in the backlog are refused. */
  get bound(): number {
    return this.#maxPending;
  }

  /** True while the backlog is at its bound (new entities are being refused). */
  get saturated(): boolean {
    return this.#dirty.size >= this.#maxPending;
  }

  entry(kind: EntityKind, key: string): Entry | undefined {
    return this.#entries[kind].get(key);
  }

  /** Records the database version of an entity just loaded; clears an earlier conflict. */
  track(kind: EntityKind, key: string, dbVersion: number): void {
    const map = this.#entries[kind];
    const entry = map.get(key);
    if (entry) {
      // A clean entry starts over: the shard numbers its snapshots from the loaded version.
      if (!entry.dirty) entry.seq = -1;
      entry.baseVersion = dbVersion;
      entry.conflicted = false;
      entry.releaseWhenClean = false;
      entry.uncertainWriter = '';
    } else {
      map.set(key, new Entry(kind, key, dbVersion));
    }
  }

  /** Offers one snapshot; the latest one of each entity wins. */
  put(kind: EntityKind, key: string, seq: number, data: JsonObject): PutOutcome {
    const map = this.#entries[kind];
    let entry = map.get(key);
    if (entry?.conflicted) return 'conflicted'; // already reported; saving it would overwrite another node's data
    if (entry && seq < entry.seq) return 'stale'; // out-of-order leftover: a newer snapshot is held
    if (!entry?.dirty && this.#dirty.size >= this.#maxPending) return 'refused';
    if (!entry) {
      entry = new Entry(kind, key, 0);
      map.set(key, entry);
    }
    entry.seq = seq;
    entry.data = data;
    entry.releaseWhenClean = false;
    if (!entry.dirty) {
      entry.dirty = true;
      this.#dirty.add(entry);
    }
    return 'held';
  }

  /** The dirty entities a flush writes at `now`, by kind: all of them when `everything` (closing). */
  due(now: number, everything: boolean): Record<EntityKind, Entry[]> {
    const byKind: Record<EntityKind, Entry[]> = { player: [], world: [] };
    for (const e of this.#dirty) {
      if (e.retryAt <= now || everything) byKind[e.kind].push(e);
    }
    return byKind;
  }

  /** Dirty entities that a flush may write now (conflicted ones are excluded). */
  savable(): number {
    let n = 0;
    for (const e of this.#dirty) if (!e.conflicted) n++;
    return n;
  }

  /** The dirty entities, in the order they became dirty. */
  unsaved(): Entry[] {
    return [...this.#dirty];
  }

  /** The entity's latest snapshot is in the database. */
  markClean(e: Entry): void {
    e.dirty = false;
    this.#dirty.delete(e);
    this.releaseIfClean(e);
  }

  /** Another writer saved the entity: it leaves the backlog and is not saved until it is loaded again. */
  markConflicted(e: Entry): void {
    e.conflicted = true;
    e.dirty = false;
    this.#dirty.delete(e);
  }

  /** Forgets an entity released at logout once it is clean. */
  releaseIfClean(e: Entry): void {
    if (e.releaseWhenClean && !e.dirty) this.#entries[e.kind].delete(e.key);
  }
}
