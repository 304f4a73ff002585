/**
 * playbooks/load-test.yml for real, to localhost (connection local): the load-testing role unpacks
 * a loadgen release made by infrastructure/build-release.sh and copies examples/load-test/src;
 * the playbook runs the CI scenario (7 s, up to 10 virtual users, thresholds) against a real
 * engine and fetches the summary and the time series. Everything lives in a temp dir; the
 * open-files limit file is not written (loadgen_manage_limits: false) and nothing needs root.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type LeviathanServer } from '@leviathan/engine';
import { demoGameModule } from '@leviathan/example-demo';
import { hasTool } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { applyPlaybook, ROLES_ENV } from './helpers/ansible.js';
import { ANSIBLE_DIR, REPO_ROOT } from './repo-paths.js';

interface Summary {
  format: string;
  thresholds: Array<{ metric: string; expression: string; ok: boolean }>;
  metrics: Record<string, unknown>;
}

describe.skipIf(!hasTool('ansible-playbook', 'ansible'))('playbook load-test.yml on localhost', () => {
  let dir: string;
  let engine: LeviathanServer | undefined;
  let port: number;
  let results: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leviathan-loadtest-'));
    engine = createServer({
      host: '127.0.0.1',
      port: 0,
      game: demoGameModule(),
      shards: 1,
      gatewayThreads: 1,
      auth: { mode: 'dev', rate: { perSecond: 1000, burst: 1000 } },
      store: { kind: 'embedded', dataDir: join(dir, 'store') },
      log: { level: 'warn' },
    });
    ({ port } = await engine.listen());

    if (!existsSync(join(REPO_ROOT, 'packages/loadgen/dist/cli.js'))) {
      execFileSync('pnpm', ['--filter', '@leviathan/loadgen', 'build'], { cwd: REPO_ROOT, stdio: 'pipe' });
    }
    const archive = execFileSync(
      join(REPO_ROOT, 'infrastructure/build-release.sh'),
      ['loadgen', dir, 'tar'],
      {
        encoding: 'utf8',
      },
    ).trim();

    // The groups the playbook and the role read: the generator, and the game server it targets.
    const inventory = join(dir, 'hosts.yml');
    writeFileSync(
      inventory,
      stringify({
        all: {
          children: {
            load_generators: { hosts: { localhost: { ansible_connection: 'local' } } },
            game_servers: { hosts: { localhost: { ansible_host: '127.0.0.1' } } },
          },
        },
      }),
    );
    results = join(dir, 'results');
    await applyPlaybook({
      playbook: join(ANSIBLE_DIR, 'playbooks/load-test.yml'),
      inventory,
      extraVars: {
        ansible_become: false, // the play asks for root; here the current user does it all
        ansible_python_interpreter: 'auto_silent',
        loadgen_root: join(dir, 'opt'),
        loadgen_release_archive: archive,
        loadgen_node_binary: process.execPath,
        loadgen_scenario: 'ci.ts',
        loadgen_target_url: `ws://127.0.0.1:${port}/ws`,
        loadgen_results_dir: results,
        loadgen_manage_limits: false,
        loadgen_extra_args: ['--workers', '1'],
      },
      cwd: dir,
      env: ROLES_ENV,
      timeoutMs: 180_000,
    });
  }, 240_000);

  afterAll(async () => {
    await engine?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('brings back a summary whose thresholds passed', () => {
    const summary = JSON.parse(readFileSync(join(results, 'localhost/summary.json'), 'utf8')) as Summary;
    expect(summary.format).toBe('leviathan-loadgen-summary');
    expect(Object.keys(summary.metrics)).toEqual(expect.arrayContaining(['ws_auth_duration', 'checks']));
    // ci.ts declares six thresholds (every login succeeds, auth p95 < 500 ms, no errors, ...).
    expect(summary.thresholds.length).toBe(6);
    for (const t of summary.thresholds) expect(t.ok, `${t.metric}: ${t.expression}`).toBe(true);
  });

  it('brings back the NDJSON time series', () => {
    const lines = readFileSync(join(results, 'localhost/metrics.ndjson'), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(0, 5)) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('drove the engine: players logged in', async () => {
    const metrics = await engine?.metrics();
    const opened = Number(/^leviathan_connections_opened_total (\d+)/m.exec(metrics ?? '')?.[1]);
    expect(opened).toBeGreaterThanOrEqual(10);
  });
});
