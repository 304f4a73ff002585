import type { OutputBatch } from '../ipc/batches.js';

/**
 * A shard's pending output for one gateway during a tick, flushed as one OutputBatch at the end
 * of the tick. Fields are declared up front so the object keeps one shape (CONVENTIONS: hot paths).
 */
export class Outbox {
  strings: string[] = [];
  sends: number[] = [];
  all: number[] = [];
  routes: number[] = [];
  kicks: Array<number | string> = [];
  timings: number[] = [];
  /** Set when the gateway must learn the tick phase even if nothing else is sent. */
  syncPhase = true;

  get empty(): boolean {
    return (
      this.sends.length === 0 &&
      this.all.length === 0 &&
      this.routes.length === 0 &&
      this.kicks.length === 0 &&
      !this.syncPhase
    );
  }

  addString(text: string): number {
    return this.strings.push(text) - 1;
  }

  send(conn: number, index: number, flags: number): void {
    this.sends.push(conn, index, flags);
  }

  take(shard: number, nextTickAt: number, tickMs: number): OutputBatch {
    const batch: OutputBatch = {
      shard,
      strings: this.strings,
      sends: this.sends,
      all: this.all,
      routes: this.routes,
      kicks: this.kicks,
      timings: this.timings,
      nextTickAt,
      tickMs,
    };
    this.strings = [];
    this.sends = [];
    this.all = [];
    this.routes = [];
    this.kicks = [];
    this.timings = [];
    this.syncPhase = false;
    return batch;
  }
}
