import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenFilesLimitError } from '../src/errors.js';
import { runTest } from '../src/runner/run-test.js';
import type { Summary } from '../src/summary/summary.js';
import { type GameServer, startGameServer } from './fixtures/game-server.js';

const scenario = (name: string) => fileURLToPath(new URL(`./fixtures/scenarios/${name}.ts`, import.meta.url));
const quiet = { onWarning: () => {} };

function count(s: Summary, key: string): number {
  const m = s.metrics[key];
  if (m === undefined) return 0;
  if (m.type === 'counter') return m.values.count;
  if (m.type === 'trend') return m.values.count;
  throw new Error(`${key} is a ${m.type}`);
}

let server: GameServer;
beforeAll(async () => {
  server = await startGameServer();
  process.env.LOADGEN_TARGET = server.url;
  process.env.LOADGEN_HTTP = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.close());

describe('executors against a real WebSocket server', () => {
  it('constant-vus: holds its VUs over two workers and merges their metrics', async () => {
    const before = server.connections;
    const { summary, thresholdsFailed } = await runTest({
      scenario: scenario('constant'),
      workers: 2,
      ...quiet,
    });
    expect(thresholdsFailed).toBe(false);
    expect(count(summary, 'ws_sessions')).toBe(4);
    expect(server.connections - before).toBe(4);
    // Every iteration ran exactly one command: the merged histogram holds every sample.
    expect(count(summary, 'ws_cmd_duration')).toBe(count(summary, 'iterations'));
    expect(count(summary, 'ws_auth_duration')).toBe(4);
    expect(summary.metrics.vus_max?.values).toMatchObject({ value: 4 });
    expect(summary.workers).toBe(2);
  });

  it('ramping-vus: follows the stages up to the target and back to zero', async () => {
    const levels: number[] = [];
    const { summary } = await runTest({
      scenario: scenario('ramping'),
      workers: 2,
      intervalMs: 250,
      outputs: [
        {
          interval: ({ agg }) => {
            const v = agg.values('vus', 250);
            if (v?.type === 'gauge') levels.push(v.values.max);
          },
        },
      ],
      ...quiet,
    });
    expect(Math.max(...levels)).toBe(4);
    expect(summary.metrics.vus_max?.values).toMatchObject({ value: 4 });
    expect(summary.metrics.vus?.values).toMatchObject({ value: 0, max: 4 });
    // The level rises before it falls: the ramp's shape, read from counts per interval.
    const peak = levels.indexOf(4);
    expect(levels.slice(0, peak).some((v) => v < 4)).toBe(true);
  });

  it('a worker that is done early still counts its VUs in the levels of later intervals', async () => {
    const { summary } = await runTest({
      scenario: scenario('uneven'),
      workers: 2,
      intervalMs: 100,
      ...quiet,
    });
    expect(count(summary, 'iterations')).toBe(16);
    expect(summary.metrics.vus_max?.values).toMatchObject({ value: 2, max: 2 });
  });

  it('a worker that crashes does not hold back the intervals of the workers still running', async () => {
    const { summary, crashed } = await runTest({
      scenario: scenario('crash-one'),
      workers: 2,
      intervalMs: 100,
      ...quiet,
    });
    expect(crashed).toBe(true);
    expect(summary.warnings.some((w) => /worker \d crashed/.test(w))).toBe(true);
    // Every interval the survivor sent after the crash reached the totals.
    expect(count(summary, 'survivor_iterations')).toBe(8);
  });

  it('terminates a worker whose scenario never gives its event loop back, and ends the run', async () => {
    const warnings: string[] = [];
    const { summary, crashed } = await runTest({
      scenario: scenario('blocks-forever'),
      workers: 1,
      intervalMs: 100,
      workerStopTimeoutMs: 1000,
      onWarning: (m) => warnings.push(m),
    });
    expect(crashed).toBe(true);
    expect(warnings.some((w) => /worker 0 has reported nothing for \d/.test(w))).toBe(true);
    expect(
      warnings.some((w) =>
        w.startsWith("load generator worker 0 did not finish within 1 s of the test's stop"),
      ),
    ).toBe(true);
    expect(warnings.some((w) => /crashed/.test(w))).toBe(false);
    expect(summary.warnings).toEqual(expect.arrayContaining(warnings));
    // What the worker reported before it blocked is in the results.
    expect(count(summary, 'before_blocking')).toBe(5);
  });

  it('per-vu-iterations and shared-iterations: exact iteration counts over two workers', async () => {
    const { summary, thresholdsFailed } = await runTest({
      scenario: scenario('iterations'),
      workers: 2,
      ...quiet,
    });
    expect(count(summary, 'pervu_calls')).toBe(15);
    expect(count(summary, 'shared_calls')).toBe(37);
    expect(count(summary, 'iterations')).toBe(52);
    expect(thresholdsFailed).toBe(false); // tagged series: iterations{scenario:...}
  });

  it('constant-arrival-rate: starts rate × duration iterations, each accounted for', async () => {
    const { summary } = await runTest({ scenario: scenario('arrival'), workers: 2, ...quiet });
    expect(count(summary, 'iterations') + count(summary, 'dropped_iterations')).toBe(80);
    expect(count(summary, 'iteration_start_delay')).toBe(80);
    expect(summary.metrics.checks?.values).toMatchObject({ rate: 1 });
  });

  it('ramping-arrival-rate: counts dropped iterations instead of hiding them, and fails the threshold', async () => {
    const { summary, thresholdsFailed } = await runTest({
      scenario: scenario('arrival-drops'),
      workers: 1,
      ...quiet,
    });
    const dropped = count(summary, 'dropped_iterations');
    expect(dropped).toBeGreaterThan(0);
    expect(count(summary, 'iterations') + dropped).toBe(20);
    expect(thresholdsFailed).toBe(true);
    expect(summary.metrics.vus_max?.values).toMatchObject({ value: 2 });
  });

  it('measures from the intended send time (no coordinated omission)', async () => {
    const { summary } = await runTest({ scenario: scenario('coordinated-omission'), workers: 1, ...quiet });
    const cmd = summary.metrics.ws_cmd_duration;
    expect(cmd?.type).toBe('trend');
    // The server answers in well under a millisecond; the 300 ms stall of the generator is in the max.
    if (cmd?.type === 'trend') {
      expect(cmd.values.count).toBe(8);
      expect(cmd.values.max).toBeGreaterThanOrEqual(200);
    }
    // ...and the generator says its own event loop stalled.
    expect(summary.generatorLagP99Ms).toBeGreaterThan(100);
    expect(summary.warnings.some((w) => /event loop lagged/.test(w))).toBe(true);
  });

  it('HTTP on undici: requests, durations and failures', async () => {
    const { summary, thresholdsFailed } = await runTest({ scenario: scenario('http'), workers: 1, ...quiet });
    expect(count(summary, 'http_reqs')).toBe(12);
    expect(count(summary, 'http_req_duration')).toBe(12);
    expect(summary.metrics.http_req_failed?.values).toMatchObject({ rate: 0.5, passes: 6, fails: 6 });
    expect(summary.metrics.checks?.values).toMatchObject({ rate: 1 });
    expect(thresholdsFailed).toBe(false);
  });

  it('spreads source addresses over 127.0.0.0/8', async () => {
    const seen = new Set(server.remoteAddresses);
    await runTest({ scenario: scenario('spread'), workers: 1, ...quiet });
    const fresh = [...server.remoteAddresses].filter((a) => !seen.has(a));
    expect(new Set(fresh)).toEqual(new Set(['127.0.1.1', '127.0.1.2', '127.0.1.3']));
  });

  it('refuses a test that needs more sockets than the open-files limit, saying what to raise', async () => {
    const err = await runTest({ scenario: scenario('too-many'), ...quiet }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenFilesLimitError);
    expect((err as Error).message).toMatch(/open-files limit/);
    expect((err as Error).message).toMatch(/--segment|ulimit/);
  });
});
