/**
 * The measured side: @leviathan/loadgen's own runner (runTest, one worker thread) driving the
 * same loop as the reference. CPU and round trips are read between two merged intervals in the
 * steady state, so the worker's start (tsx compiling the scenario) is left out, as the
 * reference's connection setup is.
 *
 * argv: url, mode ("throughput" | "connections" | "capacity"), connections, warmupMs, windowMs
 * (capacity: url, "capacity", VUs; its other settings are BENCH_* variables, scenarios/capacity.ts)
 */
import { fileURLToPath } from 'node:url';
import { runTest } from '@leviathan/loadgen';
import { capacity } from './capacity-client.js';

const [url = '', mode = 'throughput', connArg = '50', warmArg = '2000', windowArg = '5000'] =
  process.argv.slice(2);
process.env.BENCH_URL = url;
process.env.BENCH_CONNECTIONS = connArg;
const warmupMs = Number(warmArg);
const windowMs = Number(windowArg);
const scenario = (name: string) => fileURLToPath(new URL(`./scenarios/${name}.ts`, import.meta.url));

async function main(): Promise<void> {
  if (mode === 'capacity') {
    process.stdout.write(`${JSON.stringify(await capacity())}\n`);
    return;
  }
  if (mode === 'connections') {
    // RSS is read inside the worker once every session is open and idle (scenarios/idle.ts).
    const { summary } = await runTest({ scenario: scenario('idle'), workers: 1, onWarning: () => {} });
    const rss = summary.metrics.bench_rss_bytes;
    if (rss?.type !== 'gauge') throw new Error('the idle scenario recorded no RSS');
    const value = (key: string) => {
      const m = summary.metrics[key];
      return m?.type === 'gauge' ? m.values.value : 0;
    };
    process.stdout.write(
      `${JSON.stringify({ rssBytes: rss.values.value, heapBytes: value('bench_heap_bytes'), externalBytes: value('bench_external_bytes'), heapTotalBytes: value('bench_heap_total_bytes') })}\n`,
    );
    return;
  }
  process.env.BENCH_DURATION = `${warmupMs + windowMs + 1500}ms`;
  let cpu0: NodeJS.CpuUsage | undefined;
  let t0 = 0;
  let n = 0;
  let result: { roundTrips: number; cpuMs: number; systemMs: number; windowMs: number } | undefined;
  const intervalMs = 500;
  await runTest({
    scenario: scenario('round-trip'),
    workers: 1,
    intervalMs,
    onWarning: () => {},
    outputs: [
      {
        interval: ({ elapsedMs: elapsed, agg }) => {
          if (result !== undefined) return;
          if (cpu0 === undefined) {
            if (elapsed >= warmupMs) {
              cpu0 = process.cpuUsage();
              t0 = performance.now();
            }
            return;
          }
          const v = agg.values('ws_cmd_duration', intervalMs);
          n += v?.type === 'trend' ? v.values.count : 0;
          if (performance.now() - t0 >= windowMs) {
            const cpu = process.cpuUsage(cpu0);
            result = {
              roundTrips: n,
              cpuMs: (cpu.user + cpu.system) / 1000,
              systemMs: cpu.system / 1000,
              windowMs: performance.now() - t0,
            };
          }
        },
      },
    ],
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
