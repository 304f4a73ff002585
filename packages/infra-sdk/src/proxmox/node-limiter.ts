/**
 * A concurrency limit per Proxmox node: at most `limit` calls in flight against one node, the
 * rest wait in FIFO order. A single pveproxy runs a handful of workers (3 by default) and every
 * clone or start forks a worker task; flooding one node makes its lock waits time out.
 */
export class NodeLimiter {
  readonly #limit: number;
  readonly #active = new Map<string, number>();
  readonly #waiting = new Map<string, Array<() => void>>();

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  /** Resolves when a slot on `node` is free; the returned function releases it. */
  async acquire(node: string, signal?: AbortSignal): Promise<() => void> {
    const active = this.#active.get(node) ?? 0;
    if (active < this.#limit) {
      this.#active.set(node, active + 1);
      return this.#releaser(node);
    }
    await new Promise<void>((resolve, reject) => {
      const queue = this.#waiting.get(node) ?? [];
      this.#waiting.set(node, queue);
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const i = queue.indexOf(grant);
        if (i >= 0) queue.splice(i, 1);
        reject(signal!.reason);
      };
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(grant);
    });
    return this.#releaser(node);
  }

  /** Calls in flight against `node` now. */
  active(node: string): number {
    return this.#active.get(node) ?? 0;
  }

  #releaser(node: string): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.get(node)?.shift();
      // The slot passes straight to the next waiter: the count stays the same.
      if (next) next();
      else {
        const n = (this.#active.get(node) ?? 1) - 1;
        if (n === 0) this.#active.delete(node);
        else this.#active.set(node, n);
      }
    };
  }
}
