/**
 * The leviathan-engine role applied for real to localhost (connection local), as the current user,
 * with the `process` service manager (no systemd here) and every directory under a temp dir:
 * a release built by infrastructure/build-release.sh (`pnpm --filter @leviathan/mud deploy --prod`,
 * tarred: the MUD package with the engine in its node_modules), the MUD world, the embedded store and development auth. The role lays out the
 * release, links `current`, renders the configuration, starts the engine from the release and
 * waits for /healthz; the test checks each of those, runs the role a second time (nothing
 * changes), then stops the engine with the control script.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { AnsibleRunResult } from '@leviathan/infra-sdk';
import { freePort, hasTool } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { prebuiltUwsPackage } from '../../packages/engine/src/gateway/transport/choose.js';
import { applyPlaybook } from './helpers/ansible.js';
import { pollUntil } from './helpers/prometheus-server.js';
import { ANSIBLE_DIR, REPO_ROOT } from './repo-paths.js';

const VERSION = '0.1.0-test';
const MUD_VERSION = (
  JSON.parse(readFileSync(join(REPO_ROOT, 'packages/mud/package.json'), 'utf8')) as { version: string }
).version;
/** Where the engine sits in a MUD release: a production dependency of @leviathan/mud. */
const ENGINE_IN_RELEASE = 'node_modules/@leviathan/engine';

/** The tasks a second run must leave unchanged: the release and the configuration. */
const RELEASE_AND_CONFIG_TASKS = [
  `Unpack release ${VERSION}`,
  `Point current at release ${VERSION}`,
  'Install the MUD world',
  'Render the engine configuration',
  'Render the environment file (secrets)',
  'Install the control script (hosts without systemd)',
];

function taskStatuses(result: AnsibleRunResult): Map<string, string> {
  const statuses = new Map<string, string>();
  for (const play of result.plays) {
    for (const task of play.tasks) {
      const status = task.hosts.localhost?.status;
      // The JSON callback names a role's task `role : name`.
      if (status !== undefined) statuses.set(task.name.replace(/^leviathan-engine : /, ''), status);
    }
  }
  return statuses;
}

async function healthz(port: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`);
  await response.arrayBuffer();
  return response.status;
}

/** Whether `pid` runs; a zombie does not (PID 1 here reaps no orphans, so a stopped engine stays one). */
function processRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe.skipIf(!hasTool('ansible-playbook', 'ansible'))('role leviathan-engine applied to localhost', () => {
  let dir: string;
  let root: string;
  let configDir: string;
  let dataDir: string;
  let logDir: string;
  let port: number;
  let playbook: string;
  let extraVars: Record<string, unknown>;
  let first: AnsibleRunResult;
  const ctl = () => join(root, 'leviathan-enginectl');

  const apply = () =>
    applyPlaybook({
      playbook,
      inventory: 'localhost,',
      connection: 'local',
      extraVars,
      cwd: dir,
      env: { ANSIBLE_ROLES_PATH: join(ANSIBLE_DIR, 'roles'), ANSIBLE_HOST_KEY_CHECKING: 'False' },
      timeoutMs: 180_000,
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leviathan-role-'));
    root = join(dir, 'opt/leviathan');
    configDir = join(dir, 'etc/leviathan');
    dataDir = join(dir, 'var/lib/leviathan');
    logDir = join(dir, 'var/log/leviathan');
    port = await freePort();

    // The release, made by the script operators and CI use (after `pnpm build`); uncompressed
    // here, which saves the test a few seconds of gzip.
    const built = ['packages/engine/dist/cli/main.js', 'packages/mud/dist/game/mud-game.js'];
    if (!built.every((f) => existsSync(join(REPO_ROOT, f)))) {
      execFileSync('pnpm', ['--filter', '@leviathan/mud...', 'build'], { cwd: REPO_ROOT, stdio: 'pipe' });
    }
    const archive = execFileSync(join(REPO_ROOT, 'infrastructure/build-release.sh'), ['mud', dir, 'tar'], {
      encoding: 'utf8',
    }).trim();
    expect(archive).toBe(join(dir, `leviathan-mud-${MUD_VERSION}.tar`));

    playbook = join(dir, 'engine.yml');
    writeFileSync(playbook, '- hosts: localhost\n  gather_facts: false\n  roles:\n    - leviathan-engine\n');
    const group = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
    extraVars = {
      leviathan_root: root,
      leviathan_config_dir: configDir,
      leviathan_data_dir: dataDir,
      leviathan_log_dir: logDir,
      leviathan_manage_user: false,
      leviathan_user: userInfo().username,
      leviathan_group: group,
      leviathan_service_manager: 'process',
      leviathan_version: VERSION,
      leviathan_release_archive: archive,
      leviathan_node_binary: process.execPath,
      leviathan_mud_world_src: join(REPO_ROOT, 'examples/mud/world'),
      leviathan_host: '127.0.0.1',
      leviathan_port: port,
      leviathan_shards: 1,
      leviathan_gateway_threads: 1,
      leviathan_auth_mode: 'dev',
      leviathan_store_kind: 'embedded',
      leviathan_log_level: 'info',
      leviathan_health_delay: 0.5,
      leviathan_health_retries: 120,
      ansible_python_interpreter: 'auto_silent',
    };
    first = await apply();
  }, 240_000);

  afterAll(() => {
    if (root && existsSync(ctl())) spawnSync(ctl(), ['stop'], { timeout: 60_000 });
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 90_000);

  it('lays out the release and links current to it', () => {
    expect(first.failedHosts).toEqual([]);
    const releaseDir = join(root, 'releases', VERSION);
    // The MUD package (its game module and browser client), the engine among its dependencies.
    const files = ['package.json', 'dist/game/mud-game.js', 'web/index.html'];
    for (const f of ['bin/leviathan.js', 'dist/cli/main.js', 'migrations', 'package.json'])
      files.push(`${ENGINE_IN_RELEASE}/${f}`);
    for (const f of files) expect(existsSync(join(releaseDir, f)), f).toBe(true);
    expect(JSON.parse(readFileSync(join(releaseDir, 'package.json'), 'utf8'))).toMatchObject({
      name: '@leviathan/mud',
    });
    // The engine's own dependencies sit beside it in pnpm's layout: its native WebSocket server
    // too, this machine's platform package of uWebSockets.js with its binaries.
    const engine = realpathSync(join(releaseDir, ENGINE_IN_RELEASE));
    const uws = join(engine, '..', '..', prebuiltUwsPackage());
    expect(existsSync(join(uws, 'package.json'))).toBe(true);
    expect(readdirSync(uws).filter((f) => f.endsWith('.node')).length).toBe(3);
    expect(lstatSync(join(root, 'current')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(root, 'current'))).toBe(releaseDir);
    expect(existsSync(join(root, 'world/world.yaml'))).toBe(true);
  });

  it('renders the configuration with the engine keys and the secrets apart', () => {
    const config = parse(readFileSync(join(configDir, 'engine.yaml'), 'utf8')) as Record<string, unknown>;
    expect(config).toEqual({
      host: '127.0.0.1',
      port,
      tickHz: 10,
      shards: 1,
      gatewayThreads: 1,
      game: '@leviathan/mud/game',
      gameOptions: { world: join(root, 'world') },
      webRoot: join(root, 'current/web'),
      auth: { mode: 'dev' },
      store: { kind: 'embedded', dataDir },
      log: { level: 'info' },
    });
    expect(lstatSync(join(configDir, 'engine.env')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(configDir, 'engine.env'), 'utf8')).toContain('NODE_ENV=production');
  });

  it('started the engine from the release: it answers /healthz and uses the data dir', async () => {
    expect(taskStatuses(first).get('Wait for /healthz')).toBe('ok');
    expect(await healthz(port)).toBe(200);
    const pid = Number(readFileSync(join(dataDir, 'leviathan-engine.pid'), 'utf8'));
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline).toContain(join(root, 'current', ENGINE_IN_RELEASE, 'bin/leviathan.js'));
    expect(cmdline).toContain(join(configDir, 'engine.yaml'));
    // The role's default Node flags come before the entry script.
    expect(cmdline.indexOf('--max-semi-space-size=1')).toBeGreaterThan(0);
    expect(cmdline.indexOf('--max-semi-space-size=1')).toBeLessThan(
      cmdline.indexOf(join(root, 'current', ENGINE_IN_RELEASE, 'bin/leviathan.js')),
    );
    expect(readdirSync(dataDir).filter((f) => !f.endsWith('.pid')).length).toBeGreaterThan(0);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/^leviathan_shard_up\{shard="0"\} 1$/m);
  });

  it('is idempotent: a second run changes nothing', async () => {
    const pidBefore = readFileSync(join(dataDir, 'leviathan-engine.pid'), 'utf8');
    const second = await apply();
    const statuses = taskStatuses(second);
    // `ok`, or `skipped` for the unpacking (its `creates` file exists): never `changed`.
    for (const task of RELEASE_AND_CONFIG_TASKS)
      expect(['ok', 'skipped'], task).toContain(statuses.get(task));
    expect(second.stats.localhost?.changed).toBe(0);
    // Nothing changed, so nothing restarted: the same process still serves.
    expect(readFileSync(join(dataDir, 'leviathan-engine.pid'), 'utf8')).toBe(pidBefore);
    expect(await healthz(port)).toBe(200);
  }, 120_000);

  it('stops with the control script', async () => {
    const pid = Number(readFileSync(join(dataDir, 'leviathan-engine.pid'), 'utf8'));
    const stop = spawnSync(ctl(), ['stop'], { encoding: 'utf8', timeout: 60_000 });
    expect(stop.status, stop.stderr).toBe(0);
    expect(stop.stdout).toMatch(/^stopped/);
    expect(processRunning(pid)).toBe(false);
    expect(existsSync(join(dataDir, 'leviathan-engine.pid'))).toBe(false);
    await pollUntil('the port to close', async () => (await healthz(port).catch(() => 0)) === 0 || undefined);
    const status = spawnSync(ctl(), ['status'], { encoding: 'utf8' });
    expect(status.status).toBe(3);
    // A graceful stop (SIGTERM), not a kill: the engine logged its shutdown.
    expect(readFileSync(join(logDir, 'engine.log'), 'utf8')).not.toMatch(/"level":(50|60)\b/);
  }, 90_000);

  it('drains with the control script: `leviathan drain` from the release, which a node that is in no cluster answers with a graceful stop', async () => {
    const start = spawnSync(ctl(), ['start'], { encoding: 'utf8', timeout: 60_000 });
    expect(start.status, start.stderr).toBe(0);
    await pollUntil('/healthz', async () =>
      (await healthz(port).catch(() => 0)) === 200 ? true : undefined,
    );
    const pid = Number(readFileSync(join(dataDir, 'leviathan-engine.pid'), 'utf8'));
    const drain = spawnSync(ctl(), ['drain'], { encoding: 'utf8', timeout: 60_000 });
    expect(drain.status, drain.stderr).toBe(0);
    expect(drain.stdout).toMatch(new RegExp(`leviathan drain: ${pid} drained and exited in [\\d.]+ s`));
    expect(processRunning(pid)).toBe(false);
    expect(existsSync(join(dataDir, 'leviathan-engine.pid'))).toBe(false);
    const log = readFileSync(join(logDir, 'engine.log'), 'utf8');
    expect(log, log.slice(-1500)).toContain('draining, then shutting down');
    expect(log).not.toMatch(/"level":(50|60)\b/);
  }, 90_000);
});
