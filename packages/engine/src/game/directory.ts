/** One online player, as every shard sees it (replicated once per tick). */
export interface DirectoryEntry {
  readonly username: string;
  readonly zone: string;
  readonly room: string | null;
  /** The shard that owns the player now. */
  readonly shard: number;
  readonly roles: readonly string[];
  /** When the player logged in, in milliseconds since the epoch. */
  readonly since: number;
}

/**
 * Every online player on every shard, for `who`, `tell` and `shout`. Each shard holds a replica
 * updated once per tick: a player who logged in on another shard during this tick appears on the
 * next one.
 */
export interface Directory {
  get(username: string): DirectoryEntry | undefined;
  has(username: string): boolean;
  readonly size: number;
  values(): IterableIterator<DirectoryEntry>;
}
