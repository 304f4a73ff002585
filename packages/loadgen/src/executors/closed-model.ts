import { performance } from 'node:perf_hooks';
import type { ConstantVusPlan, IterationsPlan, RampingVusPlan } from '../options/plan.js';
import { stageEndAfter, vusAt } from '../schedule/ramp.js';
import { globalIndex, shareCount } from '../schedule/slot.js';
import type { Vu } from '../vu/vu.js';
import {
  createVu,
  cutIterations,
  type ExecutorContext,
  gracefulStop,
  recorderOf,
  sleepUntil,
} from './context.js';
import { eventLoopStarved, nextEventLoopTurn } from './event-loop-turns.js';

/**
 * How often ramping-vus re-reads its target. VU counts change at most this often; 50 ms keeps a
 * 100-VU ramp over 2 minutes exact to the VU while costing nothing measurable.
 * @default 50 (ms)
 */
export const RAMP_TICK_MS = 50;

/**
 * A VU looping over iterations while `keepGoing()`; the promise ends after its last iteration.
 * An async function itself rather than one wrapping an async arrow: the arrow was a closure and a
 * context more per VU, held for the VU's life (heap snapshots of the idle scenario of
 * benchmarks/src/loadgen, 1,000 vs 3,000 VUs). It awaits the iteration's own promise rather than
 * iterate()'s `.then()` of it: one promise and one microtask less per iteration (no change
 * in round trips per CPU-second that 10 alternations against the old loop could show: median pair
 * ratio 0.99, runs from 0.86 to 1.27 on the 2-core machine).
 */
async function loop(ctx: ExecutorContext, vu: Vu, keepGoing: () => boolean): Promise<void> {
  ctx.runtime.activeDelta(1);
  const rec = recorderOf(ctx, vu);
  try {
    while (keepGoing() && !ctx.signal.aborted) {
      const pending = rec.begin(ctx, undefined);
      if (pending === undefined) {
        // Already recorded; one microtask, so that the VUs of a synchronous function take turns.
        await undefined;
      } else {
        let failed = false;
        try {
          await pending;
        } catch (e) {
          failed = true;
          rec.failed(e);
        }
        if (!failed) rec.done();
      }
      if (eventLoopStarved()) await nextEventLoopTurn();
    }
  } finally {
    ctx.runtime.activeDelta(-1);
  }
}

/** constant-vus: this worker's share of `vus`, looping until `duration` has passed. */
export async function constantVus(ctx: ExecutorContext & { plan: ConstantVusPlan }): Promise<void> {
  const endAt = ctx.startAt + ctx.plan.durationMs;
  let ending = false;
  const vus: Vu[] = [];
  const running = new Set<Promise<void>>();
  const n = shareCount(ctx.plan.vus, ctx.slot);
  for (let j = 0; j < n; j++) {
    const vu = createVu(ctx, j);
    vus.push(vu);
    const p = loop(ctx, vu, () => !ending);
    running.add(p);
    void p.then(() => running.delete(p));
  }
  await sleepUntil(endAt, ctx.signal);
  ending = true;
  await gracefulStop(ctx, running, vus);
}

/**
 * ramping-vus: VU j of this worker (global index g) runs while g < target(t), the ramp rounded
 * to the nearest VU. Because shares interleave, the workers' VU counts add up to the target at every tick.
 * A VU ramped down mid-iteration has `gracefulRampDown` to finish it (k6's semantics); past that
 * its iteration counts in `interrupted_iterations` and its sessions are dropped, which ends an
 * iteration waiting on them.
 */
export async function rampingVus(ctx: ExecutorContext & { plan: RampingVusPlan }): Promise<void> {
  const { plan, slot } = ctx;
  const endAt = ctx.startAt + plan.durationMs;
  const local: Vu[] = [];
  const loops = new Map<Vu, Promise<void>>();
  const running = new Set<Promise<void>>();
  /** VU → when its graceful ramp-down ends (it is past the target and still in an iteration). */
  const rampDownUntil = new Map<Vu, number>();
  let target = 0;
  for (;;) {
    const now = performance.now();
    const done = now >= endAt || ctx.signal.aborted;
    target = done ? 0 : vusAt(plan.startVus, plan.stages, now - ctx.startAt);
    const want = shareCount(target, slot);
    for (let j = 0; j < want; j++) {
      let vu = local[j];
      if (vu === undefined) {
        vu = createVu(ctx, j);
        local[j] = vu;
      }
      rampDownUntil.delete(vu);
      if (!loops.has(vu)) {
        const g = globalIndex(j, slot);
        const p = loop(ctx, vu, () => g < target);
        loops.set(vu, p);
        running.add(p);
        const theVu = vu;
        void p.then(() => {
          running.delete(p);
          loops.delete(theVu);
          rampDownUntil.delete(theVu);
          // A VU ramped down closes its connections, as a player leaving would.
          if (!(g < target)) theVu.closeSessions(false);
        });
      }
    }
    if (done) break;
    // VUs past the target still in an iteration: start or end their graceful ramp-down.
    for (let j = want; j < local.length; j++) {
      const vu = local[j] as Vu;
      if (!loops.has(vu)) continue;
      const until = rampDownUntil.get(vu);
      if (until === undefined) rampDownUntil.set(vu, now + plan.gracefulRampDownMs);
      else if (until !== Number.POSITIVE_INFINITY && now >= until) {
        cutIterations(ctx.runtime, [vu]);
        // Counted once: it stays here until its loop ends (or it is ramped up again).
        rampDownUntil.set(vu, Number.POSITIVE_INFINITY);
      }
    }
    // Wake at the next tick, or exactly at a stage's end, where the target is reached.
    const stageEnd = ctx.startAt + stageEndAfter(plan.stages, now - ctx.startAt);
    if (await sleepUntil(Math.min(endAt, now + RAMP_TICK_MS, stageEnd), ctx.signal)) continue;
  }
  await gracefulStop(ctx, running, local);
}

/** per-vu-iterations and shared-iterations. */
export async function iterations(ctx: ExecutorContext & { plan: IterationsPlan }): Promise<void> {
  const { plan } = ctx;
  const endAt = ctx.startAt + plan.durationMs;
  let ending = false;
  const vus: Vu[] = [];
  const running = new Set<Promise<void>>();
  const n = shareCount(plan.vus, ctx.slot);
  // shared-iterations: the workers of this process take iterations from one shared counter, so a
  // faster worker takes more (k6's semantics); processes split the total statically (--segment).
  const processTotal = shareCount(plan.iterations, ctx.processSlot);
  const counter = ctx.sharedCounter;
  for (let j = 0; j < n; j++) {
    const vu = createVu(ctx, j);
    vus.push(vu);
    let left = plan.iterations;
    const keepGoing =
      plan.executor === 'per-vu-iterations'
        ? () => !ending && left-- > 0
        : () => !ending && Atomics.add(counter, 0, 1) < processTotal;
    const p = loop(ctx, vu, keepGoing);
    running.add(p);
    void p.then(() => running.delete(p));
  }
  const all = Promise.allSettled([...running]);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, endAt - performance.now()));
  });
  // The loops stop on their own at an abort (they check the signal); this only stops waiting.
  const aborted = new Promise<void>((resolve) =>
    ctx.signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  await Promise.race([all, timeout, aborted]);
  clearTimeout(timer);
  ending = true;
  await gracefulStop(ctx, running, vus);
}
