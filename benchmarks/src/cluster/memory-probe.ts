/**
 * Memory per player on one node against three, in the same run: echo-game nodes (`leviathan
 * serve`, one shard and one gateway thread each, 10 Hz) on a throwaway Redis and Postgres.
 * 1. One node runs the four zones; `players` sessions (2,000 by default) log in to it.
 * 2. It leaves; three nodes share the four zones, and `players` sessions log in to each (three
 *    times the players), so that about two in three play in a zone of another node.
 * For each node the probe reads, with no player and then with its players: the process's resident
 * memory (RSS, every thread; the median of 12 reads over 3 s) and its JavaScript heap (the engine's
 * `leviathan_heap_used_bytes`, summed over its threads; the least of the same 12 reads); and
 * Redis's `used_memory`. Each player has logged in and sent two commands, then the sessions sit
 * idle for 3 s before the reads. The nodes run with V8's `--gc-global --gc-interval=20000` (a full
 * collection every 20,000 allocations), so that the heap read is what is live, not garbage that
 * the next collection would free: without them, the heap per player read anywhere from 1.4 to
 * 20.6 KiB in one run (500 players per node), as each thread's collections fell before or after
 * the reads. RSS, which garbage collection gives back to the system only slowly, is the figure
 * for sizing machines; the heap says what the engine's own objects cost.
 *
 *   pnpm --filter @leviathan/benchmarks exec tsx --conditions=source src/cluster/memory-probe.ts [players]
 *
 * Needs `redis-server`, `redis-cli` and Postgres's binaries (as the tests do). Figures: docs/cluster.md.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { startThrowawayCluster, startThrowawayRedis, type ThrowawayRedis } from '@leviathan/test-support';
import { parseExposition } from '../../../packages/engine/src/metrics/parse-exposition.js';
import { namesSpreading, type ProbeNode, startProbeNode, ZONES } from './probe-nodes.js';
import { echo, openMany, type Session } from './probe-sessions.js';

interface Memory {
  /** Resident memory of the process, bytes. */
  readonly rss: number;
  /** JavaScript heap in use over all its threads, bytes. */
  readonly heap: number;
}

const READS = 12;
const READ_EVERY_MS = 250;

async function memoryOf(node: ProbeNode): Promise<Memory> {
  const rss: number[] = [];
  const heap: number[] = [];
  for (let i = 0; i < READS; i++) {
    const status = readFileSync(`/proc/${node.child.pid}/status`, 'utf8');
    rss.push(Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]) * 1024);
    const text = await (await fetch(`http://127.0.0.1:${node.port}/metrics`)).text();
    const samples = parseExposition(text).get('leviathan_heap_used_bytes')?.samples ?? [];
    heap.push(samples.reduce((sum, s) => sum + s.value, 0));
    await sleep(READ_EVERY_MS);
  }
  rss.sort((a, b) => a - b);
  return { rss: rss[rss.length >> 1]!, heap: Math.min(...heap) };
}

function redisUsedMemory(redis: ThrowawayRedis): number {
  const info = execFileSync('redis-cli', ['-p', String(redis.port), 'info', 'memory'], { encoding: 'utf8' });
  return Number(/^used_memory:(\d+)/m.exec(info)![1]);
}

/** Logs `count` sessions in on `node` from `from`, and has each send two commands. */
async function playersOn(node: ProbeNode, from: number, count: number): Promise<Session[]> {
  const sessions = await openMany(node.port, from, count);
  for (let round = 0; round < 2; round++) {
    const answers = await Promise.all(sessions.map(echo));
    const refused = answers.filter((a) => a !== 'reply').length;
    if (refused > 0) throw new Error(`${refused} commands on ${node.name} were not answered`);
  }
  return sessions;
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1);
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

function report(label: string, node: ProbeNode, idle: Memory, loaded: Memory, players: number): void {
  console.log(
    `${label} ${node.name} (zones ${[...node.zones].sort().join(',')}): RSS ${mib(idle.rss)} → ${mib(loaded.rss)} MiB, ` +
      `${kib((loaded.rss - idle.rss) / players)} KiB per player; heap ${mib(idle.heap)} → ${mib(loaded.heap)} MiB, ` +
      `${kib((loaded.heap - idle.heap) / players)} KiB per player (${players} connected)`,
  );
}

async function stop(node: ProbeNode): Promise<void> {
  node.child.kill('SIGTERM');
  await node.exited;
}

const players = Number(process.argv[2] ?? 2000);
const postgres = await startThrowawayCluster();
const redis = await startThrowawayRedis();
const env = { redis: redis.url, postgres: postgres.url };
// Set from a preload rather than on Node's command line: worker threads refuse V8 flags in the
// execArgv they inherit. V8's flags are the process's, so the workers' heaps follow them too.
const GC_FLAGS = [
  '--import',
  `data:text/javascript,import v8 from 'node:v8'; v8.setFlagsFromString('--gc-global'); v8.setFlagsFromString('--gc-interval=20000');`,
];
const running: ProbeNode[] = [];
try {
  // One node: every zone, `players` players.
  const single = await startProbeNode('solo', env, undefined, GC_FLAGS);
  running.push(single);
  while (single.zones.size !== ZONES.length) await sleep(100);
  const redisIdle = redisUsedMemory(redis);
  const singleIdle = await memoryOf(single);
  const onSingle = await playersOn(single, 0, players);
  await sleep(3000);
  const singleLoaded = await memoryOf(single);
  const redisSingle = redisUsedMemory(redis) - redisIdle;
  report('one node:', single, singleIdle, singleLoaded, players);
  console.log(`  Redis: ${((redisSingle / players) | 0).toString()} B per player`);
  for (const s of onSingle) s.ws.terminate();
  await stop(single);
  running.pop();

  // Three nodes: the zones spread over them, `players` players connected to each.
  const three: ProbeNode[] = [];
  for (const name of namesSpreading()) {
    const node = await startProbeNode(name, env, undefined, GC_FLAGS);
    three.push(node);
    running.push(node);
  }
  while (three.reduce((n, node) => n + node.zones.size, 0) !== ZONES.length) await sleep(100);
  await sleep(1000);
  const redisIdle3 = redisUsedMemory(redis);
  const idle3 = await Promise.all(three.map(memoryOf));
  // Names after the first phase's (a multiple of four, so each zone keeps its share).
  const sessions3 = await Promise.all(three.map((node, i) => playersOn(node, players * (i + 1), players)));
  await sleep(3000);
  const loaded3 = await Promise.all(three.map(memoryOf));
  const redis3 = redisUsedMemory(redis) - redisIdle3;
  for (const [i, node] of three.entries()) report('three nodes:', node, idle3[i]!, loaded3[i]!, players);
  const sum = (ms: readonly Memory[], k: keyof Memory) => ms.reduce((t, m) => t + m[k], 0);
  const total = 3 * players;
  console.log(
    `three nodes together: RSS ${kib((sum(loaded3, 'rss') - sum(idle3, 'rss')) / total)} KiB per player, heap ` +
      `${kib((sum(loaded3, 'heap') - sum(idle3, 'heap')) / total)} KiB per player (${total} players); ` +
      `one node: RSS ${kib((singleLoaded.rss - singleIdle.rss) / players)}, heap ${kib((singleLoaded.heap - singleIdle.heap) / players)} KiB per player`,
  );
  console.log(
    `  Redis: ${((redis3 / total) | 0).toString()} B per player; idle node RSS ${mib(sum(idle3, 'rss') / 3)} MiB`,
  );
  for (const s of sessions3.flat()) s.ws.terminate();
} finally {
  for (const n of running) n.child.kill('SIGTERM');
  await sleep(500);
  await redis.stop();
  postgres.stop();
}
