import { performance } from 'node:perf_hooks';

/**
 * The piscina worker entry of the job pool. It imports a job module once per thread (cached),
 * runs its default export on the input and reports how long the run itself took, so the pool can
 * split a job's total time into waiting and running without comparing clocks across threads.
 */

export interface JobEnvelope {
  /** `file:` URL (or package specifier) of the job module. */
  readonly module: string;
  readonly input: unknown;
}

export interface JobOutcome {
  readonly output: unknown;
  /** Time the job function ran, in milliseconds. */
  readonly runMs: number;
}

/** Tags an invalid-module error so the pool can tell it from a job that threw (errors cross threads as plain Errors). */
export const TASK_INVALID_MARK = '[LEV_ERR_JOB_TASK_INVALID]';

type JobFunction = (input: unknown) => unknown;

const cache = new Map<string, Promise<JobFunction>>();

function load(module: string): Promise<JobFunction> {
  let fn = cache.get(module);
  if (fn === undefined) {
    fn = import(module).then((mod: Record<string, unknown>) => {
      const candidate = mod.default;
      if (typeof candidate !== 'function') {
        // Plain Error: it crosses the thread boundary by structured clone; the pool wraps it.
        throw new Error(`${TASK_INVALID_MARK} must export a function as default`);
      }
      return candidate as JobFunction;
    });
    // A module that failed to load may be fixed on disk; do not cache the failure.
    fn.catch(() => cache.delete(module));
    cache.set(module, fn);
  }
  return fn;
}

export default async function runJob(envelope: JobEnvelope): Promise<JobOutcome> {
  const fn = await load(envelope.module);
  const start = performance.now();
  const output = await fn(envelope.input);
  return { output, runMs: performance.now() - start };
}
