import type { BenchResult } from '../bench-result.js';
import { median } from '../harness/gate.js';
import { type CrossNodeFigures, startCrossNodeRig } from './cross-node-load.js';

/** Rounds of the load, local and remote alternating (the order flips every round). */
const ROUNDS = 3;
const TICK_MS = 100;

/**
 * A command whose zone runs on another node against one whose zone runs on the node the player is
 * connected to, in the same run (cross-node-load.ts): two `leviathan serve` nodes of the echo game
 * on a throwaway Redis and Postgres, 1,000 commands/s over 400 sessions, in ROUNDS rounds.
 *
 * - budget: both nodes' CPU per remote command at most twice a local command's (the requirement);
 * - budget: the remote round trip's p99 at most one tick (100 ms at 10 Hz) above the local one's;
 * - informational: the remote CPU against the local (what crossing nodes costs), and Redis's CPU per
 *   remote command.
 *
 * Each figure is the median of its rounds. Before this suite, the same load run by hand read the
 * remote command at 1.19, 1.23 and 2.18 times the local one's CPU in three rounds of one run (the
 * third round's local figure far below the others', a CI run going on beside it), and 1.42 in a
 * later one-round run: one round alone can cross the budget on a busy machine, the median of three
 * did not.
 */
export async function runClusterBenchmarks(): Promise<BenchResult[]> {
  const rig = await startCrossNodeRig();
  const local: CrossNodeFigures[] = [];
  const remote: CrossNodeFigures[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? (['local', 'remote'] as const) : (['remote', 'local'] as const);
      for (const where of order) (where === 'local' ? local : remote).push(await rig.measure(where));
    }
  } finally {
    await rig.stop();
  }
  const of = (runs: readonly CrossNodeFigures[], key: keyof CrossNodeFigures) =>
    median(runs.map((r) => r[key]));
  const localCpu = of(local, 'cpuUs');
  const remoteCpu = of(remote, 'cpuUs');
  const localP99 = of(local, 'p99Ms');
  const remoteP99 = of(remote, 'p99Ms');
  const remoteRedis = of(remote, 'redisUs');
  const load = `${rig.describe}, 10 Hz`;
  return [
    {
      name: `cluster: both nodes' CPU per command whose zone runs on the other node, ${load} (vs twice a local command's)`,
      unit: 'µs/cmd',
      value: remoteCpu,
      reference: 2 * localCpu,
      ratio: remoteCpu / (2 * localCpu),
      gate: 'budget',
      gateReason:
        'the requirement: a command whose zone runs on another node costs the cluster at most twice the CPU of a local one (both nodes, every thread; the median of 3 rounds).',
    },
    {
      name: `cluster: round-trip p99 of a command whose zone runs on the other node, ${load} (vs a local command's p99 plus one tick)`,
      unit: 'ms',
      value: remoteP99,
      reference: localP99 + TICK_MS,
      ratio: remoteP99 / (localP99 + TICK_MS),
      gate: 'budget',
      gateReason:
        'the requirement: crossing nodes adds at most one tick to a command (100 ms at 10 Hz); the p99 is the median of the 250 ms windows of each round, the median of 3 rounds.',
    },
    {
      name: `cluster: both nodes' CPU per command whose zone runs on the other node, ${load} (vs a local command's)`,
      unit: 'µs/cmd',
      value: remoteCpu,
      reference: localCpu,
      ratio: remoteCpu / localCpu,
      gate: 'info',
      gateReason:
        'what crossing nodes costs (the bus hop each way, Redis not included): for the trend; the budget above is the requirement.',
    },
    {
      name: `cluster: Redis CPU per command whose zone runs on the other node, ${load} (vs both nodes' CPU per command)`,
      unit: 'µs/cmd',
      value: remoteRedis,
      reference: remoteCpu,
      ratio: remoteRedis / remoteCpu,
      gate: 'info',
      gateReason:
        "Redis's share of a remote command (its pub/sub of the per-tick batches), beside the nodes' own.",
    },
  ];
}
