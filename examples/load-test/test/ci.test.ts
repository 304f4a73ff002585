import { fileURLToPath } from 'node:url';
import { createServer, type LeviathanServer } from '@leviathan/engine';
import { demoGameModule } from '@leviathan/example-demo';
import { loadPlan, runTest } from '@leviathan/loadgen';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const file = (name: string) => fileURLToPath(new URL(`../src/${name}.ts`, import.meta.url));

/** The sum of a Prometheus counter over its label sets, from the engine's /metrics text. */
function counterTotal(text: string, name: string): number {
  let total = 0;
  for (const line of text.split('\n'))
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`))
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
  return total;
}

// The CI variant runs against the real engine: createServer() with the demo game (examples/demo) on two
// shards and development auth (token `test-token`), as `leviathan serve --dev-auth` would run.
let server: LeviathanServer;
beforeAll(async () => {
  server = createServer({
    host: '127.0.0.1',
    port: 0,
    shards: 2,
    gatewayThreads: 1,
    game: demoGameModule(),
    auth: { mode: 'dev' },
    log: { level: 'error' },
  });
  const { port } = await server.listen();
  process.env.LEVIATHAN_URL = `ws://127.0.0.1:${port}/ws`;
}, 60_000);
afterAll(() => server?.close(), 30_000);

describe('examples/load-test', () => {
  it('keeps the seed script shape: stages up to 100 VUs over 9 minutes', async () => {
    const { plan } = await loadPlan(file('seed'));
    const s = plan.scenarios[0];
    expect(s?.executor).toBe('ramping-vus');
    expect(s?.maxVus).toBe(100);
    expect(s?.durationMs).toBe(9 * 60_000);
  });

  it('runs the CI variant against the real engine with its thresholds passing', {
    timeout: 60_000,
  }, async () => {
    const before = counterTotal(await server.metrics(), 'leviathan_connections_opened_total');
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
    // Every session the generator counted reached the engine's gateway.
    const opened = counterTotal(await server.metrics(), 'leviathan_connections_opened_total') - before;
    expect(sessions?.type === 'counter' && sessions.values.count).toBe(opened);
  });
});
