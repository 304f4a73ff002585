import type { TimerId, Timers } from '../game/timers.js';

interface Timer {
  id: number;
  due: number;
  every: number;
  fn: () => void;
}

/**
 * Game timers on a binary min-heap by due time, run by the tick loop (`runDue(now)`): O(log n) to
 * add and to fire, nothing to do on ticks with no due timer.
 */
export class TimerQueue implements Timers {
  readonly #heap: Timer[] = [];
  readonly #cancelled = new Set<number>();
  #nextId = 1;
  #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  get size(): number {
    return this.#heap.length - this.#cancelled.size;
  }

  after(ms: number, fn: () => void): TimerId {
    return this.#add(ms, 0, fn);
  }

  every(ms: number, fn: () => void): TimerId {
    if (!(ms > 0)) throw new RangeError('an interval must be positive');
    return this.#add(ms, ms, fn);
  }

  cancel(id: TimerId): void {
    if (this.#heap.some((t) => t.id === id)) this.#cancelled.add(id);
  }

  /** Runs every timer due at `now`; errors go to `onError` and never stop the other timers. */
  runDue(now: number, onError: (err: unknown) => void): void {
    const heap = this.#heap;
    while (heap.length > 0 && heap[0]!.due <= now) {
      const timer = this.#pop();
      if (this.#cancelled.delete(timer.id)) continue;
      try {
        timer.fn();
      } catch (err) {
        onError(err);
      }
      if (timer.every > 0 && !this.#cancelled.delete(timer.id)) {
        // Drift-free: the next due time follows the grid, but never in the past (no bursts).
        timer.due = Math.max(timer.due + timer.every, now);
        this.#push(timer);
      }
    }
  }

  #add(ms: number, every: number, fn: () => void): TimerId {
    const id = this.#nextId++;
    this.#push({ id, due: this.#now() + Math.max(0, ms), every, fn });
    return id;
  }

  #push(timer: Timer): void {
    const heap = this.#heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.due <= timer.due) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = timer;
  }

  #pop(): Timer {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        let mDue = last.due;
        if (l < heap.length && heap[l]!.due < mDue) {
          m = l;
          mDue = heap[l]!.due;
        }
        if (r < heap.length && heap[r]!.due < mDue) m = r;
        if (m === i) break;
        heap[i] = heap[m]!;
        i = m;
      }
      heap[i] = last;
    }
    return top;
  }
}
