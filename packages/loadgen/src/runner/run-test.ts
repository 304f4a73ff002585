import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { type LoadgenError, OpenFilesLimitError, ScenarioLoadError, WorkerCrashedError } from '../errors.js';
import type { FromWorker, ToWorker, WorkerInit } from '../ipc/messages.js';
import { Aggregate } from '../metrics/aggregate.js';
import { isOverflowKey } from '../metrics/tag-sets.js';
import { normalizeOptions } from '../options/normalize.js';
import { applyOverrides, type ExecutionOverrides } from '../options/overrides.js';
import type { TestPlan } from '../options/plan.js';
import type { Options } from '../options/types.js';
import type { LiveOutput } from '../output/live-output.js';
import type { Progress } from '../output/progress.js';
import { shareCount, slotOf } from '../schedule/slot.js';
import { buildSummary, type Summary } from '../summary/summary.js';
import { FD_RESERVE, openFilesLimit } from '../system/open-files.js';
import { SelfMonitor, type SelfMonitorOptions } from '../system/self-monitor.js';
import { type ThresholdResult, Thresholds } from '../thresholds/evaluate.js';
import {
  importScenario,
  iterationFunctions,
  registerTsx,
  type ScenarioModule,
} from '../worker/load-scenario.js';
import { callHandleSummary, type SummaryOutputs } from './handle-summary.js';
import { IntervalMerger } from './interval-merger.js';
import { Lifecycle } from './lifecycle.js';
import { setEnv } from './process-env.js';
import { spawnWorker } from './spawn-worker.js';
import { WORKER_STOP_TIMEOUT_MS, WorkerWatchdog } from './worker-watchdog.js';

export interface RunTestOptions extends SelfMonitorOptions {
  /** Path of the scenario file (.ts, .mts, .js, .mjs). */
  scenario: string;
  /** Generator worker threads. @default min(available cores, most VUs of the test) */
  workers?: number;
  /** Run only segment `index` (0-based) of `count` equal parts (one process of several). @default { index: 0, count: 1 } */
  segment?: { index: number; count: number };
  /** Metrics interval (NDJSON points, progress, abortOnFail checks). @default 1000 (ms) */
  intervalMs?: number;
  /** An iteration starting this much after its schedule counts as late. @default 10 (ms) */
  lateStartMs?: number;
  /** Run even when the open-files limit is below the sockets the test may open. @default false */
  ignoreFdLimit?: boolean;
  /** Live progress (see output/progress.ts). */
  progress?: Progress;
  /**
   * The `--out` outputs: started after setup() (before the first VU), given each merged interval
   * in order and the summary at the end. The caller closes them.
   */
  outputs?: readonly LiveOutput[];
  /** Called for every warning as it happens. @default writes to stderr */
  onWarning?: (message: string) => void;
  /** Aborts the test early, as SIGINT does: graceful stop, partial summary. */
  signal?: AbortSignal;
  /** `--vus`, `--duration`, `--iterations`: replace the scenario's execution as k6's flags do. */
  overrides?: ExecutionOverrides;
  /**
   * `--env K=V`: set in this process's environment for the run (the scenario module reads it
   * when imported, setup() and the workers see it) and so in every `vu.env`.
   */
  env?: Record<string, string>;
  /**
   * How long past its stop (the end of its scenarios' gracefulStop, or a stop request plus the
   * longest gracefulStop) a worker may take to finish before it is terminated, as a crashed one.
   * @default 30000 (ms)
   */
  workerStopTimeoutMs?: number;
}

export interface TestResult {
  summary: Summary;
  /** Thresholds failed (including an abortOnFail one that stopped the test). */
  thresholdsFailed: boolean;
  /** Stopped by `signal` (SIGINT/SIGTERM in the CLI). */
  interrupted: boolean;
  /** A worker crashed: its share stopped and the numbers are partial. */
  crashed: boolean;
  /** What setup() returned (JSON round-tripped); undefined without setup(). */
  setupData: unknown;
  /** teardown() threw or timed out (TeardownFailedError, LifecycleTimeoutError); the results stand. */
  teardownError?: LoadgenError;
  /** What handleSummary() returned, when the scenario exports it: destination → contents. */
  summaryOutputs?: SummaryOutputs;
}

/** Loads a scenario file's options into a plan (throws ScenarioLoadError, InvalidOptionsError). */
export async function loadPlan(
  scenario: string,
  overrides: ExecutionOverrides = {},
  warn: (message: string) => void = () => {},
): Promise<{ url: string; plan: TestPlan; thresholds: Thresholds; module: ScenarioModule }> {
  const url = pathToFileURL(resolve(scenario)).href;
  await registerTsx();
  const mod = await importScenario(url, true);
  const plan = normalizeOptions(applyOverrides(mod.options as Options | undefined, overrides, warn));
  iterationFunctions(mod, url, [...new Set(plan.scenarios.map((s) => s.exec))]);
  return { url, plan, thresholds: new Thresholds(plan.thresholds), module: mod };
}

/**
 * Runs a test: loads the scenario, checks the environment, starts the workers on one common
 * start instant, merges their interval metrics exactly (histograms, not percentiles), watches
 * abortOnFail thresholds and the generator's own health, and returns the summary.
 */
export async function runTest(options: RunTestOptions): Promise<TestResult> {
  const restoreEnv = setEnv(options.env ?? {});
  try {
    return await runWithEnv(options);
  } finally {
    restoreEnv();
  }
}

async function runWithEnv(options: RunTestOptions): Promise<TestResult> {
  const warn = options.onWarning ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
  const { url, plan, thresholds, module } = await loadPlan(options.scenario, options.overrides, warn);
  const segment = options.segment ?? { index: 0, count: 1 };
  const intervalMs = options.intervalMs ?? 1000;
  const mostVus = plan.scenarios.reduce((n, s) => n + s.maxVus, 0);
  const processVus = Math.ceil(mostVus / segment.count);
  checkOpenFiles(processVus, options.ignoreFdLimit === true, warn);
  const workerCount = Math.max(
    1,
    Math.min(options.workers ?? availableParallelism(), Math.max(1, processVus)),
  );

  // setup() before any VU: once per process (each --segment runs its own; see docs/loadgen.md).
  const lifecycle = new Lifecycle(module, plan, thresholds.taggedSeries());
  let setupData: unknown;
  try {
    setupData = await lifecycle.setup();
  } catch (e) {
    await lifecycle.close();
    throw e;
  }

  const scheduledEndMs = Math.max(...plan.scenarios.map((s) => s.startMs + s.durationMs));
  const outputs = options.outputs ?? [];
  try {
    const info = {
      scenarioFile: options.scenario,
      startedAt: new Date().toISOString(),
      scheduledEndMs,
      intervalMs,
      segment,
      selectorKeys: thresholds.taggedSeries(),
    };
    await Promise.all(outputs.map((o) => o.start?.(info)));
  } catch (e) {
    await lifecycle.close();
    throw e;
  }
  const sharedCounters = new SharedArrayBuffer(4 * plan.scenarios.length);
  const workers: Worker[] = [];
  const inits: WorkerInit[] = [];
  for (let w = 0; w < workerCount; w++) {
    inits.push({
      index: w,
      scenarioUrl: url,
      plan,
      slot: slotOf(segment.index, segment.count, w, workerCount),
      processSlot: { offset: segment.index, stride: segment.count },
      sharedCounters,
      intervalMs,
      trackedSeries: thresholds.taggedSeries(),
      lateStartMs: options.lateStartMs ?? 10,
      // The process's bound, split as VUs are, so that the workers' shares add up to it (at
      // least one each).
      maxConnecting:
        plan.maxConnecting === null
          ? null
          : Math.max(1, shareCount(plan.maxConnecting, { offset: w, stride: workerCount })),
      setupData,
    });
  }

  const totals = new Aggregate();
  totals.add(lifecycle.takeMetrics(), 'latest');
  /** Metrics whose tag sets passed the cap: warned about once each. */
  const overflowed = new Set<string>();
  const merger = new IntervalMerger(workerCount);
  const errors: Record<string, number> = {};
  const monitor = new SelfMonitor(options);
  const warnings: string[] = [];
  let aborted: string | undefined;
  let crashed = false;
  let startEpoch = 0;
  let watchdog: WorkerWatchdog | undefined;
  const stopAll = () => {
    watchdog?.stopRequested();
    for (const w of workers) w.postMessage({ type: 'stop' } satisfies ToWorker);
  };
  const addWarning = (m: string) => {
    warnings.push(m);
    warn(m);
  };

  const flush = () => {
    for (const { seq, agg, health } of merger.takeComplete()) {
      for (const key of agg.keys()) {
        if (!isOverflowKey(key) || overflowed.has(key)) continue;
        overflowed.add(key);
        addWarning(
          `${key.slice(0, key.indexOf('{'))}: more than ${plan.maxTagSetsPerMetric} distinct tag sets in a worker; new ones are counted in ${key} (a tag with unbounded values? raise options.maxTagSetsPerMetric if not)`,
        );
      }
      totals.add(agg.toSnapshot(), 'latest');
      const elapsedMs = Math.min((seq + 1) * intervalMs, Date.now() - startEpoch);
      const point = { seq, endEpochMs: startEpoch + elapsedMs, elapsedMs, intervalMs, agg };
      for (const output of outputs) output.interval(point);
      options.progress?.update(elapsedMs, scheduledEndMs, agg, intervalMs, totals);
      for (const m of monitor.interval(health)) {
        options.progress?.message(`warning: ${m}`);
        warnings.push(m);
      }
      if (aborted === undefined) {
        const breach = thresholds.shouldAbort(totals, elapsedMs);
        if (breach !== undefined) {
          aborted = `threshold ${breach.metric} ${breach.expression} failed (actual ${breach.actual}) with abortOnFail`;
          options.progress?.message(`aborting: ${aborted}`);
          stopAll();
        }
      }
      agg.destroy();
    }
  };
  const addErrors = (errs: Record<string, number>) => {
    for (const [msg, n] of Object.entries(errs)) errors[msg] = (errors[msg] ?? 0) + n;
  };

  // Start the workers and wait until every one has imported the scenario.
  const finished: Promise<void>[] = [];
  try {
    await Promise.all(
      inits.map(
        (init) =>
          new Promise<void>((ready, fail) => {
            const worker = spawnWorker(init);
            workers.push(worker);
            let isReady = false;
            finished.push(
              new Promise<void>((end) => {
                worker.on('message', (m: FromWorker) => {
                  switch (m.type) {
                    case 'ready':
                      isReady = true;
                      ready();
                      break;
                    case 'load-error':
                      if (!isReady) fail(new ScenarioLoadError(url, m.message));
                      else {
                        crashed = true;
                        addWarning(`${new WorkerCrashedError(init.index).message}: ${m.message}`);
                        merger.crashed(init.index);
                        flush();
                        end();
                      }
                      break;
                    case 'interval':
                      watchdog?.heard(init.index);
                      merger.add(init.index, m.seq, m.metrics, m.health);
                      addErrors(m.errors);
                      flush();
                      break;
                    case 'done':
                      watchdog?.finished(init.index);
                      merger.done(init.index, m.seq, m.metrics, m.health);
                      addErrors(m.errors);
                      flush();
                      end();
                      break;
                  }
                });
                worker.on('error', (e) => {
                  if (!isReady) return fail(new ScenarioLoadError(url, e.message, e));
                  crashed = true;
                  addWarning(`${new WorkerCrashedError(init.index, e).message}: ${e.message}`);
                  merger.crashed(init.index);
                  flush();
                  end();
                });
                worker.on('exit', () => {
                  watchdog?.finished(init.index);
                  if (!merger.ended(init.index)) {
                    if (isReady) {
                      crashed = true;
                      // The watchdog has said why it terminated the worker.
                      if (watchdog?.terminated(init.index) !== true)
                        addWarning(new WorkerCrashedError(init.index).message);
                    }
                    merger.crashed(init.index);
                    flush();
                  }
                  end();
                });
              }),
            );
          }),
      ),
    );
  } catch (e) {
    await Promise.all(workers.map((w) => w.terminate()));
    await lifecycle.close();
    throw e;
  }

  // One start instant for every thread: epoch time, converted by each worker to its own clock.
  startEpoch = Math.round(performance.timeOrigin + performance.now()) + 20;
  const startedAt = new Date(startEpoch).toISOString();
  for (const w of workers) w.postMessage({ type: 'start', epochMs: startEpoch } satisfies ToWorker);
  watchdog = new WorkerWatchdog({
    workers,
    endAt:
      performance.now() +
      (startEpoch - Date.now()) +
      Math.max(...plan.scenarios.map((s) => s.startMs + s.durationMs + s.gracefulStopMs)),
    gracefulStopMs: Math.max(...plan.scenarios.map((s) => s.gracefulStopMs)),
    stopTimeoutMs: options.workerStopTimeoutMs ?? WORKER_STOP_TIMEOUT_MS,
    intervalMs,
    warn: addWarning,
  });
  let interrupted = false;
  const onAbort = () => {
    interrupted = true;
    aborted ??= 'interrupted';
    stopAll();
  };
  options.signal?.addEventListener('abort', onAbort);
  // A signal that came during setup() or the workers' start fired before the listener existed.
  if (options.signal?.aborted === true) onAbort();
  await Promise.all(finished);
  watchdog.close();
  options.signal?.removeEventListener('abort', onAbort);
  // Workers end by themselves once done; those still holding sockets are stopped here.
  await Promise.all(workers.map((w) => w.terminate()));
  options.progress?.end();
  const durationMs = Date.now() - startEpoch;

  // teardown() whatever happened to the VUs (failed thresholds, an abort, a signal), as k6.
  let teardownError: LoadgenError | undefined;
  try {
    await lifecycle.teardown(setupData);
  } catch (e) {
    teardownError = e as LoadgenError;
    addWarning(teardownError.message);
  }
  totals.add(lifecycle.takeMetrics(), 'latest');
  for (const [msg, n] of Object.entries(lifecycle.takeErrors())) errors[msg] = (errors[msg] ?? 0) + n;
  await lifecycle.close();

  const summary = buildSummary(totals, {
    scenarioFile: options.scenario,
    startedAt,
    durationMs,
    segments: [segment],
    workers: workerCount,
    thresholdPlans: plan.thresholds,
    errors,
    warnings,
    ...(aborted === undefined ? {} : { aborted }),
    generatorLagP99Ms: monitor.worstLagP99Ms,
    generatorCpuShare: monitor.worstCpuShare,
  });
  totals.destroy();
  await Promise.all(outputs.map((o) => o.end?.(summary)));
  const summaryOutputs = await callHandleSummary(
    module,
    setupData === undefined ? summary : { ...summary, setupData },
    warn,
  );
  return {
    summary,
    thresholdsFailed: summary.thresholds.some((t: ThresholdResult) => !t.ok),
    interrupted,
    crashed,
    setupData,
    ...(teardownError === undefined ? {} : { teardownError }),
    ...(summaryOutputs === undefined ? {} : { summaryOutputs }),
  };
}

function checkOpenFiles(sockets: number, ignore: boolean, warn: (m: string) => void): void {
  const limit = openFilesLimit();
  if (limit === undefined) {
    warn('cannot read the open-files limit; make sure `ulimit -n` exceeds the number of connections');
    return;
  }
  const needed = sockets + FD_RESERVE;
  if (needed <= limit.soft) return;
  const err = new OpenFilesLimitError(needed, limit.soft, limit.hard);
  if (!ignore) throw err;
  warn(err.message);
}
