/**
 * What a drain costs with players on it: two engine nodes of the echo game (`leviathan serve`, one
 * shard and one gateway thread each, 10 Hz) on a throwaway Redis and Postgres, each holding two of
 * the four zones; `players` sessions (1,000 by default) connect to each node, spread over the four
 * zones, so a quarter of each node's sessions play in each zone. Then node A is drained (SIGUSR2,
 * what `leviathan drain` sends), and the probe reports:
 * - how long the drain took, from the signal to the process's exit;
 * - for node B's players whose zones were on A (carried to B without a reconnect): how long each
 *   waited until a command was answered again (it polls every 100 ms, so figures are to 100 ms),
 *   against the same players' round trip before the drain (a tick is 100 ms);
 * - how node A's own players were told to go (close codes: 1001 to resume on another node).
 *
 *   pnpm --filter @leviathan/benchmarks exec tsx --conditions=source src/cluster/drain-probe.ts [players]
 *
 * Needs `redis-server` and Postgres's binaries (as the tests do). Figures: docs/cluster.md.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startThrowawayCluster, startThrowawayRedis } from '@leviathan/test-support';
import { namesPlacing, type ProbeNode, startProbeNode } from './probe-nodes.js';
import { echo, openMany } from './probe-sessions.js';

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const POLL_MS = 100;
const players = Number(process.argv[2] ?? 1000);
const postgres = await startThrowawayCluster();
const redis = await startThrowawayRedis();
const nodes: ProbeNode[] = [];
try {
  const [nameA, nameB] = namesPlacing(['z0', 'z1'], ['z2', 'z3']);
  const a = await startProbeNode(nameA, { redis: redis.url, postgres: postgres.url });
  nodes.push(a);
  const b = await startProbeNode(nameB, { redis: redis.url, postgres: postgres.url });
  nodes.push(b);
  while (a.zones.size !== 2 || b.zones.size !== 2) await sleep(100);
  const onA = await openMany(a.port, 0, players);
  const onB = await openMany(b.port, players, players);
  const carried = onB.filter((s) => a.zones.has(s.zone));
  // The round trip before the drain, for the players who will be carried.
  const before: number[] = [];
  await Promise.all(
    carried.map(async (s) => {
      const t = performance.now();
      if ((await echo(s)) === 'reply') before.push(performance.now() - t);
    }),
  );
  before.sort((x, y) => x - y);

  const signalled = performance.now();
  const exited = a.exited.then(() => performance.now() - signalled);
  a.child.kill('SIGUSR2');
  // Each carried player polls until its zone has moved (a command refused as moving) and a command
  // is answered again, or until its zone has run on B for a while (it moved between two polls).
  const waits: number[] = [];
  let lost = 0;
  await Promise.all(
    carried.map(async (s) => {
      let refusedAt: number | undefined;
      for (;;) {
        const sent = performance.now();
        const answer = await echo(s);
        if (answer === 'error') refusedAt ??= sent;
        else if (answer === 'reply' && (refusedAt !== undefined || !a.zones.has(s.zone))) {
          if (refusedAt !== undefined) waits.push(performance.now() - refusedAt);
          else waits.push(0);
          return;
        } else if (answer === 'closed' || performance.now() - signalled > 30_000) {
          lost++;
          return;
        }
        await sleep(POLL_MS);
      }
    }),
  );
  const carriedCodes = new Map<number | undefined, number>();
  for (const s of carried)
    if (s.closeCode !== undefined) carriedCodes.set(s.closeCode, (carriedCodes.get(s.closeCode) ?? 0) + 1);
  const drainMs = await exited;
  waits.sort((x, y) => x - y);
  const codes = new Map<number | undefined, number>();
  for (const s of onA) codes.set(s.closeCode, (codes.get(s.closeCode) ?? 0) + 1);
  console.log(
    `drain of ${a.name} (2 zones, ${players} players connected to it, ${carried.length} of ${b.name}'s in its zones): ${Math.round(drainMs)} ms from the signal to the exit`,
  );
  console.log(
    `carried players (${carried.length}): unanswered from the first refusal to the next answer p50 ${Math.round(quantile(waits, 0.5))} ms, p99 ${Math.round(quantile(waits, 0.99))} ms, max ${Math.round(waits.at(-1) ?? Number.NaN)} ms; disconnected ${lost} (${[...carriedCodes].map(([c, n]) => `${n} with ${c}`).join(', ') || 'none'}); round trip before the drain p50 ${Math.round(quantile(before, 0.5))} ms, p99 ${Math.round(quantile(before, 0.99))} ms`,
  );
  console.log(
    `${a.name}'s own players: ${[...codes].map(([code, count]) => `${count} closed ${code ?? 'not at all'}`).join(', ')}`,
  );
  for (const s of [...onA, ...onB]) s.ws.terminate();
} finally {
  for (const n of nodes) n.child.kill('SIGTERM');
  await sleep(500);
  await redis.stop();
  postgres.stop();
}
