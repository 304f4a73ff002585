import { fileURLToPath } from 'node:url';
import { loadPlan, runTest } from '@leviathan/loadgen';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GameServer, startGameServer } from '../../../packages/loadgen/test/fixtures/game-server.js';

const file = (name: string) => fileURLToPath(new URL(`../src/${name}.ts`, import.meta.url));

// Until @leviathan/engine lands, the CI variant runs against loadgen's uWebSockets.js fixture
// server, which speaks the same flow (auth → auth-ok).
let server: GameServer;
beforeAll(async () => {
  server = await startGameServer();
  process.env.LEVIATHAN_URL = server.url;
});
afterAll(() => server.close());

describe('examples/load-test', () => {
  it('keeps the seed script shape: stages up to 100 VUs over 9 minutes', async () => {
    const { plan } = await loadPlan(file('seed'));
    const s = plan.scenarios[0];
    expect(s?.executor).toBe('ramping-vus');
    expect(s?.maxVus).toBe(100);
    expect(s?.durationMs).toBe(9 * 60_000);
  });

  it('runs the CI variant against a real server with its thresholds passing', async () => {
    const { summary, thresholdsFailed } = await runTest({
      scenario: file('ci'),
      workers: 1,
      onWarning: () => {},
    });
    expect(summary.thresholds.map((t) => [t.metric, t.ok])).toEqual(
      summary.thresholds.map((t) => [t.metric, true]),
    );
    expect(thresholdsFailed).toBe(false);
    const sessions = summary.metrics.ws_sessions;
    expect(sessions?.type === 'counter' && sessions.values.count).toBeGreaterThan(10);
    expect(summary.metrics.vus_max?.values).toMatchObject({ value: 10 });
  });
});
