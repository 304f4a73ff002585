import type { LoopHealth } from '../ipc/messages.js';
import { Aggregate } from '../metrics/aggregate.js';
import type { MetricsSnapshot, SeriesSnapshot } from '../metrics/types.js';

/** One interval of every worker: its number, the sum of their metrics, their event loops' health. */
export interface MergedInterval {
  seq: number;
  /** The caller destroys it once used. */
  agg: Aggregate;
  health: LoopHealth[];
}

interface Pending {
  agg: Aggregate;
  reported: Set<number>;
  health: LoopHealth[];
}

/**
 * Puts the workers' interval reports together, in order. Interval `seq` is complete once every
 * worker has reported it or has ended before it (its `done`, or the last interval a crashed or
 * terminated worker sent); `takeComplete()` gives the complete intervals in order, and one still
 * waiting for a worker holds back the later ones, so that every interval merges every worker.
 */
export class IntervalMerger {
  readonly #workers: number;
  readonly #pending = new Map<number, Pending>();
  /** Worker → the last interval it reports: its `done`, or for a crashed worker the last it sent. */
  readonly #lastOf = new Map<number, number>();
  readonly #lastSent = new Map<number, number>();
  /**
   * Worker → the gauge levels it ended on. A worker that finished earlier than the others still
   * holds them (its `vus_max` VUs were allocated), so later intervals add them in; without this a
   * run's final `vus_max` was only the slowest worker's share.
   */
  readonly #endLevels = new Map<number, MetricsSnapshot>();

  /** @param workers how many workers report (indexes 0 to workers - 1) */
  constructor(workers: number) {
    this.#workers = workers;
  }

  /** Worker `worker`'s report of interval `seq`. */
  add(worker: number, seq: number, metrics: MetricsSnapshot, health: LoopHealth): void {
    let p = this.#pending.get(seq);
    if (p === undefined) {
      p = { agg: new Aggregate(), reported: new Set(), health: [] };
      this.#pending.set(seq, p);
    }
    p.agg.add(metrics, 'sum');
    p.reported.add(worker);
    p.health.push(health);
    this.#lastSent.set(worker, Math.max(seq, this.#lastSent.get(worker) ?? -1));
  }

  /** Worker `worker` is done: `seq` is its last interval, reported with `metrics`. */
  done(worker: number, seq: number, metrics: MetricsSnapshot, health: LoopHealth): void {
    this.add(worker, seq, metrics, health);
    this.#lastOf.set(worker, seq);
    this.#endLevels.set(worker, levelsOf(metrics));
  }

  /** Worker `worker` stopped without its `done`: the last interval it sent is its last. */
  crashed(worker: number): void {
    if (!this.#lastOf.has(worker)) this.#lastOf.set(worker, this.#lastSent.get(worker) ?? -1);
  }

  /** Whether worker `worker` is done or has crashed. */
  ended(worker: number): boolean {
    return this.#lastOf.has(worker);
  }

  /** The complete intervals not taken yet, in order. */
  *takeComplete(): Generator<MergedInterval> {
    const seqs = [...this.#pending.keys()].sort((a, b) => a - b);
    for (const seq of seqs) {
      const p = this.#pending.get(seq) as Pending;
      for (let w = 0; w < this.#workers; w++) {
        const last = this.#lastOf.get(w);
        if (!p.reported.has(w) && !(last !== undefined && last < seq)) return;
      }
      for (const [w, levels] of this.#endLevels) if (!p.reported.has(w)) p.agg.add(levels, 'sum');
      this.#pending.delete(seq);
      yield { seq, agg: p.agg, health: p.health };
    }
  }
}

/** The gauges of a snapshot as steady levels (min = max = the level it ended on). */
function levelsOf(snapshot: MetricsSnapshot): MetricsSnapshot {
  const levels: MetricsSnapshot = {};
  for (const key in snapshot) {
    const s = snapshot[key] as SeriesSnapshot;
    if (s.type === 'gauge') levels[key] = { type: 'gauge', value: s.value, min: s.value, max: s.value };
  }
  return levels;
}
