import type { MessagePort } from 'node:worker_threads';
import { type InputBatch, InputWriter } from '../ipc/input-batch.js';
import { epochNow } from '../shard/tick-loop.js';

/**
 * Per-shard input of one gateway, flushed once per shard tick, just before it.
 *
 * A shard drains its input at the start of each tick, so input posted anywhere in the tick waits
 * for the same tick: the gateway flushes each shard's writer `margin` ms before the shard's next
 * tick (learned from the shard's output, `nextTickAt` + k × period). That is one postMessage per
 * gateway–shard pair per tick under any load, with the same latency as posting each message at
 * once, as long as the post lands within the margin. Before the phase is known it flushes on
 * setImmediate.
 */
export class InputRouter {
  readonly #gateway: number;
  readonly #writers: InputWriter[] = [];
  readonly #ports: Array<MessagePort | undefined> = [];
  readonly #nextTickAt: number[] = [];
  readonly #tickMs: number[] = [];
  readonly #scheduled: Array<NodeJS.Timeout | NodeJS.Immediate | undefined> = [];
  readonly #flushers: Array<() => void> = [];
  /** Batches posted, for the tests and metrics. */
  posts = 0;

  constructor(gateway: number, shards: number) {
    this.#gateway = gateway;
    for (let s = 0; s < shards; s++) {
      this.#writers.push(new InputWriter());
      this.#ports.push(undefined);
      this.#nextTickAt.push(0);
      this.#tickMs.push(0);
      this.#scheduled.push(undefined);
      this.#flushers.push(() => this.flush(s));
    }
  }

  attach(shard: number, port: MessagePort | undefined): void {
    const previous = this.#ports[shard];
    if (previous !== undefined && previous !== port) previous.close();
    this.#ports[shard] = port;
    this.#nextTickAt[shard] = 0;
  }

  isUp(shard: number): boolean {
    return this.#ports[shard] !== undefined;
  }

  /** The shard's schedule, from its latest output batch. */
  setPhase(shard: number, nextTickAt: number, tickMs: number): void {
    if (nextTickAt > 0) {
      this.#nextTickAt[shard] = nextTickAt;
      this.#tickMs[shard] = tickMs;
    }
  }

  /** The writer for the shard's next batch; schedules its flush. */
  to(shard: number): InputWriter {
    if (this.#scheduled[shard] === undefined) this.#schedule(shard);
    return this.#writers[shard]!;
  }

  /** Takes what was written for a shard without sending it (its shard went down). */
  takeUnsent(shard: number): unknown[] {
    return this.#writers[shard]!.take();
  }

  #schedule(shard: number): void {
    const tickMs = this.#tickMs[shard]!;
    const phase = this.#nextTickAt[shard]!;
    if (phase === 0 || tickMs === 0) {
      this.#scheduled[shard] = setImmediate(this.#flushers[shard]!);
      return;
    }
    const now = epochNow();
    let due = phase;
    if (due <= now) due += Math.ceil((now - due) / tickMs) * tickMs;
    if (due <= now) due += tickMs;
    // 10% of the period, 2 to 10 ms: room for the post to cross threads on a busy machine.
    const margin = Math.min(10, Math.max(2, tickMs * 0.1));
    const delay = due - margin - now;
    this.#scheduled[shard] =
      delay <= 0 ? setImmediate(this.#flushers[shard]!) : setTimeout(this.#flushers[shard]!, delay);
  }

  flush(shard: number): void {
    this.#scheduled[shard] = undefined;
    const writer = this.#writers[shard]!;
    if (writer.length === 0) return;
    const port = this.#ports[shard];
    if (port === undefined) return; // kept until the shard is back (bounded by the caller)
    const batch: InputBatch = { gateway: this.#gateway, ops: writer.take() };
    port.postMessage(batch);
    this.posts++;
  }

  flushAll(): void {
    for (let s = 0; s < this.#writers.length; s++) {
      this.#cancel(s);
      this.flush(s);
    }
  }

  close(): void {
    for (let s = 0; s < this.#ports.length; s++) {
      this.#cancel(s);
      this.#ports[s]?.close();
      this.#ports[s] = undefined;
    }
  }

  #cancel(shard: number): void {
    const t = this.#scheduled[shard];
    if (t === undefined) return;
    clearTimeout(t as NodeJS.Timeout);
    clearImmediate(t as NodeJS.Immediate);
    this.#scheduled[shard] = undefined;
  }
}
