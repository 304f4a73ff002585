import { performance } from 'node:perf_hooks';
import { setTimeout as sleepMs } from 'node:timers/promises';
import type { ScenarioPlan } from '../options/plan.js';
import type { Slot } from '../schedule/slot.js';
import type { Runtime } from '../vu/runtime.js';
import { Vu } from '../vu/vu.js';

/** The function an iteration runs: the scenario's default export (or `exec`), with setup()'s data. */
export type IterationFn = (vu: Vu, data: unknown) => unknown;

/** What an executor gets: its scenario, its share of it, and the worker's shared parts. */
export interface ExecutorContext {
  plan: ScenarioPlan;
  /** This worker's share of the VUs and arrivals (see schedule/slot.ts). */
  slot: Slot;
  /** This process's share of a test split with --segment (for shared-iterations). */
  processSlot: Slot;
  runtime: Runtime;
  fn: IterationFn;
  /** performance.now() of the scenario's start in this thread. */
  startAt: number;
  /** Aborted on a global stop (abortOnFail threshold, SIGINT): no new iterations, then graceful stop. */
  signal: AbortSignal;
  /** Iterations taken so far by this process's workers (shared-iterations); Atomics. */
  sharedCounter: Int32Array;
  /** Tags of the test, merged under the scenario's. */
  testTags: Readonly<Record<string, string>>;
  /** What setup() returned (after a JSON round trip, as k6), or undefined. */
  setupData: unknown;
}

export type Executor = (ctx: ExecutorContext) => Promise<void>;

/** Sleeps until `at` (performance.now() ms) or until the signal aborts; true when aborted. */
export async function sleepUntil(at: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return true;
  const wait = at - performance.now();
  if (wait <= 0) return false;
  try {
    await sleepMs(wait, undefined, { signal });
    return false;
  } catch {
    return true;
  }
}

const tagsOf = new WeakMap<ExecutorContext['plan'], Readonly<Record<string, string>>>();
const envOf = new WeakMap<ExecutorContext['plan'], Readonly<Record<string, string>>>();

/**
 * A scenario's `vu.env`, one frozen object shared by its VUs: this thread's environment (the
 * generator's, with `--env` values, which the main thread sets before starting the workers) and
 * the scenario's `env` over it, as k6's `__ENV`.
 */
function scenarioEnv(ctx: ExecutorContext): Readonly<Record<string, string>> {
  let env = envOf.get(ctx.plan);
  if (env === undefined) {
    const base: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) base[k] = v;
    env = Object.freeze({ ...base, ...ctx.plan.env });
    envOf.set(ctx.plan, env);
  }
  return env;
}

/** The tags of a scenario's samples, one frozen object shared by its VUs. */
function scenarioTags(ctx: ExecutorContext): Readonly<Record<string, string>> {
  let tags = tagsOf.get(ctx.plan);
  if (tags === undefined) {
    tags = Object.freeze({ ...ctx.testTags, ...ctx.plan.tags, scenario: ctx.plan.name });
    tagsOf.set(ctx.plan, tags);
  }
  return tags;
}

/** Creates a VU of this scenario: global id from its local index (unique over workers and processes). */
export function createVu(ctx: ExecutorContext, localIndex: number): Vu {
  const p = ctx.plan;
  const id = p.vuIdBase + 1 + ctx.slot.offset + ctx.slot.stride * localIndex;
  ctx.runtime.allocatedDelta(1);
  return new Vu(ctx.runtime, id, p.name, scenarioTags(ctx), scenarioEnv(ctx));
}

/**
 * Times and counts one VU's iterations. One per VU, made once: the hot path allocates no closure
 * per iteration (measured: per-iteration `done`/`failed` closures cost ~5 % of a closed loop's
 * CPU, more under tsx, which names every closure at creation).
 */
export class IterationRecorder {
  readonly #rt: Runtime;
  readonly #vu: Vu;
  start = 0;
  /** Between begin() and the end of that iteration. */
  busy = false;
  /**
   * The running iteration was cut (its gracefulStop or gracefulRampDown passed): it counts in
   * `interrupted_iterations` only, as in k6, not in `iterations`, its duration or its errors
   * (the error it ends with is the cut itself: its connections were dropped).
   */
  cut = false;
  readonly done: () => void;
  readonly failed: (e: unknown) => void;

  constructor(rt: Runtime, vu: Vu) {
    this.#rt = rt;
    this.#vu = vu;
    this.done = this.#done.bind(this);
    this.failed = this.#failed.bind(this);
  }

  /**
   * Starts an iteration: counts it, times it from its intended start, and runs the function.
   * Returns the iteration's promise when the function returned one (the caller settles the
   * recording with `done` or `failed`); otherwise the iteration is already recorded, a thrown
   * error included, and it returns undefined.
   */
  begin(ctx: ExecutorContext, intendedMs: number | undefined): Promise<unknown> | undefined {
    const vu = this.#vu;
    vu.iteration++;
    vu.resetGroups();
    this.busy = true;
    this.cut = false;
    this.start = intendedMs ?? performance.now();
    if (intendedMs !== undefined) vu.pacer.intend(intendedMs);
    let result: unknown;
    try {
      result = ctx.fn(vu, ctx.setupData);
    } catch (e) {
      this.#failed(e);
      return undefined;
    }
    if (result instanceof Promise) return result;
    this.#done();
    return undefined;
  }

  #done(): void {
    this.busy = false;
    if (this.cut) return;
    const rt = this.#rt;
    rt.iterationDuration.addScaled(Math.round((performance.now() - this.start) * 1000), this.#vu.tags);
    rt.iterations.add(1, undefined, this.#vu.tags);
  }

  #failed(e: unknown): void {
    if (this.cut) {
      this.busy = false;
      return;
    }
    this.#rt.iterationErrors.add(1, undefined, this.#vu.tags);
    this.#rt.recordError(e);
    this.#done();
  }
}

const recorders = new WeakMap<Vu, IterationRecorder>();
const RESOLVED = Promise.resolve();

/** The recorder of `vu`'s iterations, made on first use. */
export function recorderOf(ctx: ExecutorContext, vu: Vu): IterationRecorder {
  let rec = recorders.get(vu);
  if (rec === undefined) {
    rec = new IterationRecorder(ctx.runtime, vu);
    recorders.set(vu, rec);
  }
  return rec;
}

/**
 * Runs one iteration (IterationRecorder.begin) and resolves once it has ended and been recorded;
 * a thrown or rejected error becomes an `iteration_errors` count (and its message goes to the
 * error tally): a failing iteration never stops the VU, as in k6.
 */
export function iterate(ctx: ExecutorContext, vu: Vu, intendedMs: number | undefined): Promise<void> {
  const rec = recorderOf(ctx, vu);
  const pending = rec.begin(ctx, intendedMs);
  // One .then() instead of an async wrapper saves a promise hop per iteration.
  return pending === undefined ? RESOLVED : pending.then(rec.done, rec.failed);
}

/**
 * Cuts the running iterations of `vus`: counts each in `interrupted_iterations` (and nowhere
 * else) and drops the VU's connections, which ends an iteration waiting on them. Returns how many
 * were running.
 */
export function cutIterations(rt: Runtime, vus: Iterable<Vu>): number {
  let n = 0;
  for (const vu of vus) {
    const rec = recorders.get(vu);
    if (rec?.busy !== true || rec.cut) continue;
    rec.cut = true;
    n++;
  }
  if (n > 0) rt.interruptedIterations.add(n);
  for (const vu of vus) vu.closeSessions(true);
  return n;
}

/**
 * Ends a scenario: waits for running work up to gracefulStop, then cuts what is left (counted in
 * interrupted_iterations, connections dropped).
 */
export async function gracefulStop(
  ctx: ExecutorContext,
  running: ReadonlySet<Promise<void>>,
  vus: Iterable<Vu>,
): Promise<void> {
  if (running.size > 0) {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ctx.plan.gracefulStopMs);
    });
    const outcome = await Promise.race([
      Promise.allSettled([...running]).then(() => 'done' as const),
      deadline,
    ]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      cutIterations(ctx.runtime, [...vus]);
      return;
    }
  }
  for (const vu of vus) vu.closeSessions(false);
}
