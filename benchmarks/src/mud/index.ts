import type { BenchResult } from '../bench-result.js';
import { MudServer } from '../crowd/mud-server.js';
import { writeBenchWorld } from './bench-world.js';
import { COMMAND_GAP_MS, LOGINS_PER_SECOND } from './load-shape.js';
import { mudRun } from './mud-run.js';

/** The MUD's tick rate (its default). */
const TICK_HZ = 10;
const TICK_MS = 1000 / TICK_HZ;
/** Players by default; `LEVIATHAN_BENCH_MUD_PLAYERS` for a quicker run. */
const DEFAULT_PLAYERS = 5_000;
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
 *   every shard), against 10 % of the tick interval (the engine's requirement);
 * - the command p99 over the same window (the load generator's round trips), against two tick
 *   intervals (every command answered within two ticks, as the crowd requires);
 * - the command p99 while the players log in.
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
      name: `mud: tick duration p99, ${load} (vs 10% of the tick interval)`,
      unit: 'ms',
      value: run.tickP99Ms,
      reference: 0.1 * TICK_MS,
      ratio: run.tickP99Ms / (0.1 * TICK_MS),
    },
    {
      name: `mud: command p99, ${load} (vs 2 × the tick interval)`,
      unit: 'ms',
      value: run.window.p99,
      reference: 2 * TICK_MS,
      ratio: run.window.p99 / (2 * TICK_MS),
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
