/**
 * docker-compose.yml without Docker (no engine here): the file is read as Compose reads it (YAML
 * with `<<` merge keys), and what the stack needs is checked against the repository's own parts.
 * Each engine node's environment and configuration file go through the engine's resolveConfig;
 * the zones the two nodes run come from the engine's own placement over the world's zones; the
 * Prometheus targets name both engines. Where `docker compose` is installed, its own `config`
 * validates the file as well.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '@leviathan/engine';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// Not in the package's exports: the same function every node runs to place zones.
import { placeZones } from '../../packages/engine/src/cluster/zone-placement.js';
import { MONITORING_DIR, REPO_ROOT } from './repo-paths.js';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
}

const compose = parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;
const ENGINES = ['engine-1', 'engine-2'] as const;
const WORLD_DIR = join(REPO_ROOT, 'examples/mud/world');

/** An engine service's configuration as the engine resolves it in its container. */
function engineConfig(name: string) {
  return resolveConfig(
    {},
    {
      file: join(REPO_ROOT, 'deploy/engine.compose.yaml'),
      env: services[name]?.environment ?? {},
      argv: [],
    },
  );
}

/** host port → container port of a service's `ports`. */
function publishedPorts(service: Service | undefined): Map<number, number> {
  const ports = new Map<number, number>();
  for (const entry of service?.ports ?? []) {
    const [host, container] = entry.split(':').map(Number);
    if (host !== undefined && container !== undefined) ports.set(host, container);
  }
  return ports;
}

/** Compose durations as used here ("30s", "1m"), in milliseconds. */
function durationMs(text: string | undefined): number {
  const m = /^(\d+)(s|m)$/.exec(text ?? '');
  if (!m) return Number.NaN;
  return Number(m[1]) * (m[2] === 'm' ? 60_000 : 1000);
}

describe('docker-compose.yml', () => {
  it('parses and has the services the stack uses: two engine nodes, Postgres and Redis', () => {
    expect(Object.keys(services).sort()).toEqual(
      [...ENGINES, 'grafana', 'node-exporter', 'postgres', 'postgres-exporter', 'prometheus', 'redis'].sort(),
    );
  });

  it('mounts only files and folders that exist', () => {
    let mounts = 0;
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] ?? '';
        if (!source.startsWith('./')) continue; // a named volume
        mounts++;
        expect(existsSync(join(REPO_ROOT, source)), `${name} mounts missing ${source}`).toBe(true);
      }
      if (service.build) {
        expect(existsSync(join(REPO_ROOT, service.build.context, service.build.dockerfile))).toBe(true);
      }
    }
    expect(mounts).toBeGreaterThan(5);
  });

  it('publishes the engines on 8080 and 8081 and Prometheus on 9090, as the rest of the repository', () => {
    expect(publishedPorts(services['engine-1'])).toEqual(new Map([[8080, 8080]]));
    expect(publishedPorts(services['engine-2'])).toEqual(new Map([[8081, 8080]]));
    expect(services.prometheus?.ports).toContain('9090:9090');
    // No password, and the official image turns protected mode off: reachable by the engines only.
    expect(services.redis?.ports).toBeUndefined();
  });

  it('has Prometheus scrape every engine node on its container port', () => {
    const targets = JSON.parse(
      readFileSync(join(MONITORING_DIR, 'prometheus/targets/engines.json'), 'utf8'),
    ) as Array<{
      targets: string[];
    }>;
    const ports = ENGINES.map((name) => [...publishedPorts(services[name]).values()][0]);
    expect(targets.flatMap((t) => t.targets).sort()).toEqual(ENGINES.map((name, i) => `${name}:${ports[i]}`));
  });

  it('runs Redis as the cluster needs it: nothing saved, nothing evicted, healthy before the engines', () => {
    const redis = services.redis ?? {};
    expect(redis.image).toMatch(/^redis:(7|8)(\.|$)/);
    const command = redis.command ?? [];
    const flag = (name: string) => command[command.indexOf(name) + 1];
    expect(command[0]).toBe('redis-server');
    expect(flag('--save')).toBe('');
    expect(flag('--appendonly')).toBe('no');
    expect(flag('--maxmemory-policy')).toBe('noeviction');
    expect(redis.healthcheck?.test).toContain('redis-cli');
    for (const name of ENGINES) {
      expect(services[name]?.depends_on, name).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
    }
  });

  it.each(ENGINES)(
    '%s: the engine accepts its configuration, a cluster node on Postgres and Redis',
    (name) => {
      const config = engineConfig(name);
      expect(config.port).toBe(8080);
      expect(config.auth.mode).toBe('dev');
      expect(config.store.kind).toBe('postgres');
      expect(config.store.url).toMatch(/^postgres:\/\/.*@postgres:5432\//);
      expect(config.cluster.redisUrl).toBe('redis://redis:6379');
      // Docker must not kill a node before its final flush and its leases' release.
      expect(durationMs(services[name]?.stop_grace_period)).toBeGreaterThan(config.shutdownDeadlineMs + 2000);
    },
  );

  it('makes one world: the same store, Redis and cluster name on every node, and a name of its own each', () => {
    const configs = ENGINES.map(engineConfig);
    const one = (pick: (c: (typeof configs)[number]) => unknown) => new Set(configs.map(pick)).size;
    expect(one((c) => c.store.url)).toBe(1);
    expect(one((c) => c.cluster.redisUrl)).toBe(1);
    expect(one((c) => c.cluster.name)).toBe(1);
    expect(one((c) => c.cluster.node)).toBe(ENGINES.length);
  });

  // Until players can play across nodes, a login is refused on a node that does not run the
  // player's zone: new characters must find their start zone behind the port the docs give.
  it('runs the zone new characters start in on the node published on 8080, and a zone on each node', () => {
    const world = parse(readFileSync(join(WORLD_DIR, 'world.yaml'), 'utf8')) as { spawn: string };
    const zones = readdirSync(join(WORLD_DIR, 'zones'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => (parse(readFileSync(join(WORLD_DIR, 'zones', f), 'utf8')) as { id: string }).id);
    expect(zones.length).toBeGreaterThan(1);
    const nodeOf = new Map(ENGINES.map((name) => [engineConfig(name).cluster.node ?? '', name]));
    const owners = placeZones(zones, [...nodeOf.keys()]);

    const spawnZone = world.spawn.split(':')[0] ?? '';
    const spawnService = nodeOf.get(owners.get(spawnZone) ?? '');
    expect(publishedPorts(services[spawnService ?? ''])).toEqual(new Map([[8080, 8080]]));
    expect(new Set(owners.values()).size).toBe(ENGINES.length);
  });

  // Compose's own validation (schema, merge keys, interpolation) where the plugin is installed;
  // without a Docker engine, `config` still works.
  const composeCli = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!composeCli)('passes `docker compose config`', () => {
    const res = spawnSync('docker', ['compose', '-f', 'docker-compose.yml', 'config', '--quiet'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(res.status, res.stderr).toBe(0);
  });
});
