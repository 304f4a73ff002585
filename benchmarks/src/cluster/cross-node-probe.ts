/**
 * What a command costs when the player's zone runs on another node than the one it is connected
 * to, against one whose zone runs on the same node, measured in the same run: two engine nodes
 * (`leviathan serve`, one shard and one gateway thread each, 10 Hz) of the echo game on a
 * throwaway Redis and Postgres; the load (fixed rate, loadgen in this process) connects to node A
 * only (the macro suite's fixed-rate scenario), its players all in a zone of A (local) or all in a
 * zone of B (remote), rounds alternating.
 * CPU is both nodes' processes' (every thread, /proc/<pid>/task/<tid>/schedstat) per command
 * answered in the window, and Redis's beside it (its own process, shared by the nodes). Latency is the client's round
 * trip (`ws_cmd_duration`), whose floor at 10 Hz is the wait for the tick (0–100 ms).
 *
 *   pnpm --filter @leviathan/benchmarks exec tsx --conditions=source src/cluster/cross-node-probe.ts [rounds]
 *
 * Needs `redis-server` and Postgres's binaries (as the tests do). Figures: docs/cluster.md.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type Aggregate, runTest } from '@leviathan/loadgen';
import { startThrowawayCluster, startThrowawayRedis } from '@leviathan/test-support';
import {
  cpuNs,
  type ProbeNode as Node,
  namesPlacing,
  redisPid,
  startProbeNode as startNode,
} from './probe-nodes.js';

const LOAD = { rate: 1_000, sessions: 400, warmupMs: 12_000, windowMs: 6_000 } as const;
const INTERVAL_MS = 250;
const ZONE_COUNT = 4;
const SCENARIO = fileURLToPath(new URL('../macro/scenarios/fixed-rate.ts', import.meta.url));

/** One measured window of the load on node `a`, its players in zone `zone`. */
async function measure(
  a: Node,
  b: Node,
  redis: number,
  zone: number,
): Promise<{ cpuUs: number; redisUs: number; avgMs: number; p99Ms: number }> {
  Object.assign(process.env, {
    MACRO_URL: `ws://127.0.0.1:${a.port}/ws`,
    MACRO_RATE: String(LOAD.rate),
    MACRO_VUS: String(LOAD.sessions),
    MACRO_NAME_STRIDE: String(ZONE_COUNT),
    MACRO_NAME_OFFSET: String(zone),
  });
  const pids = [a.child.pid!, b.child.pid!];
  let state: 'warming' | 'open' | 'done' = 'warming';
  let t0 = 0;
  let cpu0 = 0;
  let redis0 = 0;
  let redis1 = 0;
  let commands = 0;
  let weighted = 0;
  const p99s: number[] = [];
  let finish: (() => void) | undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const started = performance.now();
  const stop = new AbortController();
  const run = runTest({
    scenario: SCENARIO,
    workers: 1,
    intervalMs: INTERVAL_MS,
    onWarning: () => {},
    signal: stop.signal,
    onInterval: (_seq: number, _end: number, _elapsed: number, agg: Aggregate) => {
      if (state === 'warming' && performance.now() - started >= LOAD.warmupMs) {
        state = 'open';
        t0 = performance.now();
        cpu0 = pids.reduce((s, p) => s + cpuNs(p), 0);
        redis0 = cpuNs(redis);
        return;
      }
      if (state !== 'open') return;
      const cmd = agg.values('ws_cmd_duration', INTERVAL_MS);
      if (cmd?.type === 'trend' && cmd.values.count > 0) {
        commands += cmd.values.count;
        weighted += cmd.values.avg * cmd.values.count;
        p99s.push(cmd.values['p(99)']);
      }
      if (performance.now() - t0 >= LOAD.windowMs) {
        state = 'done';
        cpuNs1 = pids.reduce((s, p) => s + cpuNs(p), 0);
        redis1 = cpuNs(redis);
        finish?.();
      }
    },
  });
  let cpuNs1 = 0;
  await Promise.race([done, run.then(() => Promise.reject(new Error('the load ended before its window')))]);
  stop.abort();
  const { summary } = await run;
  const checks = summary.metrics.checks;
  if (checks?.type === 'rate' && checks.values.rate < 1)
    throw new Error(`zone z${zone}: commands went unanswered`);
  p99s.sort((x, y) => x - y);
  return {
    cpuUs: (cpuNs1 - cpu0) / 1000 / commands,
    redisUs: (redis1 - redis0) / 1000 / commands,
    avgMs: weighted / commands,
    p99Ms: p99s[Math.floor(p99s.length / 2)] ?? Number.NaN,
  };
}

const rounds = Number(process.argv[2] ?? 3);
const postgres = await startThrowawayCluster();
const redis = await startThrowawayRedis();
const nodes: Node[] = [];
try {
  // Two names that put z0 on the first node and z1 on the second.
  const names = namesPlacing(['z0'], ['z1']);
  const a = await startNode(names[0], { redis: redis.url, postgres: postgres.url });
  nodes.push(a);
  const b = await startNode(names[1], { redis: redis.url, postgres: postgres.url });
  nodes.push(b);
  // Both nodes up, the zones where the placement puts them.
  await sleep(3_000);
  console.log(
    `${LOAD.rate} commands/s over ${LOAD.sessions} sessions, all connected to ${a.name}; ${rounds} rounds`,
  );
  for (let round = 1; round <= rounds; round++) {
    for (const [label, zone] of (round % 2 === 1
      ? [
          ['local', 0],
          ['remote', 1],
        ]
      : [
          ['remote', 1],
          ['local', 0],
        ]) as Array<[string, number]>) {
      const r = await measure(a, b, redisPid(redis.port), zone);
      console.log(
        `round ${round}, ${label} (zone z${zone}): ${r.cpuUs.toFixed(1)} µs of both nodes' CPU per command (Redis ${r.redisUs.toFixed(1)} more); round trip avg ${r.avgMs.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms`,
      );
    }
  }
} finally {
  for (const n of nodes) n.child.kill('SIGTERM');
  await sleep(500);
  await redis.stop();
  postgres.stop();
}
