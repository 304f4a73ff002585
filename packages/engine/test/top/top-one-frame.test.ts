import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import type { LeviathanServer } from '../../src/index.js';
import { captureIo as io } from '../helpers/capture-io.js';
import { startServer } from '../helpers/start-server.js';
import { TestClient } from '../helpers/test-client.js';

describe('leviathan top: one frame when the output is not a terminal', () => {
  let server: LeviathanServer;
  let port: number;
  let clients: TestClient[] = [];

  beforeAll(async () => {
    ({ server, port } = await startServer());
    clients = await Promise.all(['ann', 'bob'].map((name) => TestClient.login(port, name)));
    for (const c of clients) await c.command('echo hi');
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await server?.close();
  });

  it('prints the overview of a live engine at COLUMNS x LINES and exits 0', async () => {
    const t = io({ COLUMNS: '100', LINES: '30' });
    expect(await runCli(['top', `127.0.0.1:${port}`], t.io)).toBe(0);
    const lines = t.out().trimEnd().split('\n');
    expect(lines).toHaveLength(29);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(lines[0]).toMatch(
      new RegExp(`^leviathan top +node http://127\\.0\\.0\\.1:${port} +tick 50 ms +every 1 s`),
    );
    expect(t.out()).toMatch(/Players +2\b/);
    expect(t.out()).toMatch(/Shards up +█+ +100%/);
    expect(t.out()).toMatch(/shard 0 +up +2\b/);
  });

  it('exits 1 with the reason on screen when the engine does not answer', async () => {
    const probe = await startServer();
    const closedPort = probe.port;
    await probe.server.close();
    const t = io();
    expect(await runCli(['top', `http://127.0.0.1:${closedPort}`, '--interval', '0.5'], t.io)).toBe(1);
    expect(t.out()).toMatch(/✖ unreachable: refused the connection/);
    expect(t.out()).toMatch(/Players +—/);
  });
});
