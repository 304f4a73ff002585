import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawnServe } from '@leviathan/test-support';
import { placeZones } from '../../../packages/engine/src/cluster/zone-placement.js';

/** The echo game's zones (`r<n>` starts in `z<n % 4>`). */
export const ZONES = ['z0', 'z1', 'z2', 'z3'];
const GAME = fileURLToPath(new URL('../macro/echo-game.ts', import.meta.url));
const CLI = fileURLToPath(new URL('../../../packages/engine/src/cli/main.ts', import.meta.url));

/** A `leviathan serve` node of the echo game, and the zones its log says it runs. */
export interface ProbeNode {
  readonly name: string;
  readonly child: ChildProcess;
  readonly port: number;
  readonly exited: Promise<unknown>;
  readonly zones: Set<string>;
}

/** The pid of the redis-server listening on `port` (its process title is `redis-server <host>:<port>`). */
export function redisPid(port: number): number {
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (title.startsWith('redis-server') && title.includes(`:${port}`)) return Number(pid);
    } catch {
      // The process ended meanwhile.
    }
  }
  throw new Error(`no redis-server on port ${port}`);
}

/** Two node names whose placement of `zones` gives the first node `first` and the second `second`. */
export function namesPlacing(
  first: readonly string[],
  second: readonly string[],
  zones: readonly string[] = ZONES,
): [string, string] {
  for (let i = 0; i < 10_000; i++) {
    const owners = placeZones(zones, [`a${i}`, `b${i}`]);
    if (first.every((z) => owners.get(z) === `a${i}`) && second.every((z) => owners.get(z) === `b${i}`))
      return [`a${i}`, `b${i}`];
  }
  throw new Error('no such names');
}

/** Three node names whose placement of `zones` gives each node at least one zone. */
export function namesSpreading(zones: readonly string[] = ZONES): [string, string, string] {
  for (let i = 0; i < 10_000; i++) {
    const names: [string, string, string] = [`a${i}`, `b${i}`, `c${i}`];
    const owners = new Set(placeZones(zones, names).values());
    if (owners.size === 3) return names;
  }
  throw new Error('no such names');
}

/** The MUD and its example world, for probes where players walk. */
export const MUD = {
  game: fileURLToPath(new URL('../../../packages/mud/src/game/mud-game.ts', import.meta.url)),
  options: JSON.stringify({ world: fileURLToPath(new URL('../../../examples/mud/world', import.meta.url)) }),
} as const;

/**
 * A node of the echo game (or `game`) on the cluster `probe` (one shard and one gateway thread,
 * 10 Hz, the Postgres store), Node started with `nodeArgs`; resolves once it joined.
 */
export async function startProbeNode(
  name: string,
  env: { redis: string; postgres: string },
  game: { game: string; options?: string } = { game: GAME },
  nodeArgs: readonly string[] = [],
): Promise<ProbeNode> {
  const serve = spawnServe(
    CLI,
    [
      '--shards',
      '1',
      '--gateway-threads',
      '1',
      '--tick-hz',
      '10',
      '--game',
      game.game,
      ...(game.options === undefined ? [] : ['--game-options', game.options]),
      '--store-kind',
      'postgres',
      '--store-url',
      env.postgres,
      '--cluster-redis-url',
      env.redis,
      '--cluster-name',
      'probe',
      '--cluster-node',
      name,
      // Many sessions log in from one address: the per-address login limit is not what is measured.
      '--auth-rate-per-second',
      '100000',
      '--auth-rate-burst',
      '100000',
      '--log-level',
      'info',
    ],
    { nodeArgs },
  );
  const zones = new Set<string>();
  serve.onMessage((msg) => {
    const gained = /^zone (\S+) runs here now$/.exec(msg);
    if (gained) zones.add(gained[1]!);
    const gone = /^zone (\S+) (handed over|lost)/.exec(msg);
    if (gone) zones.delete(gone[1]!);
  });
  const port = await serve.port();
  await serve.waitFor(/^joined cluster/);
  return { name, child: serve.child, port, exited: serve.exited, zones };
}
