/**
 * Profiling aid and the "without the runner" variant: loadgen's constant-vus executor, Runtime,
 * VUs and WsSession driving the round-trip scenario in this one thread (no worker, no IPC, no
 * interval merging), so `node --cpu-prof` sees the whole hot path in one profile. Same argv and
 * output as raw-ws-client.ts (throughput mode only). The sixth argument picks the session:
 * `current` (WsSession) or `before` (baseline/ws-session-before.ts, the session before the
 * hot-path rework), so both are measured in the same run.
 *
 *   node --conditions=source --import tsx --cpu-prof benchmarks/src/loadgen/in-thread-client.ts URL throughput 50 2000 4000 current
 */
import { performance } from 'node:perf_hooks';
import type { ExecutorContext, IterationFn } from '../../../packages/loadgen/src/executors/context.js';
import { runExecutor } from '../../../packages/loadgen/src/executors/index.js';
import { normalizeOptions } from '../../../packages/loadgen/src/options/normalize.js';
import { WHOLE } from '../../../packages/loadgen/src/schedule/slot.js';
import { Runtime } from '../../../packages/loadgen/src/vu/runtime.js';
import type { Vu } from '../../../packages/loadgen/src/vu/vu.js';
import { WsSessionBefore } from './baseline/ws-session-before.js';

const [url = '', , connArg = '50', warmArg = '2000', windowArg = '5000', variant = 'current'] =
  process.argv.slice(2);
if (variant !== 'current' && variant !== 'before') throw new Error(`unknown variant ${variant}`);
process.env.BENCH_URL = url;
process.env.BENCH_CONNECTIONS = connArg;
const warmupMs = Number(warmArg);
const windowMs = Number(windowArg);
process.env.BENCH_DURATION = `${warmupMs + windowMs + 500}ms`;

async function main(): Promise<void> {
  const mod = (await import('./scenarios/round-trip.js')) as { options: unknown; default: IterationFn };
  const plan = normalizeOptions(mod.options);
  const runtime = new Runtime([], []);
  // The scenario's loop (scenarios/round-trip.ts), with the old session when asked.
  const before = async (vu: Vu): Promise<void> => {
    let ws = vu.state.ws as WsSessionBefore | undefined;
    if (ws === undefined) {
      ws = await WsSessionBefore.open(url, {
        metrics: runtime.ws,
        pacer: vu.pacer,
        tags: vu.tags,
        sweeper: runtime.sweeper,
      });
      vu.state.ws = ws;
      await ws.auth({ username: `lg${vu.id}`, token: 'test-token' });
    }
    await ws.command('look');
  };
  const scenario = plan.scenarios[0];
  if (scenario === undefined) throw new Error('no scenario');
  const ctx: ExecutorContext = {
    plan: scenario,
    slot: WHOLE,
    processSlot: WHOLE,
    runtime,
    fn: (variant === 'before' ? before : mod.default) as IterationFn,
    startAt: performance.now(),
    signal: new AbortController().signal,
    sharedCounter: new Int32Array(1),
    testTags: {},
    setupData: undefined,
  };
  const run = runExecutor(ctx);
  // Round trips are counted from ws_msgs_sent; the registry is drained (histograms encoded and
  // reset) every 500 ms, as the worker's interval does.
  let sent = 0;
  const drain = setInterval(() => {
    const snap = runtime.registry.snapshot();
    const c = snap.ws_msgs_sent;
    if (c?.type === 'counter') sent += c.count;
  }, 500);
  await new Promise((r) => setTimeout(r, warmupMs));
  const cpu0 = process.cpuUsage();
  const n0 = sent;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, windowMs));
  const cpu = process.cpuUsage(cpu0);
  const result = {
    roundTrips: sent - n0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    systemMs: cpu.system / 1000,
    windowMs: performance.now() - t0,
  };
  clearInterval(drain);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await run;
  await runtime.close();
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
