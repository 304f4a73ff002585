import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { JobFailedError, JobPoolClosedError, JobQueueFullError, JobTaskInvalidError } from '../errors.js';
import { engineFile } from '../ipc/engine-files.js';
import type { ThreadMetrics } from '../metrics/thread-metrics.js';
import { type JobEnvelope, type JobOutcome, TASK_INVALID_MARK } from './job-worker.js';

/**
 * A pool of worker threads for CPU-heavy, stateless work that must not stall a tick: path finding,
 * world generation, password hashing, bulk encoding. Shards are not jobs (they keep state).
 *
 * A job is a module whose default export takes one input and returns (or resolves to) an output;
 * input and output cross threads by structured clone. From game code:
 *
 * ```ts
 * // jobs/find-path.ts
 * export default function findPath(input: { from: string; to: string }) { ... }
 * // in a command or system
 * const path = await ctx.jobs?.run(new URL('./jobs/find-path.js', import.meta.url), { from, to });
 * ```
 *
 * Or register names once: `createJobPool({ tasks: { findPath: new URL(...) } })`, then
 * `run('findPath', input)`. The pool works from any thread, including inside a shard worker;
 * never `await` a job inside a tick and block on it: start it, and use its result in a later tick
 * (a timer or the promise's callback queued into the next tick).
 */
export interface JobPool {
  /** Runs `task` (a registered name, a `file:` URL, or an absolute file path) on `input`. */
  run<I, O>(task: string | URL, input: I, options?: { signal?: AbortSignal }): Promise<O>;
  /** Jobs waiting for a thread. */
  readonly queueSize: number;
  /** Threads currently alive. */
  readonly threads: number;
  /** Waits for running and queued jobs, then stops the threads; `force` rejects queued jobs. */
  close(options?: { force?: boolean }): Promise<void>;
}

export interface JobPoolOptions {
  /**
   * Most worker threads.
   * @default max(1, ⌊cores / 2⌋)
   */
  maxThreads?: number;
  /**
   * Threads kept alive while idle.
   * @default 0
   */
  minThreads?: number;
  /**
   * Most jobs waiting for a thread; beyond, `run()` rejects with `JobQueueFullError`.
   * @default 1024
   */
  maxQueue?: number;
  /**
   * Idle time after which a thread above `minThreads` exits, in milliseconds.
   * @default 30000
   */
  idleTimeoutMs?: number;
  /** Names for job modules, so callers can `run('name', input)`. */
  tasks?: Record<string, string | URL>;
  /** Where wait and run times are observed (`leviathan_job_wait_seconds`, `leviathan_job_run_seconds`). */
  metrics?: Pick<ThreadMetrics, 'jobWait' | 'jobRun'>;
}

/**
 * The worker entry. In the build it is `dist/jobs/job-worker.js` (tsup.config.ts emits it there),
 * wherever this module was bundled (`dist/index.js`, a shard worker, a chunk). From source it is
 * `job-worker-source.mjs`, which registers tsx and loads `job-worker.ts`, so game job modules may
 * be TypeScript too; in the build, job modules must be JavaScript.
 */
function workerUrl(): URL {
  const entry = engineFile('jobs/job-worker.js');
  return entry.pathname.endsWith('.ts') ? new URL('./job-worker-source.mjs', entry) : entry;
}

const DEFAULT_MAX_QUEUE = 1024;

export function createJobPool(options: JobPoolOptions = {}): JobPool {
  const entry = workerUrl();
  const maxQueue = options.maxQueue ?? DEFAULT_MAX_QUEUE;
  const maxThreads = options.maxThreads ?? Math.max(1, Math.floor(availableParallelism() / 2));
  const piscina = new Piscina<JobEnvelope, JobOutcome>({
    filename: entry.href,
    maxThreads,
    minThreads: Math.min(options.minThreads ?? 0, maxThreads),
    maxQueue,
    idleTimeout: options.idleTimeoutMs ?? 30_000,
  });
  const names = new Map<string, string>();
  for (const [name, task] of Object.entries(options.tasks ?? {})) names.set(name, toModule(task));
  const labels = new Map<string, string>();
  const metrics = options.metrics;
  let closed = false;

  return {
    async run<I, O>(task: string | URL, input: I, runOptions?: { signal?: AbortSignal }): Promise<O> {
      if (closed) throw new JobPoolClosedError();
      const module = (typeof task === 'string' ? names.get(task) : undefined) ?? toModule(task);
      const label = labelOf(task, module, labels);
      const start = performance.now();
      let outcome: JobOutcome;
      try {
        outcome = await piscina.run(
          { module, input },
          runOptions?.signal ? { signal: runOptions.signal } : {},
        );
      } catch (error) {
        const message = (error as Error | undefined)?.message ?? '';
        if (message === 'Task queue is at limit') throw new JobQueueFullError(maxQueue, { cause: error });
        if (message.includes(TASK_INVALID_MARK))
          throw new JobTaskInvalidError(label, 'must export a function as default');
        if (closed && /terminated|closed|destroyed/i.test(message)) throw new JobPoolClosedError();
        throw new JobFailedError(label, { cause: error });
      }
      if (metrics) {
        const totalMs = performance.now() - start;
        // Wait = everything but the run itself: queueing plus the two thread hops (tens of µs).
        metrics.jobWait.observe({ job: label }, Math.max(0, totalMs - outcome.runMs) / 1000);
        metrics.jobRun.observe({ job: label }, outcome.runMs / 1000);
      }
      return outcome.output as O;
    },
    get queueSize() {
      return piscina.queueSize;
    },
    get threads() {
      return piscina.threads.length;
    },
    async close(closeOptions?: { force?: boolean }) {
      if (closed) return;
      closed = true;
      await piscina.close({ force: closeOptions?.force ?? false });
    },
  };
}

function toModule(task: string | URL): string {
  if (task instanceof URL) return task.href;
  if (task.startsWith('file:') || task.startsWith('data:')) return task;
  if (isAbsolute(task)) return pathToFileURL(task).href;
  if (task.startsWith('.')) return pathToFileURL(resolve(process.cwd(), task)).href;
  // A package specifier: resolved by the job thread, from the engine's location.
  return task;
}

/** A short, bounded label for metrics: the registered name, or the module's file name. */
function labelOf(task: string | URL, module: string, cache: Map<string, string>): string {
  if (typeof task === 'string' && !task.includes('/') && !task.includes(':') && !task.includes('\\'))
    return task;
  let label = cache.get(module);
  if (label === undefined) {
    const base = module.slice(module.lastIndexOf('/') + 1).replace(/\.(m|c)?(j|t)s$/, '');
    label = base === '' ? 'job' : base;
    // Bound the label set: a game that generates module URLs must not blow up cardinality.
    if (cache.size < 256) cache.set(module, label);
  }
  return label;
}
