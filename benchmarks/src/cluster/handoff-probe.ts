/**
 * What walking into a zone of another node costs, against a step within one zone, in the same run:
 * two nodes of the Drowned Coast (`leviathan serve`, one shard and one gateway thread each, 10 Hz)
 * on a throwaway Redis and Postgres, harbor on node A and the cliffs on node B. `players` sessions
 * (100 by default), all connected to node A, walk in rounds between Fishmarket Square and the Fish
 * Stalls (both harbor: no handoff) and between the Fish Stalls and the Cliff Road (a handoff
 * between the nodes, each way). Each step is timed from the command to the new room's description
 * (the `room` event), which is what the player waits for; at 10 Hz a step waits for a tick or two.
 *
 *   pnpm --filter @leviathan/benchmarks exec tsx --conditions=source src/cluster/handoff-probe.ts [players] [rounds]
 *
 * Needs `redis-server` and Postgres's binaries (as the tests do). Figures: docs/cluster.md.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startThrowawayCluster, startThrowawayRedis } from '@leviathan/test-support';
import WebSocket from 'ws';
import { MUD, namesPlacing, type ProbeNode, startProbeNode } from './probe-nodes.js';

const MUD_ZONES = ['harbor', 'cliffs', 'forest', 'marsh'];

interface Walker {
  readonly ws: WebSocket;
  /** Resolves at the next `room` event, with its title. */
  nextRoom(): Promise<string>;
}

async function walker(port: number, name: string): Promise<Walker> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const waiting: Array<(title: string) => void> = [];
  let authed: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    authed = resolve;
  });
  ws.on('message', (data) => {
    for (const line of data.toString().split('\n')) {
      if (line === '') continue;
      const msg = JSON.parse(line) as { type: string; title?: string };
      if (msg.type === 'auth-ok') authed();
      else if (msg.type === 'room') waiting.shift()?.(msg.title ?? '');
      else if (msg.type === 'auth-error' || msg.type === 'bye') throw new Error(`${name}: ${line}`);
    }
  });
  const nextRoom = () => new Promise<string>((resolve) => waiting.push(resolve));
  const first = nextRoom();
  ws.send(JSON.stringify({ type: 'auth', username: name, token: 'test-token', capabilities: ['events'] }));
  await ready;
  await first;
  return { ws, nextRoom };
}

/** One step: the time from the command to the new room, in ms. */
async function step(w: Walker, direction: string, expected: string): Promise<number> {
  const t = performance.now();
  const room = w.nextRoom();
  w.ws.send(JSON.stringify({ type: 'cmd', line: direction }));
  const title = await room;
  if (title !== expected) throw new Error(`walked ${direction} into ${title}, not ${expected}`);
  return performance.now() - t;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const players = Number(process.argv[2] ?? 100);
const rounds = Number(process.argv[3] ?? 20);
const postgres = await startThrowawayCluster();
const redis = await startThrowawayRedis();
const nodes: ProbeNode[] = [];
try {
  const [nameA, nameB] = namesPlacing(['harbor'], ['cliffs'], MUD_ZONES);
  const env = { redis: redis.url, postgres: postgres.url };
  const a = await startProbeNode(nameA, env, MUD);
  nodes.push(a);
  const b = await startProbeNode(nameB, env, MUD);
  nodes.push(b);
  while (!a.zones.has('harbor') || !b.zones.has('cliffs')) await sleep(100);
  const walkers: Walker[] = [];
  for (let i = 0; i < players; i += 20)
    walkers.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(20, players - i) }, (_, j) => walker(a.port, `w${i + j}`)),
      )),
    );
  const within: number[] = [];
  const across: number[] = [];
  await Promise.all(
    walkers.map(async (w) => {
      for (let r = 0; r < rounds; r++) {
        within.push(await step(w, 'e', 'The Fish Stalls'));
        across.push(await step(w, 'e', 'The Cliff Road'));
        across.push(await step(w, 'w', 'The Fish Stalls'));
        within.push(await step(w, 'w', 'Fishmarket Square'));
      }
    }),
  );
  within.sort((x, y) => x - y);
  across.sort((x, y) => x - y);
  const show = (xs: number[]) =>
    `p50 ${Math.round(quantile(xs, 0.5))} ms, p99 ${Math.round(quantile(xs, 0.99))} ms, max ${Math.round(xs.at(-1) ?? Number.NaN)} ms (${xs.length} steps)`;
  console.log(`${players} players on ${a.name} (harbor), cliffs on ${b.name}, ${rounds} rounds`);
  console.log(`step within harbor: ${show(within)}`);
  console.log(`step across the nodes (a handoff): ${show(across)}`);
  for (const w of walkers) w.ws.terminate();
} finally {
  for (const n of nodes) n.child.kill('SIGTERM');
  await sleep(500);
  await redis.stop();
  postgres.stop();
}
