/**
 * Which usernames are in play, across every gateway (main thread). A name is reserved at login
 * and released when its shard reports the logout (so its final state is in the StateCache before
 * anyone logs in as it again), or after `releaseAfterMs` when that report never comes (its shard
 * was down). A second login while the first is leaving waits for the release.
 */
export class LoginRegistry {
  readonly #entries = new Map<
    string,
    // Waiters only exist during a takeover: no array per online player.
    { leaving: boolean; timer: NodeJS.Timeout | undefined; waiters: Array<() => void> | undefined }
  >();
  readonly #releaseAfterMs: number;
  /** Called with each name released (the session table forgets it). */
  onRelease: ((username: string) => void) | undefined;

  /** @param releaseAfterMs longest wait for a shard's logout report, in ms. @default 5000 */
  constructor(releaseAfterMs = 5_000) {
    this.#releaseAfterMs = releaseAfterMs;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Every reserved name (online, or leaving). */
  names(): IterableIterator<string> {
    return this.#entries.keys();
  }

  isLeaving(username: string): boolean {
    return this.#entries.get(username)?.leaving ?? false;
  }

  has(username: string): boolean {
    return this.#entries.has(username);
  }

  /**
   * Reserves `username`. Resolves true when reserved, false when it is online (not leaving, and
   * not `takeOver`) or still not released after `waitMs`. With `takeOver` the caller has asked
   * the old session to close, and waits for its release.
   */
  async reserve(username: string, waitMs = 3_000, takeOver = false): Promise<boolean> {
    const entry = this.#entries.get(username);
    if (entry !== undefined) {
      if (!entry.leaving && !takeOver) return false;
      const released = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), waitMs);
        entry.waiters ??= [];
        entry.waiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      if (!released || this.#entries.has(username)) return false;
    }
    this.#entries.set(username, { leaving: false, timer: undefined, waiters: undefined });
    return true;
  }

  /** The connection is gone; `joined`: a shard has the player and will report the logout. */
  leaving(username: string, joined: boolean): void {
    const entry = this.#entries.get(username);
    if (entry === undefined) return;
    if (!joined) {
      this.release(username);
      return;
    }
    entry.leaving = true;
    entry.timer ??= setTimeout(() => this.release(username), this.#releaseAfterMs);
  }

  release(username: string): void {
    const entry = this.#entries.get(username);
    if (entry === undefined) return;
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    this.#entries.delete(username);
    this.onRelease?.(username);
    for (const wake of entry.waiters ?? []) wake();
  }

  /** Resolves true once no name is held (every player left and was saved), false after `timeoutMs`. */
  async whenEmpty(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (this.#entries.size > 0) {
      if (performance.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return true;
  }

  clear(): void {
    for (const name of [...this.#entries.keys()]) this.release(name);
  }
}
