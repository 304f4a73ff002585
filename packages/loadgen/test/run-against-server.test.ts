import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTest } from '../src/runner/run-test.js';
import { type GameServer, startGameServer } from './fixtures/game-server.js';

const scenario = (name: string) => fileURLToPath(new URL(`./fixtures/scenarios/${name}.ts`, import.meta.url));

let server: GameServer;
beforeAll(async () => {
  server = await startGameServer();
  process.env.LOADGEN_TARGET = server.url;
});
afterAll(() => server.close());

describe('runTest against a real uWebSockets.js server', () => {
  it('runs constant-vus over two workers and merges their metrics', async () => {
    expect(server.native).toBe(true);
    const result = await runTest({ scenario: scenario('constant'), workers: 2, onWarning: () => {} });
    const m = result.summary.metrics;
    expect(result.thresholdsFailed).toBe(false);
    expect(m.ws_sessions?.type === 'counter' && m.ws_sessions.values.count).toBe(4);
    const iterations = m.iterations?.type === 'counter' ? m.iterations.values.count : 0;
    const cmd = m.ws_cmd_duration;
    expect(cmd?.type).toBe('trend');
    if (cmd?.type === 'trend') expect(cmd.values.count).toBe(iterations);
    expect(m.vus_max?.type === 'gauge' && m.vus_max.values.value).toBe(4);
    expect(server.connections).toBe(4);
  });
});
