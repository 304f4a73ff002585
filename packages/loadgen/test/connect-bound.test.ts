import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTest } from '../src/runner/run-test.js';
import type { Summary } from '../src/summary/summary.js';
import { type GameServer, startGameServer } from './fixtures/game-server.js';

const crowd = fileURLToPath(new URL('./fixtures/scenarios/connect-crowd.ts', import.meta.url));
const UPGRADE_DELAY_MS = 100;

function trend(s: Summary, key: string) {
  const m = s.metrics[key];
  if (m?.type !== 'trend') throw new Error(`${key} is not a trend`);
  return m.values;
}
function counter(s: Summary, key: string): number {
  const m = s.metrics[key];
  return m?.type === 'counter' ? m.values.count : 0;
}

// A server that holds every upgrade 100 ms, so that the opens a client has in flight pile up
// on its side, where they can be counted.
let server: GameServer;
beforeAll(async () => {
  server = await startGameServer({ upgradeDelayMs: UPGRADE_DELAY_MS });
});
afterAll(() => server.close());

async function runCrowd(maxConnecting: string): Promise<{ summary: Summary; peak: number }> {
  const { summary } = await runTest({
    scenario: crowd,
    workers: 2,
    env: { LOADGEN_TARGET: server.url, LOADGEN_MAX_CONNECTING: maxConnecting },
    onWarning: () => {},
  });
  return { summary, peak: server.peakPendingUpgrades };
}

describe('maxConnecting: the bound on WebSocket opens in flight', () => {
  it('holds 40 VUs connecting at once to 3 opens in flight over two workers, and loses none', async () => {
    const { summary, peak } = await runCrowd('3');
    // The workers' shares (2 and 1) add up to the bound, and both are used.
    expect(peak).toBe(3);
    expect(counter(summary, 'ws_sessions')).toBe(40);
    // Each VU's open timed out after 1 s; the last ones waited about 2 s for a slot. None failed:
    // the timeout counts from the slot, not from the wait.
    expect(counter(summary, 'ws_errors')).toBe(0);
    expect(counter(summary, 'iteration_errors')).toBe(0);
    // The wait counts in ws_connecting: the worker with one slot opens its 20 one after another.
    const connecting = trend(summary, 'ws_connecting');
    expect(connecting.count).toBe(40);
    expect(connecting.max).toBeGreaterThanOrEqual(19 * UPGRADE_DELAY_MS);
  });

  it('with null, every VU opens at once', async () => {
    // A fresh server: the peak above must not count.
    server.close();
    server = await startGameServer({ upgradeDelayMs: UPGRADE_DELAY_MS });
    const { summary, peak } = await runCrowd('none');
    expect(peak).toBeGreaterThan(10);
    expect(counter(summary, 'ws_sessions')).toBe(40);
  });
});
