/**
 * How many WebSocket opens (TCP connect and HTTP upgrade) one worker has in flight at most; the
 * VUs past it wait their turn, first come first served.
 *
 * Why a bound by default: when thousands of VUs connect at the same moment, every open holds its
 * request, response, parser and timer until the server answers, and a busy generator answers its
 * own sockets late. Measured in `pnpm bench loadgen`'s memory case (5,000 VUs connecting at once):
 * an idle VU cost 20 KB of RSS unbounded, 3.4-4.7 KB with 100 in flight (the figures are beside
 * `DEFAULT_MAX_CONNECTING` in options/normalize.ts). In the 19,000-VU
 * capacity case, unbounded opens at a fixed rate fell so far behind that some upgrade requests
 * left after the server's 10 s HTTP timeout.
 *
 * The wait is part of the open: `ws_connecting` is measured from when the VU meant to connect,
 * so a bound too low for the test shows as connect latency instead of hiding. The open's own
 * timeout starts when it gets a slot (a queue in the generator is not the server's delay).
 */
export class ConnectSlots {
  #free: number;
  /** Waiting opens, oldest first, from `#head` on (an index, not `shift()`, for long queues). */
  #waiting: Array<() => void> = [];
  #head = 0;

  /** @param limit most opens in flight (no bound: no ConnectSlots at all). */
  constructor(limit: number) {
    this.#free = limit;
  }

  /** Takes a slot: undefined when one was free (the common case, no promise made), else a wait. */
  acquire(): Promise<void> | undefined {
    if (this.#free > 0) {
      this.#free--;
      return undefined;
    }
    return new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  /** Gives a slot back: to the oldest waiting open, or to the pool. */
  release(): void {
    if (this.#head < this.#waiting.length) {
      const next = this.#waiting[this.#head] as () => void;
      this.#waiting[this.#head++] = noop;
      if (this.#head === this.#waiting.length) {
        this.#waiting = [];
        this.#head = 0;
      } else if (this.#head >= 1024 && this.#head * 2 >= this.#waiting.length) {
        this.#waiting = this.#waiting.slice(this.#head);
        this.#head = 0;
      }
      next();
      return;
    }
    this.#free++;
  }

  /** Opens waiting for a slot. */
  get queued(): number {
    return this.#waiting.length - this.#head;
  }
}

function noop(): void {}
