import type { ScenarioPlan } from '../options/plan.js';
import { constantVus, iterations, rampingVus } from './closed-model.js';
import type { ExecutorContext } from './context.js';
import { arrivalRate } from './open-model.js';

/** Runs one scenario's share in this worker until its end (and graceful stop). */
export function runExecutor(ctx: ExecutorContext): Promise<void> {
  const plan: ScenarioPlan = ctx.plan;
  switch (plan.executor) {
    case 'constant-vus':
      return constantVus({ ...ctx, plan });
    case 'ramping-vus':
      return rampingVus({ ...ctx, plan });
    case 'per-vu-iterations':
    case 'shared-iterations':
      return iterations({ ...ctx, plan });
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return arrivalRate({ ...ctx, plan });
  }
}
