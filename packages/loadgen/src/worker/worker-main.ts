import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { LoadgenError } from '../errors.js';
import type { ExecutorContext, IterationFn } from '../executors/context.js';
import { runExecutor } from '../executors/index.js';
import type { FromWorker, LoopHealth, ToWorker, WorkerInit } from '../ipc/messages.js';
import { Runtime } from '../vu/runtime.js';
import { importScenario, iterationFunctions } from './load-scenario.js';

/**
 * A generator worker: imports the scenario, runs its share of every scenario, and sends the
 * interval's metrics (encoded histograms, never percentiles) to the main thread.
 */
const init = workerData as WorkerInit;
const port = parentPort;
if (port === null) throw new Error('worker-main runs in a worker thread');

function post(m: FromWorker): void {
  port?.postMessage(m);
}

async function main(): Promise<void> {
  let fns: Map<string, (...args: never[]) => unknown>;
  try {
    const mod = await importScenario(init.scenarioUrl);
    fns = iterationFunctions(mod, init.scenarioUrl, [...new Set(init.plan.scenarios.map((s) => s.exec))]);
  } catch (e) {
    post({
      type: 'load-error',
      message: e instanceof Error ? e.message : String(e),
      ...(e instanceof LoadgenError ? { code: e.code } : {}),
    });
    return;
  }
  const runtime = new Runtime(
    init.trackedSeries,
    init.plan.localAddresses,
    init.lateStartMs,
    init.plan.maxTagSetsPerMetric,
    init.maxConnecting,
  );
  const stop = new AbortController();
  const lag = monitorEventLoopDelay({ resolution: 10 });
  const health = (): LoopHealth => {
    const h = { lagP99Ms: lag.percentile(99) / 1e6, lagMaxMs: lag.max / 1e6 };
    lag.reset();
    return h;
  };
  const start = await new Promise<number>((resolve) => {
    port?.on('message', (m: ToWorker) => {
      if (m.type === 'start') resolve(m.epochMs - performance.timeOrigin);
      else if (m.type === 'stop') stop.abort();
    });
    post({ type: 'ready' });
  });
  lag.enable();
  let seq = 0;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    post({
      type: 'interval',
      seq,
      metrics: runtime.registry.snapshot(),
      errors: runtime.takeErrors(),
      health: health(),
    });
    seq++;
    timer = setTimeout(tick, Math.max(0, start + (seq + 1) * init.intervalMs - performance.now()));
  };
  timer = setTimeout(tick, Math.max(0, start + init.intervalMs - performance.now()));
  const counters = new Int32Array(init.sharedCounters);
  await Promise.all(
    init.plan.scenarios.map((plan, i) => {
      const ctx: ExecutorContext = {
        plan,
        slot: init.slot,
        processSlot: init.processSlot,
        runtime,
        fn: fns.get(plan.exec) as unknown as IterationFn,
        startAt: start + plan.startMs,
        signal: stop.signal,
        sharedCounter: counters.subarray(i, i + 1),
        testTags: init.plan.tags,
        setupData: init.setupData,
      };
      return (async () => {
        const aborted = await waitUntil(ctx.startAt, stop.signal);
        if (!aborted) await runExecutor(ctx);
      })();
    }),
  );
  clearTimeout(timer);
  lag.disable();
  runtime.vus.set(0);
  post({
    type: 'done',
    seq,
    metrics: runtime.registry.snapshot(),
    errors: runtime.takeErrors(),
    health: health(),
  });
  await runtime.close();
  port?.close();
}

function waitUntil(at: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(true);
    const t = setTimeout(() => resolve(false), Math.max(0, at - performance.now()));
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

main().catch((e: unknown) => {
  post({ type: 'load-error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
});
