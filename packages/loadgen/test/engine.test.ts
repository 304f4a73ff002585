import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/exit-codes.js';
import { runTest } from '../src/runner/run-test.js';
import { readSummary } from '../src/summary/read-summary.js';
import type { Summary } from '../src/summary/summary.js';
import { type EngineUnderTest, startEngine } from './fixtures/engine-server.js';
import { runCli } from './fixtures/run-cli.js';

// End to end against the real engine: createServer() of @leviathan/engine with the demo game on
// two shards, development auth, uWebSockets.js gateway.
const scenario = (name: string) => fileURLToPath(new URL(`./fixtures/scenarios/${name}.ts`, import.meta.url));
const quiet = { onWarning: () => {} };

function count(s: Summary, key: string): number {
  const m = s.metrics[key];
  if (m === undefined) return 0;
  if (m.type === 'counter' || m.type === 'trend') return m.values.count;
  throw new Error(`${key} is a ${m.type}`);
}

function rate(s: Summary, key: string): { rate: number; passes: number; fails: number } {
  const m = s.metrics[key];
  if (m?.type !== 'rate') throw new Error(`${key} is not a rate`);
  return m.values;
}

let engine: EngineUnderTest;
let dir: string;
beforeAll(async () => {
  engine = await startEngine(2);
  dir = mkdtempSync(join(tmpdir(), 'loadgen-engine-'));
}, 60_000);
afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

describe('against the real engine (demo game, 2 shards, dev auth)', { timeout: 90_000 }, () => {
  it('logs in (auth → auth-ok) and matches command replies by re across shards', async () => {
    process.env.LOADGEN_TARGET = engine.url;
    const { summary, thresholdsFailed } = await runTest({
      scenario: scenario('engine-flow'),
      workers: 2,
      ...quiet,
    });
    expect(summary.errors).toEqual({});
    // 3 VUs × 4 iterations, one login per VU, six commands per iteration.
    expect(count(summary, 'iterations')).toBe(12);
    expect(count(summary, 'ws_sessions')).toBe(3);
    expect(count(summary, 'ws_auth_duration')).toBe(3);
    expect(count(summary, 'ws_cmd_duration')).toBe(12 * 6);
    expect(count(summary, 'ws_timeouts')).toBe(0);
    expect(count(summary, 'ws_errors')).toBe(0);
    expect(rate(summary, 'checks{check:auth successful}')).toMatchObject({ rate: 1, passes: 3 });
    for (const name of [
      'look answered on shard 0',
      'north to the forest',
      'say matched by re',
      'unknown command refused',
      'look answered on shard 1',
      'south back to town',
    ])
      expect(rate(summary, `checks{check:${name}}`), name).toMatchObject({ rate: 1, passes: 12 });
    expect(thresholdsFailed).toBe(false);
  });

  it('exit 0 when the thresholds pass; the summary holds the engine round trips', async () => {
    const summaryFile = join(dir, 'pass.json');
    const r = await runCli(
      ['run', scenario('engine-flow'), '--workers', '1', '--summary-export', summaryFile],
      { LOADGEN_TARGET: engine.url, LOADGEN_VUS: '2', LOADGEN_ITERATIONS: '3' },
    );
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.stdout).toMatch(/✓ auth successful: 2 passed, 0 failed/);
    const summary = await readSummary(summaryFile);
    expect(count(summary, 'ws_cmd_duration')).toBe(2 * 3 * 6);
    expect(summary.thresholds.every((t) => t.ok)).toBe(true);
  });

  it('exit 99 when a latency threshold fails', async () => {
    // No round trip through the engine (gateway → shard → gateway) takes under 1 µs.
    const r = await runCli(['run', scenario('engine-flow'), '--workers', '1'], {
      LOADGEN_TARGET: engine.url,
      LOADGEN_VUS: '1',
      LOADGEN_ITERATIONS: '2',
      LOADGEN_P95: '0.001',
    });
    expect(r.code).toBe(ExitCode.ThresholdsFailed);
    expect(r.stdout).toMatch(/✗ ws_cmd_duration p\(95\)<0\.001/);
    expect(r.stdout).toMatch(/✓ checks rate==1/);
  });

  it('exit 99 when the engine refuses the login (wrong token: auth-error fails the check)', async () => {
    const r = await runCli(['run', scenario('engine-flow'), '--workers', '1'], {
      LOADGEN_TARGET: engine.url,
      LOADGEN_VUS: '2',
      LOADGEN_ITERATIONS: '1',
      LOADGEN_TOKEN: 'not-the-dev-token',
    });
    expect(r.code).toBe(ExitCode.ThresholdsFailed);
    expect(r.stdout).toMatch(/✗ auth successful: 0 passed, 2 failed/);
    expect(r.stdout).toMatch(/✗ checks rate==1/);
  });
});
