import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createTestDatabase,
  databaseUrl,
  redisAvailable,
  startThrowawayRedis,
  type TestDatabase,
  type ThrowawayRedis,
} from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { killAll, type NodeProcess, startNodes } from '../../engine/test/cluster/helpers/node-process.js';
import { metricValue } from '../../engine/test/helpers/prometheus-text.js';
import { ExitCode } from '../src/exit-codes.js';
import { readSummary } from '../src/summary/read-summary.js';
import type { Summary } from '../src/summary/summary.js';
import { runCli } from './fixtures/run-cli.js';

const SCENARIO = fileURLToPath(new URL('./fixtures/scenarios/cluster-walk.ts', import.meta.url));
const VUS = 9;
const ITERATIONS = 3;
/** e, e, look, say, w, w, who: see the scenario. */
const COMMANDS_PER_ITERATION = 7;

function count(s: Summary, key: string): number {
  const m = s.metrics[key];
  if (m?.type !== 'counter' && m?.type !== 'trend') throw new Error(`${key}: ${m?.type}`);
  return m.values.count;
}

/** A counter of a node's /metrics, summed over its label sets (0 before its first sample). */
async function engineCounter(node: NodeProcess, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${node.port}/metrics`)).text();
  return metricValue(text, name) ?? 0;
}

const commandsAnswered = (node: NodeProcess) =>
  engineCounter(node, 'leviathan_command_duration_seconds_count');
const connectionsOpened = (node: NodeProcess) => engineCounter(node, 'leviathan_connections_opened_total');

/**
 * The load generator across a cluster, as the Ansible load-testing role runs it: one generator
 * process per engine node (`--segment I/3`, each pointed at its own node), on a three-node Drowned
 * Coast cluster (real `leviathan serve` processes, Redis and Postgres) where harbor and the cliffs
 * run on different nodes. The segments' summaries merge into one result whose counts are the
 * engine's own: every command the generators timed, each node's gateway answered and counted.
 */
describe.skipIf(!redisAvailable() || !databaseUrl())('one load segment per cluster node', () => {
  let redis: ThrowawayRedis;
  let db: TestDatabase;
  let dir: string;
  const nodes: NodeProcess[] = [];

  beforeAll(async () => {
    redis = await startThrowawayRedis();
    db = await createTestDatabase('loadgen_segments');
    dir = mkdtempSync(join(tmpdir(), 'loadgen-segments-'));
    // Named so that the placement puts harbor (where players start) and cliffs on different nodes.
    await startNodes(
      ['tide-1', 'tide-2', 'tide-3'],
      { cluster: 'segments', storeUrl: db.url, redisUrl: redis.url },
      nodes,
    );
  }, 120_000);
  afterAll(async () => {
    await killAll(nodes.map((n) => n.child));
    await redis?.stop();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('merges the segments into one result that matches the counters of the nodes it loaded', async () => {
    const harbor = nodes.find((n) => n.zones.has('harbor'))!;
    const cliffs = nodes.find((n) => n.zones.has('cliffs'))!;
    expect(harbor).not.toBe(cliffs);
    const before = await Promise.all(nodes.map(commandsAnswered));

    const files = nodes.map((_, i) => join(dir, `segment-${i + 1}.json`));
    const runs = await Promise.all(
      nodes.map((node, i) =>
        runCli(
          ['run', SCENARIO, '--segment', `${i + 1}/3`, '--workers', '1', '--summary-export', files[i]!],
          { LOADGEN_TARGET: node.url, LOADGEN_VUS: String(VUS), LOADGEN_ITERATIONS: String(ITERATIONS) },
        ),
      ),
    );
    for (const run of runs) expect(run.code, run.stderr + run.stdout).toBe(ExitCode.Ok);
    const segments = await Promise.all(files.map((f) => readSummary(f)));

    // Each generator's commands are the ones its own node's gateway answered: the engine counts a
    // command when its reply is written, whichever node ran the zone. The gateways publish their
    // counters between scrapes, so they are read until they settle.
    await vi.waitFor(
      async () => {
        const after = await Promise.all(nodes.map(commandsAnswered));
        expect(after.map((n, i) => n - before[i]!)).toEqual(segments.map((s) => count(s, 'ws_cmd_duration')));
      },
      { timeout: 10_000, interval: 250 },
    );
    // VUs 1..9 split three to a segment: every node had players, and their commands in other nodes' zones.
    for (const s of segments) expect(count(s, 'ws_sessions')).toBe(VUS / 3);

    const allFile = join(dir, 'all.json');
    const merged = await runCli(['merge', ...files, '--summary-export', allFile]);
    expect(merged.code, merged.stderr + merged.stdout).toBe(ExitCode.Ok);
    const all = await readSummary(allFile);
    expect(count(all, 'ws_cmd_duration')).toBe(VUS * ITERATIONS * COMMANDS_PER_ITERATION);
    expect(count(all, 'iterations')).toBe(VUS * ITERATIONS);
    expect(count(all, 'ws_sessions')).toBe(VUS);
    const opened = await Promise.all(nodes.map(connectionsOpened));
    expect(opened.reduce((a, b) => a + b, 0)).toBe(count(all, 'ws_sessions'));
    const answered = (await Promise.all(nodes.map(commandsAnswered))).reduce((a, b) => a + b, 0);
    expect(answered - before.reduce((a, b) => a + b, 0)).toBe(count(all, 'ws_cmd_duration'));
    const checks = all.metrics.checks;
    expect(checks?.type === 'rate' ? checks.values : undefined).toMatchObject({ rate: 1, fails: 0 });
  }, 180_000);
});
