/** Handle returned by `Timers.after` and `Timers.every`. */
export type TimerId = number;

/**
 * Game timers, run by the shard's tick loop: a timer fires at the first tick at or after its due
 * time (so its resolution is one tick). Timers belong to the shard and are not persisted: re-arm
 * them in `onZoneLoad` after a restart.
 */
export interface Timers {
  /** Runs `fn` once, `ms` milliseconds from now. */
  after(ms: number, fn: () => void): TimerId;
  /** Runs `fn` every `ms` milliseconds. */
  every(ms: number, fn: () => void): TimerId;
  cancel(id: TimerId): void;
}
