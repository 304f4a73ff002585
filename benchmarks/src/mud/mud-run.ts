import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { runTest } from '@leviathan/loadgen';
import type { MudServer } from '../crowd/mud-server.js';
import { tickP99Between } from '../macro/tick-p99.js';
import { COMMAND_TIMEOUT_MS, LOGINS_PER_SECOND } from './load-shape.js';
import { Phase, type PhaseFigures } from './phase.js';
import type { BenchRoute } from './routes.js';

const scenario = fileURLToPath(new URL('./scenarios/players.ts', import.meta.url));
const INTERVAL_MS = 500;
/** A progress line on stderr this often. */
const PROGRESS_MS = 5_000;

export interface MudRunPlan {
  players: number;
  routes: readonly BenchRoute[];
  /** From the last login to the window: players' rounds spread out (walking, talking, fighting). */
  warmupMs: number;
  windowMs: number;
}

export interface MudRunResult {
  /** While the players logged in. */
  login: PhaseFigures;
  /** Seconds from the first login to the last. */
  loginSeconds: number;
  /** The measured window, every player in. */
  window: PhaseFigures;
  windowSeconds: number;
  /** Tick duration p99 over the window (every shard), from the server's /metrics histogram. */
  tickP99Ms: number;
  ticks: number;
  /** The same per shard (where the time goes: the harbour's shard 0, or the marsh and forest's 1). */
  tickP99MsByShard: Record<string, number>;
  /** Players connected at the end of the window (the server's gauge). */
  players: number;
}

function metricValue(text: string, name: string): number {
  let sum = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))) sum += Number(m[1]);
  return sum;
}

/** The lines of a /metrics text that are about one shard (`shard="1"`). */
function shardLines(text: string, shard: string): string {
  return text
    .split('\n')
    .filter((l) => l.includes(`shard="${shard}"`))
    .join('\n');
}

function line(what: string, f: PhaseFigures): string {
  const times = f.commands === 0 ? '' : `, p50 ${f.p50.toFixed(0)} ms, p99 ${f.p99.toFixed(0)} ms`;
  return `${what}: ${f.commands} commands${times}, ${f.unanswered} unanswered, ${f.walks} walks, ${f.fights} fights, ${f.noPrey} without prey`;
}

/**
 * Drives `server` with scenarios/players.ts (@leviathan/loadgen in this process, two worker
 * threads: thousands of sessions' frames are more than one thread parses in time) until every
 * player is in, then `warmupMs`, then the window: its commands (from the load generator) and
 * its ticks (two scrapes of the server's /metrics). A progress line every 5 s on stderr: players
 * in, and the commands of those 5 s.
 */
export async function mudRun(server: MudServer, plan: MudRunPlan): Promise<MudRunResult> {
  process.env.MUD_BENCH_URL = server.url;
  process.env.MUD_BENCH_PLAYERS = String(plan.players);
  process.env.MUD_BENCH_ROUTES = JSON.stringify(plan.routes);
  const login = new Phase(COMMAND_TIMEOUT_MS);
  const window = new Phase(COMMAND_TIMEOUT_MS);
  const progress = new Phase(COMMAND_TIMEOUT_MS);
  let phase: 'login' | 'warmup' | 'window' | 'done' = 'login';
  let connected = 0;
  const stop = new AbortController();
  const run = runTest({
    scenario,
    workers: 2,
    intervalMs: INTERVAL_MS,
    onWarning: () => {},
    signal: stop.signal,
    outputs: [
      {
        interval: ({ elapsedMs, agg }) => {
          if (phase === 'login') login.add(agg);
          else if (phase === 'window') window.add(agg);
          progress.add(agg);
          if (progress.intervals * INTERVAL_MS >= PROGRESS_MS) {
            process.stderr.write(
              `[bench] mud: ${(elapsedMs / 1000).toFixed(0)} s, ${phase}, ${connected} of ${plan.players} players in; ${line('last 5 s', progress.figures())}\n`,
            );
            progress.reset();
          }
        },
      },
    ],
  });
  const ended = run.then(() => {
    throw new Error('mud: the load ended early');
  });
  try {
    const started = performance.now();
    // Logins at LOGINS_PER_SECOND; three times as long, and a minute, before giving up.
    const deadline = started + 3 * (plan.players / LOGINS_PER_SECOND) * 1000 + 60_000;
    while (connected < plan.players) {
      if (performance.now() > deadline)
        throw new Error(`mud: ${connected} of ${plan.players} players logged in before the deadline`);
      await Promise.race([sleep(1_000), ended]);
      connected = metricValue(await server.metrics(), 'leviathan_connected_players');
    }
    const loginSeconds = (performance.now() - started) / 1000;
    phase = 'warmup';
    await Promise.race([sleep(plan.warmupMs), ended]);
    const before = await server.metrics();
    const t0 = performance.now();
    phase = 'window';
    await Promise.race([sleep(plan.windowMs), ended]);
    phase = 'done';
    const after = await server.metrics();
    const windowSeconds = (performance.now() - t0) / 1000;
    connected = metricValue(after, 'leviathan_connected_players');
    const { p99Ms, ticks } = tickP99Between(before, after);
    const tickP99MsByShard: Record<string, number> = {};
    for (const shard of ['0', '1'])
      tickP99MsByShard[shard] = tickP99Between(shardLines(before, shard), shardLines(after, shard)).p99Ms;
    const result: MudRunResult = {
      login: login.figures(),
      loginSeconds,
      window: window.figures(),
      windowSeconds,
      tickP99Ms: p99Ms,
      ticks,
      tickP99MsByShard,
      players: connected,
    };
    process.stderr.write(
      `[bench] mud: ${line('login', result.login)}; ${line('window', result.window)}; tick p99 ${p99Ms.toFixed(1)} ms over ${ticks} ticks (shard 0: ${tickP99MsByShard['0']?.toFixed(1)} ms, shard 1: ${tickP99MsByShard['1']?.toFixed(1)} ms)\n`,
    );
    return result;
  } finally {
    stop.abort();
    await run.catch(() => undefined);
  }
}
