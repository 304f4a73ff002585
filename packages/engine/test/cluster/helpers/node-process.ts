import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { spawnServe } from '@leviathan/test-support';
import { expect, vi } from 'vitest';
import { MUD_GAME, WORLD_DIR } from '../../../../mud/test/helpers/mud-server.js';
import { placeZones } from '../../../src/cluster/zone-placement.js';

export const CLI = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));
/** The Drowned Coast's zones. */
export const ZONES = ['harbor', 'cliffs', 'forest', 'marsh'];
export const FLUSH_MS = 200;
export const LEASE_TTL_MS = 1500;

/** A `leviathan serve` process on a cluster, and what its log said about its zones. */
export interface NodeProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly port: number;
  readonly url: string;
  readonly exited: Promise<unknown>;
  /** Zones this node runs now, by its log ("runs here now" / "handed over" / "lost"). */
  readonly zones: Set<string>;
  /** When each zone last came to this node (performance.now() of the line's arrival). */
  readonly gainedAt: Map<string, number>;
  /** Every log message of the node so far. */
  readonly log: string[];
}

export interface NodeProcessOptions {
  readonly name: string;
  readonly cluster: string;
  readonly storeUrl: string;
  readonly redisUrl: string;
  /** More `leviathan serve` flags. */
  readonly flags?: readonly string[];
}

/**
 * A cluster node of the Drowned Coast (one shard, one gateway thread, Postgres, a short flush
 * interval and lease); resolves once it joined, following its zones' log lines.
 */
export async function startNodeProcess(o: NodeProcessOptions): Promise<NodeProcess> {
  const serve = spawnServe(CLI, [
    '--shards',
    '1',
    '--gateway-threads',
    '1',
    '--game',
    MUD_GAME,
    '--game-options',
    JSON.stringify({ world: WORLD_DIR }),
    '--store-kind',
    'postgres',
    '--store-url',
    o.storeUrl,
    '--flush-interval-ms',
    String(FLUSH_MS),
    '--cluster-redis-url',
    o.redisUrl,
    '--cluster-name',
    o.cluster,
    '--cluster-node',
    o.name,
    '--cluster-lease-ttl-ms',
    String(LEASE_TTL_MS),
    '--log-level',
    'info',
    ...(o.flags ?? []),
  ]);
  const zones = new Set<string>();
  const gainedAt = new Map<string, number>();
  const log: string[] = [];
  serve.onMessage((msg) => {
    log.push(msg);
    const gained = /^zone (\S+) runs here now$/.exec(msg);
    if (gained) {
      zones.add(gained[1]!);
      gainedAt.set(gained[1]!, performance.now());
    }
    const gone = /^zone (\S+) (handed over|lost)/.exec(msg);
    if (gone) zones.delete(gone[1]!);
  });
  const port = await serve.port();
  await serve.waitFor(/^joined cluster/);
  return {
    name: o.name,
    child: serve.child,
    port,
    url: `ws://127.0.0.1:${port}/ws`,
    exited: serve.exited,
    zones,
    gainedAt,
    log,
  };
}

/**
 * Starts a node per name, one after another, each pushed to `into` as it starts (so that a start
 * that fails leaves the others there to kill), and resolves once they run their zones.
 */
export async function startNodes(
  names: readonly string[],
  options: Omit<NodeProcessOptions, 'name'>,
  into: NodeProcess[],
): Promise<void> {
  for (const name of names) into.push(await startNodeProcess({ ...options, name }));
  await settled(into);
}

/** Resolves once each node runs exactly the zones the placement over `nodes` gives it. */
export function settled(nodes: readonly NodeProcess[]): Promise<void> {
  return vi.waitFor(
    () => {
      const want = placeZones(
        ZONES,
        nodes.map((n) => n.name),
      );
      for (const n of nodes)
        expect([...n.zones].sort()).toEqual(ZONES.filter((z) => want.get(z) === n.name).sort());
    },
    { timeout: 30_000 },
  );
}

/** Kills every process of `children` still running, and waits for each to end. */
export async function killAll(children: readonly ChildProcess[]): Promise<void> {
  const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
  await Promise.all(
    running.map((c) => {
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      return exited;
    }),
  );
}
