import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/exit-codes.js';
import { readSummary } from '../src/summary/read-summary.js';
import { type GameServer, startGameServer } from './fixtures/game-server.js';
import { interruptWhenRunning, runCli } from './fixtures/run-cli.js';

const scenario = (name: string) => fileURLToPath(new URL(`./fixtures/scenarios/${name}.ts`, import.meta.url));

let server: GameServer;
let slowServer: GameServer;
let dir: string;
let env: Record<string, string>;
beforeAll(async () => {
  server = await startGameServer();
  slowServer = await startGameServer({ replyDelayMs: 250 });
  dir = mkdtempSync(join(tmpdir(), 'loadgen-cli-'));
  env = { LOADGEN_TARGET: server.url, LOADGEN_VUS: '2', LOADGEN_ITERATIONS: '10' };
});
afterAll(() => {
  server.close();
  slowServer.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('leviathan-load run', { timeout: 90_000 }, () => {
  it('passes (exit 0) and writes the summary JSON, the NDJSON time series and JUnit XML', async () => {
    const summaryFile = join(dir, 'pass.json');
    // Outputs into directories that do not exist yet, as `reports/` on a fresh CI checkout.
    const ndjsonFile = join(dir, 'reports', 'pass.ndjson');
    const junitFile = join(dir, 'reports', 'junit', 'pass.xml');
    const r = await runCli(
      [
        'run',
        scenario('cli-check'),
        '--workers',
        '1',
        '--interval',
        '200ms',
        '--summary-export',
        summaryFile,
        '--out',
        `json=${ndjsonFile}`,
        '--out',
        `junit=${junitFile}`,
      ],
      env,
    );
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(ExitCode.Ok);
    // The summary table.
    expect(r.stdout).toMatch(/ws_cmd_duration\.+: avg=/);
    expect(r.stdout).toMatch(/✓ auth successful: 2 passed, 0 failed/);
    expect(r.stdout).toMatch(/THRESHOLDS\n {4}✓ ws_cmd_duration p\(95\)<5000/);
    // Summary JSON: readable back, with mergeable raw series.
    const summary = await readSummary(summaryFile);
    expect(summary.metrics.iterations?.values).toMatchObject({ count: 20 });
    expect(summary.metrics.ws_cmd_duration?.raw.type).toBe('trend');
    // NDJSON: one JSON line per metric per interval, adding up to the totals.
    const points = readFileSync(ndjsonFile, 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as { metric: string; interval: number; type: string; values: Record<string, number> },
      );
    expect(points.length).toBeGreaterThan(0);
    const keys = points.map((p) => `${p.interval}/${p.metric}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(points.every((p) => p.type === 'Point')).toBe(true);
    const iterationsOverIntervals = points
      .filter((p) => p.metric === 'iterations')
      .reduce((n, p) => n + (p.values.count ?? 0), 0);
    expect(iterationsOverIntervals).toBe(20);
    // JUnit: one passing test case per threshold.
    const xml = readFileSync(junitFile, 'utf8');
    expect(xml).toMatch(/^<\?xml/);
    expect(xml).toMatch(/<testsuites name="leviathan-load" tests="2" failures="0"/);
    expect(xml).toContain('name="ws_cmd_duration p(95)&lt;5000"');
  });

  it('exits 99 when a threshold fails, with a JUnit failure', async () => {
    const junitFile = join(dir, 'fail.xml');
    const r = await runCli(
      ['run', scenario('cli-check'), '--workers', '1', '--quiet', '--out', `junit=${junitFile}`],
      {
        ...env,
        LOADGEN_P95: '0.001',
      },
    );
    expect(r.code).toBe(ExitCode.ThresholdsFailed);
    const xml = readFileSync(junitFile, 'utf8');
    expect(xml).toMatch(/failures="1"/);
    expect(xml).toMatch(
      /<failure message="ws_cmd_duration p\(95\)&lt;0.001 failed: actual [\d.]+" type="threshold"\/>/,
    );
  });

  it('abortOnFail stops the test early and exits 99', async () => {
    const summaryFile = join(dir, 'abort.json');
    const r = await runCli(
      ['run', scenario('cli-check'), '--workers', '1', '--quiet', '--summary-export', summaryFile],
      {
        ...env,
        LOADGEN_P95: '0.001',
        LOADGEN_ABORT: '1',
        LOADGEN_ITERATIONS: '1000000',
        LOADGEN_MAX_DURATION: '60s',
      },
    );
    expect(r.code).toBe(ExitCode.ThresholdsFailed);
    const summary = await readSummary(summaryFile);
    expect(summary.aborted).toMatch(/abortOnFail/);
    expect(summary.durationMs).toBeLessThan(30_000); // it would have run 60 s
  });

  it('exits 104 on an invalid threshold, 107 on a missing scenario, 2 on a bad flag', async () => {
    const bad = await runCli(['run', scenario('cli-check'), '--quiet'], { ...env, LOADGEN_P95: '' });
    expect(bad.code).toBe(ExitCode.InvalidConfig);
    expect(bad.stderr).toMatch(/LEV_ERR|threshold "p\(95\)<"/);
    const missing = await runCli(['run', join(dir, 'nope.ts')]);
    expect(missing.code).toBe(ExitCode.ScriptError);
    expect(missing.stderr).toMatch(/cannot load scenario/);
    const usage = await runCli(['run', scenario('cli-check'), '--bogus']);
    expect(usage.code).toBe(ExitCode.Usage);
    expect(usage.stderr).toMatch(/usage:/);
  });

  it('--baseline: exits 98 when latency regresses (replies 250 ms slower), 0 against itself', async () => {
    const baseFile = join(dir, 'base.json');
    const base = await runCli(
      ['run', scenario('cli-check'), '--workers', '1', '--quiet', '--summary-export', baseFile],
      env,
    );
    expect(base.code).toBe(0);
    // The pass path without timing luck: the baseline against itself (merge of one summary).
    const same = await runCli(['merge', baseFile, '--quiet', '--baseline', baseFile]);
    expect(same.code).toBe(ExitCode.Ok);
    const junitFile = join(dir, 'slow.xml');
    const slow = await runCli(
      ['run', scenario('cli-check'), '--workers', '1', '--baseline', baseFile, '--out', `junit=${junitFile}`],
      {
        ...env,
        LOADGEN_TARGET: slowServer.url,
      },
    );
    expect(slow.code).toBe(ExitCode.BaselineRegression);
    expect(slow.stdout).toMatch(/BASELINE\n[\s\S]*✗ ws_cmd_duration p\(95\)/);
    expect(readFileSync(junitFile, 'utf8')).toMatch(/classname="baseline"[\s\S]*type="baseline"/);
  });
});

describe('leviathan-load run: stops', { timeout: 90_000 }, () => {
  it('exits 105 on SIGINT, after a graceful stop, still writing the summary', async () => {
    const summaryFile = join(dir, 'interrupted.json');
    const r = await runCli(
      [
        'run',
        scenario('long'),
        '--workers',
        '1',
        '--quiet',
        '--progress',
        'plain',
        '--summary-export',
        summaryFile,
      ],
      {},
      // Interrupt once the test is running: the first progress line says so.
      interruptWhenRunning(),
    );
    expect(r.code).toBe(ExitCode.Interrupted);
    const summary = await readSummary(summaryFile);
    expect(summary.aborted).toBe('interrupted');
    expect(summary.durationMs).toBeLessThan(30_000);
    expect(summary.metrics.iterations?.values).toMatchObject({ count: expect.any(Number) });
  });

  it('exits 107 when a worker crashes, and says so', async () => {
    const r = await runCli(['run', scenario('crash'), '--workers', '1', '--quiet']);
    expect(r.code).toBe(ExitCode.ScriptError);
    expect(r.stderr).toMatch(/worker 0 crashed/);
  });
});

describe('leviathan-load merge', { timeout: 90_000 }, () => {
  it('merges two generator processes (--segment) into one summary from their histograms', async () => {
    const a = join(dir, 'seg1.json');
    const b = join(dir, 'seg2.json');
    const merged = join(dir, 'merged.json');
    const segEnv = { ...env, LOADGEN_VUS: '3', LOADGEN_ITERATIONS: '7' };
    const [r1, r2] = await Promise.all([
      runCli(
        [
          'run',
          scenario('cli-check'),
          '--segment',
          '1/2',
          '--workers',
          '1',
          '--quiet',
          '--summary-export',
          a,
        ],
        segEnv,
      ),
      runCli(
        [
          'run',
          scenario('cli-check'),
          '--segment',
          '2/2',
          '--workers',
          '1',
          '--quiet',
          '--summary-export',
          b,
        ],
        segEnv,
      ),
    ]);
    expect([r1.code, r2.code]).toEqual([0, 0]);
    const [sa, sb] = [await readSummary(a), await readSummary(b)];
    // 3 VUs split 2 + 1 over the segments, each VU 7 iterations.
    expect([sa.metrics.iterations?.values, sb.metrics.iterations?.values]).toMatchObject([
      { count: 14 },
      { count: 7 },
    ]);
    const m = await runCli(['merge', a, b, '--summary-export', merged]);
    expect(m.code).toBe(0);
    expect(m.stdout).toMatch(/2 segments merged/);
    const s = await readSummary(merged);
    expect(s.metrics.iterations?.values).toMatchObject({ count: 21 });
    expect(s.metrics.ws_sessions?.values).toMatchObject({ count: 3 });
    const cmd = s.metrics.ws_cmd_duration;
    if (cmd?.type !== 'trend') throw new Error('no ws_cmd_duration');
    expect(cmd.values.count).toBe(21);
    const maxOfParts = Math.max(
      ...[sa, sb].map((x) =>
        x.metrics.ws_cmd_duration?.type === 'trend' ? x.metrics.ws_cmd_duration.values.max : 0,
      ),
    );
    expect(cmd.values.max).toBe(maxOfParts);
    expect(s.segments).toEqual([
      { index: 0, count: 2 },
      { index: 1, count: 2 },
    ]);
  });

  it('refuses a file that is not a loadgen summary (exit 104)', async () => {
    const r = await runCli(['merge', fileURLToPath(new URL('../package.json', import.meta.url))]);
    expect(r.code).toBe(ExitCode.InvalidConfig);
    expect(r.stderr).toMatch(/is not a loadgen summary/);
  });
});
