import { once } from 'node:events';
import type { LeviathanServer } from '@leviathan/engine';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { MudClient } from './helpers/mud-client.js';
import { startMud } from './helpers/mud-server.js';

vi.setConfig({ testTimeout: 120_000 });

let server: LeviathanServer | undefined;
afterAll(async () => {
  await server?.close();
});

// ctx.requestShutdown: the admin `shutdown` command stops an embedded server (no signal handler,
// no CLI) with the same graceful close as SIGTERM: a notice, `bye` 1001 to everyone, then closed.
describe('a shutdown requested from inside the game', () => {
  it('closes an embedded server gracefully', async () => {
    ({ server } = await startMud());
    const url = `ws://127.0.0.1:${server.port}/ws`;
    const root = await MudClient.login(url, 'root');
    const ann = await MudClient.login(url, 'ann');
    const requested = once(server.events, 'shutdown-requested');
    const closed = once(server.events, 'closed');
    // A player without the role cannot.
    expect((await ann.cmd('shutdown')).ok).toBe(false);
    expect((await root.cmd('shutdown for the test')).text).toBe('Shutting down.');
    await ann.text('The server is shutting down in 2 seconds: for the test');
    expect(await requested).toEqual(['for the test']);
    expect(await ann.next((m) => m.type === 'bye')).toMatchObject({ code: 1001 });
    expect((await ann.closed).code).toBe(1001);
    await root.closed;
    await closed;
  });
});
