import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { TestClient } from './helpers/test-client.js';
import { TRANSPORTS } from './helpers/transports.js';

vi.setConfig({ testTimeout: 60_000 });

const FIXTURE = fileURLToPath(new URL('./fixtures/exit-under-server.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url));

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Runs the fixture with `servers` servers, logs `players` in on each (their sockets stay open),
 * then has it end its process the way `how` says, and resolves with how the process ended.
 */
async function endUnderServer(
  transport: string,
  how: 'exit' | 'throw',
  players: number,
  servers = 1,
): Promise<Ended> {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', TSX, FIXTURE, transport, how, String(servers)],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const ended = new Promise<Ended>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  const ports = await new Promise<number[]>((resolve, reject) => {
    void ended.then(({ code }) => reject(new Error(`exited with ${code} before listening: ${stderr}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('LISTENING ')) resolve(line.split(' ').slice(1).map(Number));
    });
  });
  const clients: TestClient[] = [];
  for (const port of ports)
    for (let i = 0; i < players; i++) clients.push(await TestClient.login(port, `p${i}`));
  child.stdin.end('end\n');
  const result = await ended;
  await Promise.all(clients.map((c) => c.closed()));
  return result;
}

// Node stops every thread when the process exits; a gateway thread that ends with uWebSockets.js
// sockets open aborts the process (exit 134, "uv_loop_close() while having open handles"). Main's
// exit listener has each gateway close its sockets first (server/close-sockets-on-exit.ts).
describe.each(TRANSPORTS)('the process ending under a running server (%s transport)', (transport) => {
  it('process.exit() exits with its code, no abort, with players connected', async () => {
    const { code, signal, stderr } = await endUnderServer(transport, 'exit', 4);
    expect(stderr).not.toMatch(/uv_loop_close|Assertion failed/);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  });

  it('an uncaught error in the application exits with code 1 and its message, no abort', async () => {
    const { code, signal, stderr } = await endUnderServer(transport, 'throw', 2);
    expect(stderr).toContain('the application failed');
    expect(stderr).not.toMatch(/uv_loop_close|Assertion failed/);
    expect({ code, signal }).toEqual({ code: 1, signal: null });
  });

  it('process.exit() with two servers running, players on both: no abort', async () => {
    const { code, signal, stderr } = await endUnderServer(transport, 'exit', 2, 2);
    expect(stderr).not.toMatch(/uv_loop_close|Assertion failed/);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  });

  it('process.exit() with no one connected exits cleanly', async () => {
    const { code, signal, stderr } = await endUnderServer(transport, 'exit', 0);
    expect(stderr).not.toMatch(/uv_loop_close|Assertion failed/);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  });
});
