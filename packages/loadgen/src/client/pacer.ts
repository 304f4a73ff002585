/**
 * Where a VU's next action was meant to happen, for latency without coordinated omission. An
 * open-model iteration is meant to start at its scheduled time, not when a busy generator got to
 * it; a `sleep(1000)` is meant to end 1000 ms after it began, not when a lagging event loop woke
 * up. Latencies are measured from these intended times, so generator delays show in the results
 * instead of hiding (Gil Tene, "How NOT to measure latency").
 */
export class Pacer {
  /** Intended time (performance.now() ms) of the next action; -1 when "now". */
  #intendedMs = -1;

  /** The next action is meant to happen at `ms`. */
  intend(ms: number): void {
    this.#intendedMs = ms;
  }

  /** Consumes the intended time of the action happening now (the actual time when none was set). */
  take(now: number): number {
    const t = this.#intendedMs;
    this.#intendedMs = -1;
    return t >= 0 && t < now ? t : now;
  }

  /** The intended time without consuming it. */
  peek(now: number): number {
    const t = this.#intendedMs;
    return t >= 0 && t < now ? t : now;
  }
}
