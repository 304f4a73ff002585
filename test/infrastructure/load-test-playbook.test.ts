/**
 * playbooks/load-test.yml for real (the load-testing role, a loadgen release made by
 * infrastructure/build-release.sh, the scenarios the role ships, a real engine), on hosts that are
 * this machine (connection local), each with its own loadgen_root and its own loopback source
 * address (loadgen_local_ips → --local-ips):
 *
 * - three generators gen1..gen3: three segments as separate processes, their summaries merged by
 *   the role on gen1 (histograms, never percentiles);
 * - one generator running the same test alone, the reference the merge is checked against: same
 *   metrics, same counts (the scenario runs a fixed number of iterations), same thresholds, and
 *   each merged percentile inside the range of the segments' (never their average);
 * - two generators against a server that answers one of them slowly: that segment's thresholds
 *   fail, the play goes on to fetch and merge, and fails on the merged verdict.
 *
 * The engine's own login path records the address each connection came from (a custom auth
 * verifier gets the gateway's peer address), which proves --local-ips end to end. Everything lives
 * in a temp dir; the open-files limit file is not written (loadgen_manage_limits: false) and
 * nothing needs root.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AuthRequest, createServer, type LeviathanServer } from '@leviathan/engine';
import { demoGameModule } from '@leviathan/example-demo';
import { AnsibleHostsFailedError, runPlaybook } from '@leviathan/infra-sdk';
import { hasTool } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { applyPlaybook, ROLES_ENV } from './helpers/ansible.js';
import { ANSIBLE_DIR, REPO_ROOT } from './repo-paths.js';

interface Metric {
  type: 'trend' | 'counter' | 'rate' | 'gauge';
  values: Record<string, number>;
}
interface Summary {
  format: string;
  segments: Array<{ index: number; count: number }>;
  thresholds: Array<{ metric: string; expression: string; ok: boolean }>;
  metrics: Record<string, Metric>;
}

/** ci.ts (the role's scenario of the CI gate) on a fixed number of iterations: deterministic totals. */
const VUS = 6;
const ITERATIONS = 12;
const SPLIT = { gen1: '127.0.0.2', gen2: '127.0.0.3', gen3: '127.0.0.4' };
const ALONE = { solo: '127.0.0.5' };
/** The second of these is answered slowly: above ci.ts's `ws_auth_duration: p(95)<500`. */
const SLOWED = { fast: '127.0.0.6', slow: '127.0.0.7' };
const SLOW_MS = 700;
const PERCENTILES = ['med', 'p(90)', 'p(95)', 'p(99)', 'min', 'max'];

/** A demo-game engine whose logins are verified by its real gateway path, recording each peer address. */
async function startEngine(
  dataDir: string,
  slowAddress?: string,
): Promise<{ server: LeviathanServer; port: number; logins: Map<string, number> }> {
  const logins = new Map<string, number>();
  const server = createServer({
    host: '127.0.0.1',
    port: 0,
    game: demoGameModule(),
    shards: 1,
    gatewayThreads: 1,
    auth: { rate: { perSecond: 1000, burst: 1000 } },
    verifier: {
      async verify(request: AuthRequest) {
        // A peer of an IPv6 socket comes in its IPv4-mapped form.
        const address = request.remoteAddress.replace(/^::ffff:/, '');
        logins.set(address, (logins.get(address) ?? 0) + 1);
        if (address === slowAddress) await sleep(SLOW_MS);
        return { ok: true, username: request.username, roles: [] };
      },
    },
    store: { kind: 'embedded', dataDir },
    log: { level: 'warn' },
  });
  const { port } = await server.listen();
  return { server, port, logins };
}

describe.skipIf(!hasTool('ansible-playbook', 'ansible'))(
  'playbook load-test.yml over several generators',
  () => {
    let dir: string;
    let archive: string;
    /** The engine of the split and lone runs (one after the other), and the one that answers slowly. */
    let engine: Awaited<ReturnType<typeof startEngine>> | undefined;
    let slowEngine: Awaited<ReturnType<typeof startEngine>> | undefined;
    let slowedError: unknown;

    /** The inventory of `generators` (host → its source address), written to <dir>/<name>.yml. */
    function inventory(name: string, generators: Record<string, string>): string {
      const hosts = Object.fromEntries(
        Object.entries(generators).map(([host, address]) => [
          host,
          { ansible_connection: 'local', loadgen_root: join(dir, 'hosts', host), loadgen_local_ips: address },
        ]),
      );
      const path = join(dir, `${name}.yml`);
      writeFileSync(path, stringify({ all: { children: { load_generators: { hosts } } } }));
      return path;
    }

    const playbookOptions = (name: string, generators: Record<string, string>, port: number) => ({
      playbook: join(ANSIBLE_DIR, 'playbooks/load-test.yml'),
      inventory: inventory(name, generators),
      extraVars: {
        ansible_become: false, // the play asks for root; here the current user does it all
        ansible_python_interpreter: 'auto_silent',
        loadgen_release_archive: archive,
        loadgen_node_binary: process.execPath,
        loadgen_scenario: 'ci.ts',
        loadgen_target_url: `ws://127.0.0.1:${port}/ws`,
        loadgen_results_dir: join(dir, name),
        loadgen_manage_limits: false,
        loadgen_extra_args: ['--workers', '1', '--vus', String(VUS), '--iterations', String(ITERATIONS)],
      },
      cwd: dir,
      // Pipelining: a module runs without a temp file of its own (fewer processes per task).
      env: { ...ROLES_ENV, ANSIBLE_PIPELINING: '1' },
      // Generous: on a busy machine each task of Ansible takes seconds.
      timeoutMs: 300_000,
    });

    const read = (name: string, file: string): Summary =>
      JSON.parse(readFileSync(join(dir, name, file), 'utf8')) as Summary;
    const loginsFrom = (logins: Map<string, number> | undefined, addresses: string[]) =>
      Object.fromEntries(addresses.map((a) => [a, logins?.get(a) ?? 0]));

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'leviathan-loadtest-'));
      engine = await startEngine(join(dir, 'store'));
      slowEngine = await startEngine(join(dir, 'slow-store'), SLOWED.slow);
      if (!existsSync(join(REPO_ROOT, 'packages/loadgen/dist/cli.js'))) {
        execFileSync('pnpm', ['--filter', '@leviathan/loadgen', 'build'], { cwd: REPO_ROOT, stdio: 'pipe' });
      }
      archive = execFileSync(join(REPO_ROOT, 'infrastructure/build-release.sh'), ['loadgen', dir, 'tar'], {
        encoding: 'utf8',
      }).trim();

      const { port } = engine;
      await Promise.all([
        // One after the other on one engine: both log in player1..6, and a second login of a name
        // takes its session over.
        (async () => {
          await applyPlaybook(playbookOptions('split', SPLIT, port));
          await applyPlaybook(playbookOptions('alone', ALONE, port));
        })(),
        runPlaybook(playbookOptions('slowed', SLOWED, slowEngine.port)).then(
          () => undefined,
          (e: unknown) => {
            slowedError = e;
          },
        ),
      ]);
    }, 420_000);

    afterAll(async () => {
      await engine?.server.close();
      await slowEngine?.server.close();
      if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    }, 60_000);

    describe('three generators, three segments', () => {
      it('brings back each generator its segment, and the merge of all three', () => {
        for (const [i, host] of Object.keys(SPLIT).entries()) {
          expect(read('split', `${host}/summary.json`).segments).toEqual([{ index: i, count: 3 }]);
          const lines = readFileSync(join(dir, 'split', host, 'metrics.ndjson'), 'utf8')
            .trim()
            .split('\n');
          expect(lines.length).toBeGreaterThan(1);
          for (const line of lines.slice(0, 5)) expect(() => JSON.parse(line)).not.toThrow();
        }
        const merged = read('split', 'summary.json');
        expect(merged.format).toBe('leviathan-loadgen-summary');
        expect(merged.segments).toEqual([0, 1, 2].map((index) => ({ index, count: 3 })));
        // ci.ts declares six thresholds (every login succeeds, auth p95 < 500 ms, no errors, ...).
        expect(merged.thresholds.length).toBe(6);
        for (const t of merged.thresholds) expect(t.ok, `${t.metric}: ${t.expression}`).toBe(true);
        const junit = readFileSync(join(dir, 'split', 'junit.xml'), 'utf8');
        expect(junit.match(/<testcase /g)?.length).toBe(6);
        expect(junit).not.toContain('<failure');
        const table = readFileSync(join(dir, 'split', 'summary.txt'), 'utf8');
        expect(table).toContain('ws_auth_duration');
        expect(table).toContain('iterations');
      });

      it('ran each segment from its own source address (--local-ips), as the server saw them', () => {
        const perSegment = Object.keys(SPLIT).map(
          (host) => read('split', `${host}/summary.json`).metrics.ws_auth_duration?.values.count,
        );
        // 6 VUs, 12 iterations: two VUs and four logins per segment, each from its generator's address.
        expect(perSegment).toEqual([4, 4, 4]);
        expect(loginsFrom(engine?.logins, Object.values(SPLIT))).toEqual({
          '127.0.0.2': 4,
          '127.0.0.3': 4,
          '127.0.0.4': 4,
        });
        expect(loginsFrom(engine?.logins, Object.values(ALONE))).toEqual({ '127.0.0.5': ITERATIONS });
        expect([...(engine?.logins.keys() ?? [])].sort()).toEqual([
          ...Object.values(SPLIT),
          ...Object.values(ALONE),
        ]);
      });

      it('merges histograms: trend counts are the sums of the segments', () => {
        const merged = read('split', 'summary.json');
        const segments = Object.keys(SPLIT).map((host) => read('split', `${host}/summary.json`));
        const trends = Object.keys(merged.metrics).filter((k) => merged.metrics[k]?.type === 'trend');
        expect(trends).toEqual(
          expect.arrayContaining(['ws_auth_duration', 'ws_connecting', 'iteration_duration']),
        );
        for (const key of trends) {
          const sum = segments.reduce((n, s) => n + (s.metrics[key]?.values.count ?? 0), 0);
          expect(merged.metrics[key]?.values.count, key).toBe(sum);
        }
      });

      it('puts each merged percentile inside the range of the segments’ (never their average)', () => {
        const merged = read('split', 'summary.json');
        const segments = Object.keys(SPLIT).map((host) => read('split', `${host}/summary.json`));
        for (const key of Object.keys(merged.metrics).filter((k) => merged.metrics[k]?.type === 'trend')) {
          for (const p of PERCENTILES) {
            const parts = segments.flatMap((s) =>
              s.metrics[key] ? [s.metrics[key].values[p] as number] : [],
            );
            const value = merged.metrics[key]?.values[p] as number;
            expect(value, `${key} ${p}`).toBeGreaterThanOrEqual(Math.min(...parts));
            expect(value, `${key} ${p}`).toBeLessThanOrEqual(Math.max(...parts));
          }
        }
      });

      it('agrees with the same test run by one generator alone', () => {
        const merged = read('split', 'summary.json');
        const alone = read('alone', 'solo/summary.json');
        expect(alone.segments).toEqual([{ index: 0, count: 1 }]);
        expect(Object.keys(merged.metrics).sort()).toEqual(Object.keys(alone.metrics).sort());
        const verdicts = (s: Summary) =>
          s.thresholds.map((t) => `${t.metric}: ${t.expression} ${t.ok}`).sort();
        expect(verdicts(merged)).toEqual(verdicts(alone));
        // Counts the fixed iterations decide, whatever the timing.
        const counted = (s: Summary) =>
          Object.fromEntries(
            Object.entries(s.metrics).flatMap(([key, m]): Array<[string, unknown]> => {
              if (m.type === 'counter' || m.type === 'trend') return [[key, m.values.count]];
              if (m.type === 'rate') return [[key, [m.values.passes, m.values.fails]]];
              return [];
            }),
          );
        expect(counted(merged)).toEqual(counted(alone));
        expect(counted(merged)).toMatchObject({ iterations: ITERATIONS, ws_auth_duration: ITERATIONS });
        // The lone run's merge (of one summary) is that summary.
        expect(counted(read('alone', 'summary.json'))).toEqual(counted(alone));
      });
    });

    describe('a segment over its thresholds', () => {
      it('fails the play on the merged thresholds, after bringing the results back', () => {
        expect(slowedError).toBeInstanceOf(AnsibleHostsFailedError);
        const tasks = (slowedError as AnsibleHostsFailedError).result?.plays.flatMap((p) => p.tasks) ?? [];
        const failed = tasks.flatMap((t) =>
          Object.values(t.hosts)
            .filter((h) => h.status === 'failed')
            .map((h) => `${t.name} on ${h.host}`),
        );
        expect(failed).toEqual([expect.stringMatching(/Fail when the merged thresholds failed on fast$/)]);
        // The slow segment's own run exited 99 without failing its host: the merge decides.
        const slow = read('slowed', 'slow/summary.json');
        expect(slow.thresholds.find((t) => t.metric === 'ws_auth_duration')?.ok).toBe(false);
        expect(read('slowed', 'fast/summary.json').thresholds.every((t) => t.ok)).toBe(true);
        const merged = read('slowed', 'summary.json');
        expect(merged.thresholds.find((t) => t.metric === 'ws_auth_duration')?.ok).toBe(false);
        expect(readFileSync(join(dir, 'slowed', 'junit.xml'), 'utf8')).toContain('<failure');
        expect(loginsFrom(slowEngine?.logins, Object.values(SLOWED))).toEqual({
          '127.0.0.6': 6,
          '127.0.0.7': 6,
        });
      });
    });
  },
);
