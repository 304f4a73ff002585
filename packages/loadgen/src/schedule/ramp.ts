import type { PlanStage } from '../options/plan.js';

/**
 * The value of a linear ramp at `t` ms: from `start`, each stage moves linearly to its target
 * over its duration (k6's ramping-vus and ramping-arrival-rate). After the last stage: its target.
 */
export function rampValueAt(start: number, stages: readonly PlanStage[], t: number): number {
  let from = start;
  let at = 0;
  for (const stage of stages) {
    if (t < at + stage.durationMs) {
      return from + ((stage.target - from) * (t - at)) / stage.durationMs;
    }
    at += stage.durationMs;
    from = stage.target;
  }
  return from;
}

/**
 * VUs wanted at `t` ms: the ramp rounded to the nearest VU. Rounding (not flooring) makes a peak
 * between a ramp up and a ramp down reachable: floored, 10 → 0 reads 9.99 → 9 a moment after the
 * peak, and a sampler never sees 10.
 */
export function vusAt(startVus: number, stages: readonly PlanStage[], t: number): number {
  return Math.round(rampValueAt(startVus, stages, t));
}

/** The end of the stage running at `t` (ms from the start), or Infinity after the last one. */
export function stageEndAfter(stages: readonly PlanStage[], t: number): number {
  let at = 0;
  for (const stage of stages) {
    at += stage.durationMs;
    if (t < at) return at;
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * Start times of the iterations of an open-model (arrival-rate) scenario. The rate ramps linearly
 * per stage; iteration g starts when the integral of the rate reaches g, so the number of
 * iterations started by time t is ⌈N(t)⌉ exactly — counts, not timers, define the load. Queries
 * must come in increasing g (a cursor walks the stages once: O(1) per iteration).
 */
export class ArrivalSchedule {
  readonly #stages: readonly PlanStage[];
  readonly #startRate: number;
  readonly #timeUnitMs: number;
  #stage = 0;
  #stageStartMs = 0;
  #stageStartCount = 0;
  #stageFromRate: number;

  constructor(startRate: number, stages: readonly PlanStage[], timeUnitMs: number) {
    this.#stages = stages;
    this.#startRate = startRate;
    this.#timeUnitMs = timeUnitMs;
    this.#stageFromRate = startRate;
  }

  /** Total iterations the schedule starts (over all workers). */
  total(): number {
    let n = 0;
    let from = this.#startRate;
    for (const s of this.#stages) {
      n += ((from + s.target) / 2) * (s.durationMs / this.#timeUnitMs);
      from = s.target;
    }
    return Math.ceil(n - 1e-9);
  }

  /** Start time in ms of global iteration g (0-based), or undefined when the schedule ends first. */
  timeOf(g: number): number | undefined {
    while (this.#stage < this.#stages.length) {
      const stage = this.#stages[this.#stage] as PlanStage;
      const r0 = this.#stageFromRate / this.#timeUnitMs; // iterations per ms
      const r1 = stage.target / this.#timeUnitMs;
      const d = stage.durationMs;
      const inStage = ((r0 + r1) / 2) * d;
      const want = g - this.#stageStartCount;
      if (want < inStage - 1e-9) {
        return this.#stageStartMs + solve(r0, r1, d, want);
      }
      this.#stage++;
      this.#stageStartMs += d;
      this.#stageStartCount += inStage;
      this.#stageFromRate = stage.target;
    }
    return undefined;
  }
}

/** Smallest x in [0, d] with r0·x + (r1−r0)/(2d)·x² = n (the integral of a linear rate). */
function solve(r0: number, r1: number, d: number, n: number): number {
  if (n <= 0) return 0;
  const a = (r1 - r0) / (2 * d);
  if (Math.abs(a) < 1e-15) return n / r0;
  const disc = r0 * r0 + 4 * a * n;
  const x = (-r0 + Math.sqrt(Math.max(0, disc))) / (2 * a);
  return Math.min(d, Math.max(0, x));
}
