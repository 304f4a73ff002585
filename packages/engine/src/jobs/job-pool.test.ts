import { Worker } from 'node:worker_threads';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/resolve-config.js';
import { JobFailedError, JobPoolClosedError, JobQueueFullError, JobTaskInvalidError } from '../errors.js';
import { createThreadMetrics, type ThreadMetrics } from '../metrics/thread-metrics.js';
import { createJobPool, type JobPool } from './job-pool.js';
import { createShardJobPool, shardJobThreads } from './shard-job-pool.js';

/** Atomics.waitAsync (Node 16+), missing from the ES2023 lib typings. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      array: Int32Array,
      index: number,
      value: number,
      timeoutMs: number,
    ): { value: Promise<string> | string };
  }
).waitAsync;
const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);
const pools: JobPool[] = [];
const metricSets: ThreadMetrics[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close({ force: true })));
  for (const m of metricSets.splice(0)) m.close();
});
function pool(options: Parameters<typeof createJobPool>[0] = {}): JobPool {
  const p = createJobPool({ maxThreads: 1, ...options });
  pools.push(p);
  return p;
}
function metrics(): ThreadMetrics {
  const m = createThreadMetrics(new Registry(), { thread: 'test' });
  metricSets.push(m);
  return m;
}
async function count(m: ThreadMetrics, metric: 'jobWait' | 'jobRun', job: string): Promise<number> {
  const values = (await m[metric].get()).values;
  return values.find((v) => v.metricName?.endsWith('_count') && v.labels.job === job)?.value ?? 0;
}

describe('createJobPool', () => {
  it('runs a real CPU job on another thread and records wait and run times', async () => {
    const m = metrics();
    const jobs = pool({ metrics: m });
    // 2262 primes below 20,000.
    expect(await jobs.run(fixture('count-primes.ts'), { limit: 20_000 })).toBe(2262);
    expect(await jobs.run(fixture('count-primes.ts').pathname, { limit: 100 })).toBe(25);
    expect(await count(m, 'jobRun', 'count-primes')).toBe(2);
    expect(await count(m, 'jobWait', 'count-primes')).toBe(2);
    const sum = (await m.jobRun.get()).values.find((v) => v.metricName?.endsWith('_sum'))!.value;
    expect(sum).toBeGreaterThan(0);
  });

  it('runs registered names, labelled by name', async () => {
    const m = metrics();
    const jobs = pool({ metrics: m, tasks: { primes: fixture('count-primes.ts') } });
    expect(await jobs.run('primes', { limit: 30 })).toBe(10);
    expect(await count(m, 'jobRun', 'primes')).toBe(1);
  });

  it('wraps a job that throws, keeping the cause', async () => {
    const jobs = pool();
    const error = await jobs
      .run(fixture('throws.ts'), { message: 'no path to the tower' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect((error as JobFailedError).code).toBe('LEV_ERR_JOB_FAILED');
    expect((error as Error).message).toContain('no path to the tower');
    expect(((error as Error).cause as Error).message).toBe('no path to the tower');
    // The pool keeps working after a failed job.
    expect(await jobs.run(fixture('count-primes.ts'), { limit: 10 })).toBe(4);
  });

  it('refuses a module that exports no default function', async () => {
    const jobs = pool();
    await expect(jobs.run(fixture('no-default.ts'), {})).rejects.toThrow(JobTaskInvalidError);
  });

  it('rejects with JobQueueFullError past maxQueue, and recovers', async () => {
    const jobs = pool({ maxQueue: 1 });
    const state = new SharedArrayBuffer(8);
    const flags = new Int32Array(state);
    const running = jobs.run(fixture('block-until-released.ts'), { state });
    // Wait (event-driven) until the first job holds the only thread.
    while (Atomics.load(flags, 0) === 0) await waitAsync(flags, 0, 0, 5000).value;
    const queued = jobs.run(fixture('count-primes.ts'), { limit: 10 });
    expect(jobs.queueSize).toBe(1);
    await expect(jobs.run(fixture('count-primes.ts'), { limit: 10 })).rejects.toThrow(JobQueueFullError);
    Atomics.store(flags, 1, 1);
    Atomics.notify(flags, 1);
    expect(await running).toBe('released');
    expect(await queued).toBe(4);
  });

  it('refuses new jobs once closed', async () => {
    const jobs = pool();
    await jobs.close();
    await expect(jobs.run(fixture('count-primes.ts'), { limit: 10 })).rejects.toThrow(JobPoolClosedError);
  });

  it('works when created inside a worker thread', async () => {
    const entry = fixture('pool-in-worker.ts').href;
    const worker = new Worker(
      `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`,
      { eval: true },
    );
    const result = await new Promise<{ primes: number; runs: number }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`worker exited with ${code} before answering`)));
    });
    await worker.terminate();
    expect(result).toEqual({ primes: 2262, runs: 1 });
  });

  it("sizes a shard's pool to its share of jobs.maxThreads, and runs jobs", async () => {
    const at = (maxThreads: number, shards: number) =>
      shardJobThreads(resolveConfig({ auth: { mode: 'dev' }, shards, jobs: { maxThreads } }, { env: {} }));
    expect([at(8, 4), at(8, 3), at(1, 4), at(4, 1)]).toEqual([2, 2, 1, 4]);
    const m = metrics();
    const config = resolveConfig({ auth: { mode: 'dev' }, shards: 2, jobs: { maxThreads: 2 } }, { env: {} });
    const jobs = createShardJobPool(config, m);
    pools.push(jobs);
    expect(await jobs.run(fixture('count-primes.ts'), { limit: 100 })).toBe(25);
    expect(jobs.threads).toBeLessThanOrEqual(1);
    expect(await count(m, 'jobRun', 'count-primes')).toBe(1);
  });
});
