import { performance } from 'node:perf_hooks';
import type { ArrivalRatePlan } from '../options/plan.js';
import { ArrivalSchedule } from '../schedule/ramp.js';
import { globalIndex, shareCount } from '../schedule/slot.js';
import type { Vu } from '../vu/vu.js';
import { createVu, type ExecutorContext, gracefulStop, iterate, sleepUntil } from './context.js';

/**
 * constant-arrival-rate and ramping-arrival-rate (open model). Iteration g of the whole test
 * starts at the time the schedule gives it, whether or not earlier iterations finished; this
 * worker starts the g of its slot. The iteration's latencies count from that scheduled time, so
 * a slow start shows as latency. When no VU is free and maxVUs are allocated, the iteration is
 * dropped and counted in `dropped_iterations`; a start later than `lateStartMs` counts in
 * `late_iterations`, and every start delay goes to the `iteration_start_delay` trend. Nothing
 * is dropped silently.
 */
export async function arrivalRate(ctx: ExecutorContext & { plan: ArrivalRatePlan }): Promise<void> {
  const { plan, slot, runtime: rt } = ctx;
  const schedule = new ArrivalSchedule(plan.startRate, plan.stages, plan.timeUnitMs);
  const maxLocal = shareCount(plan.maxVus, slot);
  const idle: Vu[] = [];
  const all: Vu[] = [];
  for (let k = 0; k < shareCount(plan.preAllocatedVus, slot); k++) {
    const vu = createVu(ctx, k);
    all.push(vu);
    idle.push(vu);
  }
  const running = new Set<Promise<void>>();
  const lateUs = rt.lateStartMs * 1000;
  for (let j = 0; ; j++) {
    const t = schedule.timeOf(globalIndex(j, slot));
    if (t === undefined) break;
    const due = ctx.startAt + t;
    if (due > performance.now() + 0.5 && (await sleepUntil(due, ctx.signal))) break;
    if (ctx.signal.aborted) break;
    const delayUs = Math.round((performance.now() - due) * 1000);
    rt.startDelay.addScaled(delayUs);
    if (delayUs > lateUs) rt.lateIterations.add(1);
    let vu = idle.pop();
    if (vu === undefined && all.length < maxLocal) {
      vu = createVu(ctx, all.length);
      all.push(vu);
    }
    if (vu === undefined) {
      rt.droppedIterations.add(1);
      continue;
    }
    const theVu = vu;
    rt.activeDelta(1);
    const p = iterate(ctx, theVu, due).finally(() => {
      rt.activeDelta(-1);
      running.delete(p);
      idle.push(theVu);
    });
    running.add(p);
  }
  await gracefulStop(ctx, running, all);
}
