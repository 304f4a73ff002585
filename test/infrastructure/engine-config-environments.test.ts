/**
 * The engine configuration each environment would get: the leviathan-engine role's config tasks
 * rendered by the real Ansible with each inventory's group_vars for every game server (to a temp
 * dir, connection local), then read by the engine's own resolveConfig() with the rendered
 * environment file as the environment. A group_vars key the engine does not know, a secret in the
 * wrong place or a value out of range fails here, not on a server. Where the game servers form one
 * world, each must be a node of the same cluster with a name of its own, and the load test must
 * reach the node that runs the zone its players start in (computed by the engine's own placement).
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '@leviathan/engine';
import { hasTool } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// Not in the package's exports: the same function every node runs to place zones.
import { placeZones } from '../../packages/engine/src/cluster/zone-placement.js';
import { applyPlaybook, ROLES_ENV } from './helpers/ansible.js';
import { ANSIBLE_DIR, REPO_ROOT } from './repo-paths.js';

const SECRET = 'an-hmac-secret-of-forty-characters-000000';
/** A vault Redis password with what a URL must escape ("/" from base64, "@", ":", a quote). */
const REDIS_PASSWORD = "r/e+d i@s:p%w'd-0123456789";
const WORLD_DIR = join(REPO_ROOT, 'examples/mud/world');

/** Reads KEY=value lines as systemd's EnvironmentFile and sh do (values shell-quoted by the role). */
function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!m?.[1]) continue;
    const raw = m[2] ?? '';
    env[m[1]] = raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1).replaceAll(`'"'"'`, "'") : raw;
  }
  return env;
}

/** `redis`: where the game servers' cluster coordinates; null, each engine is a world of its own. */
const EXPECTED = {
  development: {
    auth: 'dev',
    loginRate: 1000,
    // The one VM's Postgres listens on loopback only (its password is not from a vault).
    database: '127.0.0.1',
    redis: null,
    nodes: ['leviathan-development-1'],
  },
  staging: {
    auth: 'dev',
    loginRate: 1000,
    database: '10.20.0.5',
    redis: '10.20.0.5:6379',
    nodes: ['leviathan-staging-1', 'leviathan-staging-2', 'leviathan-staging-3'],
  },
  production: {
    auth: 'hmac',
    loginRate: 1,
    database: '10.20.0.7',
    redis: '10.20.0.7:6379',
    nodes: ['leviathan-production-1', 'leviathan-production-2'],
  },
} as const;

/** Each host's address (ansible_host) in an environment's inventory. */
function inventoryAddresses(environment: string): Record<string, string> {
  const list = JSON.parse(
    execFileSync(
      'ansible-inventory',
      ['-i', join(ANSIBLE_DIR, `inventories/${environment}/hosts.yml`), '--list'],
      {
        encoding: 'utf8',
      },
    ),
  ) as { _meta: { hostvars: Record<string, { ansible_host?: string }> } };
  return Object.fromEntries(
    Object.entries(list._meta.hostvars).map(([host, vars]) => [host, vars.ansible_host ?? host]),
  );
}

/** The world's zones and the one new characters start in, as the MUD reads them. */
function world(): { zones: string[]; spawnZone: string } {
  const { spawn } = parse(readFileSync(join(WORLD_DIR, 'world.yaml'), 'utf8')) as { spawn: string };
  const zones = readdirSync(join(WORLD_DIR, 'zones'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => (parse(readFileSync(join(WORLD_DIR, 'zones', f), 'utf8')) as { id: string }).id);
  return { zones, spawnZone: spawn.split(':')[0] ?? '' };
}

describe.skipIf(!hasTool('ansible-playbook', 'ansible'))('engine configuration per environment', () => {
  let dir: string;
  let playbook: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leviathan-envconfig-'));
    playbook = join(dir, 'render.yml');
    writeFileSync(
      playbook,
      [
        '- hosts: game_servers',
        '  gather_facts: false',
        '  connection: local',
        '  tasks:',
        '    - ansible.builtin.file:',
        '        path: "{{ leviathan_config_dir }}"',
        '        state: directory',
        '        mode: "0700"',
        '    - ansible.builtin.include_role:',
        '        name: leviathan-engine',
        '        tasks_from: config.yml',
        '- hosts: load_generators',
        '  gather_facts: false',
        '  connection: local',
        '  tasks:',
        // The role's defaults, where group_vars do not say (imported, its tasks skipped).
        '    - ansible.builtin.import_role:',
        '        name: load-testing',
        '      when: false',
        '    - name: The load test target',
        '      ansible.builtin.debug:',
        '        var: loadgen_target_url',
        '',
      ].join('\n'),
    );
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Renders every game server's files into <out>/<host>/; the play's result for the load test target. */
  const render = (environment: string, out: string, extraVars: Record<string, unknown> = {}) =>
    applyPlaybook({
      playbook,
      inventory: join(ANSIBLE_DIR, `inventories/${environment}/hosts.yml`),
      extraVars: {
        leviathan_config_dir: `${out}/{{ inventory_hostname }}`,
        leviathan_user: userInfo().username,
        leviathan_group: execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim(),
        leviathan_service_manager: 'none', // render only: no handler restarts anything
        vault_leviathan_hmac_secret: SECRET,
        vault_leviathan_db_password: "p@ss w'rd",
        vault_leviathan_redis_password: REDIS_PASSWORD,
        ansible_python_interpreter: 'auto_silent',
        ...extraVars,
      },
      env: ROLES_ENV,
      timeoutMs: 120_000,
    });

  describe.each(Object.entries(EXPECTED))('%s', (environment, expected) => {
    let out: string;
    let targetUrl: string | undefined;
    /** Each game server's rendered environment file and the configuration the engine resolves. */
    const nodes = new Map<
      string,
      { env: Record<string, string>; config: ReturnType<typeof resolveConfig> }
    >();

    beforeAll(async () => {
      out = join(dir, environment);
      mkdirSync(out);
      const result = await render(environment, out);
      for (const host of readdirSync(out)) {
        const env = parseEnvFile(readFileSync(join(out, host, 'engine.env'), 'utf8'));
        nodes.set(host, {
          env,
          config: resolveConfig({}, { file: join(out, host, 'engine.yaml'), env, argv: [] }),
        });
      }
      const target = Object.values(result.plays[1]?.tasks.at(-1)?.hosts ?? {})[0]?.raw.loadgen_target_url;
      targetUrl = typeof target === 'string' ? target : undefined;
    }, 180_000);

    it('renders every game server', () => {
      expect([...nodes.keys()].sort()).toEqual([...expected.nodes]);
    });

    it('the engine accepts what the role renders', () => {
      for (const [host, { env, config }] of nodes) {
        expect(config.port, host).toBe(8080);
        expect(config.game).toBe('@leviathan/mud/game');
        expect(config.gameOptions).toEqual({ world: '/opt/leviathan/world' });
        expect(config.auth.mode).toBe(expected.auth);
        expect(config.auth.rate.perSecond).toBe(expected.loginRate);
        expect(config.store.kind).toBe('postgres');
        // The store URL, password included, comes from the environment file, never from engine.yaml.
        expect(readFileSync(join(out, host, 'engine.yaml'), 'utf8')).not.toContain('postgres://');
        // The password is URL-encoded into the URL, whatever characters it holds.
        const url = new URL(config.store.url ?? '');
        expect([url.username, decodeURIComponent(url.password), url.host, url.pathname]).toEqual([
          'leviathan',
          "p@ss w'rd",
          `${expected.database}:5432`,
          '/leviathan',
        ]);
        if (expected.auth === 'hmac') expect(env.LEVIATHAN_HMAC_SECRET).toBe(SECRET);
      }
    });

    if (expected.redis === null) {
      it('leaves each engine a world of its own: no cluster lines', () => {
        for (const [host, { env, config }] of nodes) {
          expect(
            Object.keys(env).filter((k) => k.startsWith('LEVIATHAN_CLUSTER_')),
            host,
          ).toEqual([]);
          expect(config.cluster.redisUrl).toBeUndefined();
        }
      });
    } else {
      it('makes each game server a node of one cluster, named after its inventory host', () => {
        for (const [host, { env, config }] of nodes) {
          expect(env.LEVIATHAN_CLUSTER_NODE, host).toBe(host);
          expect(config.cluster.node).toBe(host);
          expect(config.cluster.name).toBe('leviathan');
          // The Redis URL, password included, is a secret: the environment file, never engine.yaml.
          expect(readFileSync(join(out, host, 'engine.yaml'), 'utf8')).not.toContain('redis://');
          const url = new URL(config.cluster.redisUrl ?? '');
          expect([url.protocol, url.username, decodeURIComponent(url.password), url.host]).toEqual([
            'redis:',
            '',
            REDIS_PASSWORD,
            expected.redis,
          ]);
        }
        expect(new Set([...nodes.values()].map((n) => n.config.cluster.redisUrl)).size).toBe(1);
      });
    }

    // Until players can play across nodes, a node refuses a login whose zone another node runs. The
    // load test's players start in the world's spawn zone and stay there, so its target must be the
    // node that runs that zone while every game server is up (production's scenarios cannot log in:
    // its auth is hmac, and they bring the development token).
    it.skipIf(expected.auth !== 'dev')('sends the load test to the node that runs the spawn zone', () => {
      const { zones, spawnZone } = world();
      const hostOf = new Map([...nodes].map(([host, n]) => [n.config.cluster.node ?? host, host]));
      const owner =
        expected.redis === null
          ? [...nodes.keys()][0] // one engine runs every zone
          : hostOf.get(placeZones(zones, [...hostOf.keys()]).get(spawnZone) ?? '');
      expect(owner).toBeDefined();
      expect(new URL(targetUrl ?? 'ws://none').host).toBe(
        `${inventoryAddresses(environment)[owner ?? '']}:8080`,
      );
    });
  });

  it('refuses a cluster node on the embedded store, or without Redis, before rendering anything', async () => {
    const refused: Array<Record<string, unknown>> = [
      { leviathan_cluster_enabled: true, leviathan_store_kind: 'embedded' },
      { leviathan_cluster_enabled: true, leviathan_redis_url: '' },
    ];
    for (const [i, vars] of refused.entries()) {
      const out = join(dir, `refused-${i}`);
      mkdirSync(out);
      const err = await render('development', out, vars).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(String(err)).toMatch(/leviathan_cluster_enabled needs leviathan_store_kind postgres/);
      expect(readdirSync(join(out, 'leviathan-development-1'))).toEqual([]);
    }
  });
});
