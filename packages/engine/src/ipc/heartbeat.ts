/**
 * Shard health without messages: each shard writes its tick count and the time of its last tick
 * into a SharedArrayBuffer slot; main and the gateways read it for `/readyz` and the
 * last-tick-age gauge. A stalled shard cannot send a message saying so, but its slot stops moving.
 *
 * Layout per shard (Float64): [last tick at (epoch ms), tick count, up (1/0), overruns].
 * A final slot holds global flags: [store ready (1/0), shutting down (1/0), 0, 0].
 */
const SLOT = 4;

export class Heartbeat {
  readonly #view: Float64Array;
  readonly shards: number;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.#view = new Float64Array(buffer);
    this.shards = this.#view.length / SLOT - 1;
  }

  static create(shards: number): Heartbeat {
    return new Heartbeat(new SharedArrayBuffer((shards + 1) * SLOT * 8));
  }

  beat(shard: number, tick: number, at: number): void {
    const o = shard * SLOT;
    this.#view[o] = at;
    this.#view[o + 1] = tick;
  }

  setUp(shard: number, up: boolean): void {
    this.#view[shard * SLOT + 2] = up ? 1 : 0;
  }

  addOverrun(shard: number): void {
    this.#view[shard * SLOT + 3] = (this.#view[shard * SLOT + 3] ?? 0) + 1;
  }

  isUp(shard: number): boolean {
    return this.#view[shard * SLOT + 2] === 1;
  }

  lastTickAt(shard: number): number {
    return this.#view[shard * SLOT] ?? 0;
  }

  ticks(shard: number): number {
    return this.#view[shard * SLOT + 1] ?? 0;
  }

  overruns(shard: number): number {
    return this.#view[shard * SLOT + 3] ?? 0;
  }

  /** Age of the last tick in ms; Infinity before the first tick. */
  age(shard: number, now: number): number {
    const at = this.lastTickAt(shard);
    return at === 0 ? Number.POSITIVE_INFINITY : Math.max(0, now - at);
  }

  setStoreReady(ready: boolean): void {
    this.#view[this.shards * SLOT] = ready ? 1 : 0;
  }

  storeReady(): boolean {
    return this.#view[this.shards * SLOT] === 1;
  }

  setShuttingDown(): void {
    this.#view[this.shards * SLOT + 1] = 1;
  }

  shuttingDown(): boolean {
    return this.#view[this.shards * SLOT + 1] === 1;
  }

  /** Every shard up and ticking within `stallMs`, the store ready, not shutting down. */
  ready(now: number, stallMs: number): { ready: boolean; shards: Array<{ up: boolean; ageMs: number }> } {
    const shards: Array<{ up: boolean; ageMs: number }> = [];
    let ready = this.storeReady() && !this.shuttingDown();
    for (let s = 0; s < this.shards; s++) {
      const up = this.isUp(s);
      const ageMs = this.age(s, now);
      if (!up || ageMs > stallMs) ready = false;
      shards.push({ up, ageMs: Number.isFinite(ageMs) ? Math.round(ageMs) : -1 });
    }
    return { ready, shards };
  }
}
