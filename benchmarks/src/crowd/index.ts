import type { BenchResult } from '../bench-result.js';
import { CROWD, crowdRun } from './crowd-run.js';
import { fanOutCostPerRecipient } from './fan-out-cost.js';
import { ROOM_SIZES } from './fan-out-sizes.js';
import { MudServer } from './mud-server.js';

/** The MUD's tick rate (its default). */
const TICK_HZ = 10;
const TICK_MS = 1000 / TICK_HZ;
/** Server memory a connected, idle player may cost: the engine's budget. */
const IDLE_BUDGET_BYTES = 4096;

/**
 * A crowd at the spawn point: the MUD (`@leviathan/mud`, the example world, in its own process)
 * while 3,000 players log in to one room over 30 s and each sends a command a second (`look`,
 * `who`, `inventory`), driven by @leviathan/loadgen (scenarios/crowd.ts). Reported:
 *
 * - the command p99 once the crowd formed, against two tick intervals (the gate: every command
 *   answered within two ticks), and against one player alone in the same room earlier in the same
 *   run (the cost of the crowd);
 * - the command p99 while the crowd logs in (a launch: every arrival is news to the room);
 * - server RSS per player once the crowd formed (minus RSS before it, over the players), against
 *   the 4 KiB idle budget: what the crowd costs beyond idle sessions is what is queued for it;
 * - the instructions per recipient of a room broadcast (toRoom → output batch → its structured
 *   clone → grouping by socket) at 100, 1,000 and 3,000 occupants against 10: flat means ~1.
 *
 * Measured on the shared 2-core machine (server and load generator on the same 2 cores):
 *
 * Before the crowd work (each arrival broadcast to everyone present as a `presence` event and a
 * line of text, each room view listing every occupant, `who` listing everyone), one run: the lone
 * player's p99 177 ms; while the crowd logged in, commands slowed from p99 215 ms at ~600 players
 * to 2.5 s at ~1,500 and timed out (5 s) from ~2,300 on (2,552 of 12,322 unanswered); once it
 * had formed, not one command of 14,172 was answered; RSS grew by 2.93 GB (977 KB a player).
 * Instructions per recipient of a room broadcast: 1864 at 10, 1112 at 100, 1100 at 1,000, 1280
 * at 3,000 (0.60x, 0.59x and 0.69x of the figure at 10).
 *
 * After (presence coalesced per room per tick with `ctx.presence`, room views and `who`
 * summarised, per-recipient and per-socket budgets for low-priority output): (figures below)
 */
export async function runCrowdBenchmarks(): Promise<BenchResult[]> {
  const server = await MudServer.start(TICK_HZ);
  let run: Awaited<ReturnType<typeof crowdRun>>;
  try {
    run = await crowdRun(server);
  } finally {
    await server.stop();
  }
  process.stderr.write(`[bench] crowd: ${JSON.stringify(run)}\n`);
  const fanOut = await fanOutCostPerRecipient();
  process.stderr.write(`[bench] crowd: instructions per recipient ${JSON.stringify([...fanOut])}\n`);
  const perPlayer = (run.rssFormed - run.rssBefore) / CROWD;
  const crowd = `${CROWD} players in one room, a command/s each`;
  const results: BenchResult[] = [
    {
      name: `crowd: command p99, ${crowd} (vs 2 × the tick interval)`,
      unit: 'ms',
      value: run.formed.p99,
      reference: 2 * TICK_MS,
      ratio: run.formed.p99 / (2 * TICK_MS),
      aim: 1,
    },
    {
      name: `crowd: command p99, ${crowd} (vs one player alone in the room)`,
      unit: 'ms',
      value: run.formed.p99,
      reference: run.alone.p99,
      ratio: run.formed.p99 / run.alone.p99,
    },
    {
      name: `crowd: command p99 while ${CROWD} players log in to one room over 30 s (vs 2 × the tick interval)`,
      unit: 'ms',
      value: run.forming.p99,
      reference: 2 * TICK_MS,
      ratio: run.forming.p99 / (2 * TICK_MS),
    },
    {
      name: `crowd: server memory per player, ${crowd} (vs the 4 KiB idle budget)`,
      unit: 'bytes',
      value: perPlayer,
      reference: IDLE_BUDGET_BYTES,
      ratio: perPlayer / IDLE_BUDGET_BYTES,
    },
  ];
  const [, small, ...larger] = ROOM_SIZES;
  const flat = fanOut.get(small) as number;
  for (const size of larger) {
    const value = fanOut.get(size) as number;
    results.push({
      name: `crowd: room broadcast, instructions per recipient at ${size} occupants (vs at ${small})`,
      unit: 'instructions',
      value,
      reference: flat,
      ratio: value / flat,
    });
  }
  const unanswered = run.formed.unanswered + run.forming.unanswered;
  if (unanswered > 0)
    process.stderr.write(`[bench] note: crowd: ${unanswered} commands were not answered in time\n`);
  return results;
}
