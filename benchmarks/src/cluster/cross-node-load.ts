/**
 * The load of the cluster suite (index.ts): what a command costs when the player's zone runs on
 * another node than the one it is connected to, against one whose zone runs on the same node.
 * Two engine nodes (`leviathan serve`, one shard and one gateway thread each, 10 Hz) of the echo
 * game on a throwaway Redis and Postgres; the load (fixed rate, loadgen in this process, the macro
 * suite's fixed-rate scenario) connects to node A only, its players all in a zone of A (local) or
 * all in a zone of B (remote). CPU is both nodes' processes' (every thread,
 * /proc/<pid>/task/<tid>/schedstat) per command answered in the window, and Redis's beside it (its
 * own process, shared by the nodes). Latency is the client's round trip (`ws_cmd_duration`), whose
 * floor at 10 Hz is the wait for the tick (0–100 ms).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { runTest } from '@leviathan/loadgen';
import {
  startThrowawayCluster,
  startThrowawayRedis,
  type ThrowawayCluster,
  type ThrowawayRedis,
} from '@leviathan/test-support';
import { cpuNs } from '../harness/thread-cpu.js';
import {
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
async function measure(a: Node, b: Node, redis: number, zone: number): Promise<CrossNodeFigures> {
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
    outputs: [
      {
        interval: ({ agg }) => {
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
      },
    ],
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

/** One window's figures: per command answered, and the client's round trip. */
export interface CrossNodeFigures {
  /** Both nodes' CPU per command, µs. */
  readonly cpuUs: number;
  /** Redis's CPU per command, µs. */
  readonly redisUs: number;
  /** Round trip, average and p99 (the median of the window's 250 ms p99s), ms. */
  readonly avgMs: number;
  readonly p99Ms: number;
}

/** The two nodes and what they run on; `measure(local)` and `measure(remote)` load them. */
export interface CrossNodeRig {
  readonly describe: string;
  measure(where: 'local' | 'remote'): Promise<CrossNodeFigures>;
  stop(): Promise<void>;
}

/** Starts Postgres, Redis and the two nodes, with z0 on the first and z1 on the second. */
export async function startCrossNodeRig(): Promise<CrossNodeRig> {
  const postgres: ThrowawayCluster = await startThrowawayCluster();
  const redis: ThrowawayRedis = await startThrowawayRedis();
  const nodes: Node[] = [];
  const stop = async () => {
    for (const n of nodes) n.child.kill('SIGTERM');
    await Promise.all(nodes.map((n) => n.exited));
    await redis.stop();
    postgres.stop();
  };
  try {
    const names = namesPlacing(['z0'], ['z1']);
    const env = { redis: redis.url, postgres: postgres.url };
    const a = await startNode(names[0], env);
    nodes.push(a);
    const b = await startNode(names[1], env);
    nodes.push(b);
    while (!a.zones.has('z0') || !b.zones.has('z1')) await sleep(100);
    return {
      describe: `${LOAD.rate} commands/s over ${LOAD.sessions} sessions, all connected to the first node`,
      measure: (where) => measure(a, b, redisPid(redis.port), where === 'local' ? 0 : 1),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
