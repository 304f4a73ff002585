import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/exit-codes.js';
import { readSummary } from '../src/summary/read-summary.js';
import { interruptWhenRunning, runCli } from './fixtures/run-cli.js';

/**
 * Iterations that never wait (a synchronous function, an async one awaiting only settled
 * promises) run back to back without starving the worker's event loop: the run ends at its
 * duration, and a SIGINT is heard. Before the VU loop yielded, such a run never ended, and a
 * SIGTERM left it running.
 */
const scenario = fileURLToPath(new URL('./fixtures/scenarios/never-waits.ts', import.meta.url));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'loadgen-never-waits-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('iterations that never wait', { timeout: 60_000 }, () => {
  it('end at the scenario duration, with every VU iterating', async () => {
    const summaryFile = join(dir, 'duration.json');
    const r = await runCli([
      'run',
      scenario,
      '--workers',
      '1',
      '--quiet',
      '--progress',
      'none',
      '--summary-export',
      summaryFile,
    ]);
    // Iterations that never wait hold the event loop between yields, and keep their worker's core
    // busy: the self-monitor may say either (on a 2-core machine, 92 % of its CPU was seen).
    for (const line of r.stderr.split('\n').filter((l) => l !== ''))
      expect(line).toMatch(/event loop lagged|the load generator used \d+% of all \d+ cores/);
    expect(r.code).toBe(ExitCode.Ok);
    const s = await readSummary(summaryFile);
    // The scenarios last 1 s; the process's start and the summary are outside durationMs.
    expect(s.durationMs).toBeLessThan(5_000);
    const count = (name: string) => {
      const v = s.metrics[`iterations{scenario:${name}}`]?.values as { count?: number } | undefined;
      return v?.count ?? 0;
    };
    expect(count('sync')).toBeGreaterThan(1_000);
    // The VUs take turns: an iteration of `microtasks` is three microtasks to `sync`'s one, so it
    // makes about a third to a half as many; when each VU yielded alone, it made 132 to 990,440.
    expect(count('microtasks')).toBeGreaterThan(count('sync') / 10);
    expect(s.metrics.checks?.values).toMatchObject({ fails: 0 });
  });

  it('hear a SIGINT and stop', async () => {
    const summaryFile = join(dir, 'interrupted.json');
    const r = await runCli(
      ['run', scenario, '--workers', '1', '--quiet', '--progress', 'plain', '--summary-export', summaryFile],
      { DURATION: '10m' },
      interruptWhenRunning(),
    );
    expect(r.code).toBe(ExitCode.Interrupted);
    const s = await readSummary(summaryFile);
    expect(s.aborted).toBe('interrupted');
    expect(s.durationMs).toBeLessThan(30_000);
  });
});
