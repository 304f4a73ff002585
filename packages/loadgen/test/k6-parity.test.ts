import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/exit-codes.js';
import { readSummary } from '../src/summary/read-summary.js';
import { type GameServer, startGameServer } from './fixtures/game-server.js';
import { runCli } from './fixtures/run-cli.js';

/**
 * What k6 users rely on, run through the CLI against a real WebSocket server: setup/teardown,
 * groups, --env, handleSummary, the execution flags, per-scenario settings, full tag-set series
 * with their cap, and gracefulRampDown.
 */
const scenario = (name: string) => fileURLToPath(new URL(`./fixtures/scenarios/${name}.ts`, import.meta.url));

let server: GameServer;
let dir: string;
beforeAll(async () => {
  server = await startGameServer();
  dir = mkdtempSync(join(tmpdir(), 'loadgen-k6-'));
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('setup, teardown, groups, --env, handleSummary', { timeout: 90_000 }, () => {
  it('passes setup data and --env to every VU and to teardown; groups tag samples and checks', async () => {
    const summaryFile = join(dir, 'lifecycle.json');
    const teardownFile = join(dir, 'teardown.json');
    const r = await runCli(
      [
        'run',
        scenario('lifecycle'),
        '--workers',
        '2',
        '--progress',
        'none',
        '-e',
        'GREETING=hello',
        '--summary-export',
        summaryFile,
      ],
      { LOADGEN_TARGET: server.url, LOADGEN_TEARDOWN_FILE: teardownFile },
    );
    // Only self-monitoring may speak on a busy machine: no error, no failed setup or teardown.
    expect(r.stderr).not.toMatch(/Error|failed/);
    expect(r.code).toBe(ExitCode.Ok);
    expect(JSON.parse(readFileSync(teardownFile, 'utf8'))).toEqual({
      token: 'test-token',
      greeting: 'hello',
      when: '1970-01-01T00:00:00.000Z',
    });
    const s = await readSummary(summaryFile);
    const m = s.metrics;
    expect(m.checks?.values).toMatchObject({ passes: 6 * 5, fails: 0 });
    // Nested groups joined as k6 joins them; one group_duration sample per group run.
    expect(m['group_duration{group:::session,scenario:players}']?.values).toMatchObject({ count: 6 });
    expect(m['group_duration{group:::session::look,scenario:players}']?.values).toMatchObject({ count: 6 });
    // Samples and checks inside a group carry it; those outside do not.
    expect(m['ws_cmd_duration{group:::session::look,scenario:players}']?.values).toMatchObject({ count: 6 });
    expect(m['checks{check:reply ok,group:::session::look,scenario:players}']?.values).toMatchObject({
      passes: 6,
    });
    expect(m['checks{check:auth ok,group:::session,scenario:players}']?.values).toMatchObject({ passes: 6 });
    expect(m['checks{check:setup data arrived,scenario:players}']?.values).toMatchObject({ passes: 6 });
    // setup's own connection counts, under group ::setup, as in k6.
    expect(m['ws_auth_duration{group:::setup}']?.values).toMatchObject({ count: 1 });
    expect(m.ws_auth_duration?.values).toMatchObject({ count: 7 });
    // The table lists metrics, not every tag set.
    expect(r.stdout).toMatch(/group_duration\.+: avg=/);
    expect(r.stdout).not.toContain('group_duration{');
    expect(r.stdout).toMatch(
      /GROUPS\n {4}::session \(scenario=players\): avg=.* count=6\n {4}::session::look \(scenario=players\): avg=/,
    );
  });

  it('runs teardown even when a threshold fails', async () => {
    const teardownFile = join(dir, 'teardown-failed.json');
    const r = await runCli(
      [
        'run',
        scenario('lifecycle'),
        '--workers',
        '1',
        '--quiet',
        '--progress',
        'none',
        '-e',
        'GREETING=hello',
      ],
      {
        LOADGEN_TARGET: server.url,
        LOADGEN_TEARDOWN_FILE: teardownFile,
        LOADGEN_FAIL: '1',
      },
    );
    expect(r.code).toBe(ExitCode.ThresholdsFailed);
    expect(JSON.parse(readFileSync(teardownFile, 'utf8'))).toMatchObject({ token: 'test-token' });
  });

  it('handleSummary replaces the table with its stdout and writes its files, with setup data', async () => {
    const handled = join(dir, 'reports', 'handled.json');
    const r = await runCli(
      ['run', scenario('lifecycle'), '--workers', '1', '--progress', 'none', '-e', 'GREETING=hello'],
      {
        LOADGEN_TARGET: server.url,
        LOADGEN_HANDLE_SUMMARY_FILE: handled,
      },
    );
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.stdout).toBe('handled by the scenario\n');
    const out = JSON.parse(readFileSync(handled, 'utf8')) as { keys: string[]; setupData: { token: string } };
    expect(out.keys).toContain('iterations');
    expect(out.keys).toContain('group_duration{group:::session,scenario:players}');
    expect(out.setupData.token).toBe('test-token');
  });

  it('a setup() that throws stops the run before any VU with exit 107', async () => {
    const r = await runCli(['run', scenario('setup-fails'), '--progress', 'none']);
    expect(r.code).toBe(ExitCode.ScriptError);
    expect(r.stderr).toContain('setup() failed: the test account could not be created');
    expect(r.stdout).toBe('');
  });

  it('a setup() past setupTimeout stops the run with exit 100', async () => {
    const r = await runCli(['run', scenario('setup-fails'), '--progress', 'none'], {
      LOADGEN_SETUP_HANGS: '1',
    });
    expect(r.code).toBe(ExitCode.SetupTimeout);
    expect(r.stderr).toContain('setup() did not finish within 300 ms');
  });
});

describe('execution flags and per-scenario settings', { timeout: 90_000 }, () => {
  it('--vus and --iterations replace the scenarios with one shared-iterations scenario', async () => {
    const summaryFile = join(dir, 'flags.json');
    const r = await runCli(
      [
        'run',
        scenario('cli-check'),
        '--workers',
        '2',
        '--progress',
        'none',
        '--quiet',
        '-u',
        '3',
        '-i',
        '7',
        '--summary-export',
        summaryFile,
      ],
      { LOADGEN_TARGET: server.url },
    );
    expect(r.code).toBe(ExitCode.Ok);
    const s = await readSummary(summaryFile);
    expect(s.metrics.iterations?.values).toMatchObject({ count: 7 });
    expect(s.metrics['iterations{scenario:default}']?.values).toMatchObject({ count: 7 });
    expect(s.metrics['iterations{scenario:players}']).toBeUndefined();
    expect(s.metrics.vus_max?.values).toMatchObject({ max: 3 });
  });

  it('--vus alone leaves `scenarios` alone, with a warning (k6)', async () => {
    const summaryFile = join(dir, 'vus-only.json');
    const r = await runCli(
      [
        'run',
        scenario('cli-check'),
        '--workers',
        '1',
        '--progress',
        'none',
        '--quiet',
        '--vus',
        '5',
        '--summary-export',
        summaryFile,
      ],
      { LOADGEN_TARGET: server.url, LOADGEN_VUS: '2', LOADGEN_ITERATIONS: '2' },
    );
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.stderr).toContain('--vus is ignored');
    expect((await readSummary(summaryFile)).metrics.iterations?.values).toMatchObject({ count: 4 });
  });

  it('runs exec, env, tags and startTime per scenario; every tag set is a series, capped per metric', async () => {
    const summaryFile = join(dir, 'settings.json');
    const r = await runCli([
      'run',
      scenario('scenario-settings'),
      '--workers',
      '1',
      '--progress',
      'none',
      '--quiet',
      '--ignore-fd-limit',
      '--summary-export',
      summaryFile,
    ]);
    expect(r.code).toBe(ExitCode.Ok);
    const m = (await readSummary(summaryFile)).metrics;
    expect(m['iterations{scenario:red,side:left}']?.values).toMatchObject({ count: 4 });
    expect(m['iterations{scenario:blue}']?.values).toMatchObject({ count: 20 });
    expect(m['team_iterations{scenario:red,side:left,team:red}']?.values).toMatchObject({ count: 4 });
    expect(m['team_iterations{scenario:blue,team:blue}']?.values).toMatchObject({ count: 20 });
    expect(m.iteration_errors).toBeUndefined();
    // 5 tag sets kept, the other 15 folded into one series, and one warning about it.
    const perItem = Object.keys(m).filter((k) => k.startsWith('per_item{item:'));
    expect(perItem).toHaveLength(5);
    expect(m['per_item{__overflow__:true}']?.values).toMatchObject({ count: 15 });
    expect(m.per_item?.values).toMatchObject({ count: 20 });
    expect(r.stderr.match(/more than 5 distinct tag sets/g)).toHaveLength(1);
  });

  it('cuts iterations of ramped-down VUs after gracefulRampDown, not gracefulStop', async () => {
    const summaryFile = join(dir, 'ramp-down.json');
    const r = await runCli(
      [
        'run',
        scenario('ramp-down'),
        '--workers',
        '1',
        '--progress',
        'none',
        '--quiet',
        '--summary-export',
        summaryFile,
      ],
      { LOADGEN_TARGET: server.url },
    );
    expect(r.code).toBe(ExitCode.Ok);
    const s = await readSummary(summaryFile);
    expect(s.metrics.interrupted_iterations?.values).toMatchObject({ count: 2 });
    // As in k6, a cut iteration is not a finished one, nor an error of the scenario.
    expect(s.metrics.iterations).toBeUndefined();
    expect(s.metrics.iteration_errors).toBeUndefined();
    // gracefulStop is 60 s and the iterations would wait 120 s: ending well before shows the cut.
    expect(s.durationMs).toBeLessThan(30_000);
    expect(existsSync(summaryFile)).toBe(true);
  });
});
