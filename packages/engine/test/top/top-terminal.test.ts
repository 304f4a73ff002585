import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TmuxPane } from '@leviathan/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LeviathanServer } from '../../src/index.js';
import { startServer } from '../helpers/start-server.js';
import { TestClient } from '../helpers/test-client.js';

/**
 * `leviathan top` in a real terminal (tmux), against a real engine with players on it: the test
 * types the command in a shell, reads the screen back, presses keys, and checks what a person
 * would read. It runs the built CLI (`pnpm --filter @leviathan/engine build` first), as a user
 * would, with CI unset in the pane like in a person's shell.
 */
const CLI = fileURLToPath(new URL('../../bin/leviathan.js', import.meta.url));
const BUILT = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

let server: LeviathanServer | undefined;
let port: number;
let clients: TestClient[] = [];
let traffic: NodeJS.Timeout | undefined;
let pane: TmuxPane | undefined;

/**
 * The engine watched here, on Node's transport: the last test stops it and starts another on the
 * same port. With uWS, that port is refused for about 60 s after a stop (the keep-alive
 * connections uWS closed linger in TIME_WAIT, and the engine's free-port check does not bind over
 * them); with Node's listener the new engine binds at once. The one-frame and fleet tests run on
 * the default transport.
 */
const ENGINE = { gatewayThreads: 1, transport: 'node' } as const;

/** Three players, one of them in zone beta (shard 1), and a steady trickle of commands. */
async function populate(): Promise<void> {
  clients = await Promise.all(['ann', 'bob', 'cy'].map((name) => TestClient.login(port, name)));
  await clients[2]!.command('go beta');
  traffic = setInterval(() => {
    for (const c of clients) c.command('echo hi').catch(() => {});
  }, 100);
}

beforeAll(async () => {
  if (!existsSync(BUILT))
    throw new Error(`${BUILT} is missing: run pnpm --filter @leviathan/engine build first`);
  ({ server, port } = await startServer(ENGINE));
  await populate();
});

afterEach(async () => {
  await pane?.close();
  pane = undefined;
});

afterAll(async () => {
  clearInterval(traffic);
  for (const c of clients) c.close();
  await server?.close();
});

/**
 * Starts `leviathan top` in the pane; the shell prints the exit code after it ends. CI is unset as
 * in a person's shell, unless `keepCi` (the test that CI=1 does not turn the live view off).
 */
async function startTop(p: TmuxPane, keepCi = false): Promise<void> {
  const env = keepCi ? '' : 'env -u CI -u CONTINUOUS_INTEGRATION ';
  await p.type(`${env}node ${CLI} top http://127.0.0.1:${port}; echo "top exited $?"`);
}

/** A new engine on the port of the one just stopped (the address `top` watches), retried briefly. */
async function restartOnSamePort(): Promise<LeviathanServer> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      return (await startServer({ ...ENGINE, port })).server;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** The screen shows three players, latency figures with a unit, and both shards up. */
const populated = (s: string): boolean =>
  /Players\s+3\b/.test(s) && /Latency p99 +[█░]+ +\d+(\.\d+)? ms/.test(s) && /shard 1 +up/.test(s);

describe('leviathan top in a terminal', () => {
  it('at 80x24: meters, numbers and shards of a live engine; keys switch views and sort; q gives the shell back', async () => {
    pane = await TmuxPane.open(80, 24);
    expect(await pane.size()).toBe('80x24');
    await pane.type('echo before-top');
    await pane.waitFor((s) => /^before-top$/m.test(s), 'the shell');
    await startTop(pane);
    const overview = await pane.waitFor(populated, 'three players, latency in ms and both shards up');
    const lines = overview.split('\n');
    // Nothing wraps: no line wider than the terminal, and the frame fits its height.
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines[0]).toMatch(
      new RegExp(
        `^leviathan top +node http://127\\.0\\.0\\.1:${port} +tick 50 ms +every 1 s +\\d\\d:\\d\\d:\\d\\d$`,
      ),
    );
    expect(lines[1]).toMatch(/^● reachable/);
    expect(overview).toMatch(/Latency p50 +[█░]+ +\d+(\.\d+)? ms/);
    expect(overview).toMatch(/Tick load +[█░]+ +\d+(\.\d+)?%/);
    expect(overview).toMatch(/Shards up +█+ +100%/);
    expect(overview).toMatch(/shard 0 +up +2\b/);
    expect(overview).toMatch(/Commands\/s +\d/);
    expect(overview).toMatch(/1 overview +2 grid +3 zones/);

    await pane.press('2');
    const grid = await pane.waitFor(
      (s) => /─ nodes /.test(s) && /─ shards .* 2\/2 up/.test(s),
      'the grid view',
    );
    expect(grid).toMatch(new RegExp(`127\\.0\\.0\\.1:${port} +up +3\\b`));
    expect(grid).toMatch(/shard 0 +up +2 +\S+ ms +\d+(\.\d+)?% +\d/);
    expect(grid).toMatch(/shard 1 +up +1\b/);

    await pane.press('3');
    const zones = await pane.waitFor(
      (s) => /─ busiest zones /.test(s) && /alpha +0 +2\b/.test(s),
      'the zones view',
    );
    expect(zones).toMatch(/beta +1 +1\b/);
    // Most players first; `s` sorts by load (for zones: players), then by name.
    expect(zones.indexOf('alpha')).toBeLessThan(zones.indexOf('beta'));
    await pane.press('s');
    await pane.waitFor((s) => s.includes('sort: load'), 'the sort by load');
    await pane.press('s');
    await pane.waitFor((s) => s.includes('sort: name'), 'the sort by name');

    await pane.press('Tab');
    await pane.waitFor(populated, 'the overview again after Tab');
    await pane.press('?');
    await pane.waitFor((s) => /─ help /.test(s) && s.includes('quit (also Ctrl-C)'), 'the help');
    await pane.press('Escape');
    await pane.waitFor(populated, 'the overview after the help');

    await pane.press('q');
    const after = await pane.waitFor((s) => /^top exited \d+$/m.test(s), 'the shell after q');
    expect(after).toMatch(/^top exited 0$/m);
    // The alternate screen is gone: the shell's own lines are back, no frame left over.
    expect(after).toMatch(/^before-top$/m);
    expect(after).not.toContain('Latency p99');
  });

  it('at 200x50: two columns, wider bars and longer sparklines, follows resizes (down to too small and back), and Ctrl-C quits cleanly', async () => {
    pane = await TmuxPane.open(200, 50);
    await startTop(pane);
    const wide = await pane.waitFor(populated, 'the populated screen at 200x50');
    const lines = wide.split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(200);
    // Meters on the left, the grid on the right, on the same lines.
    expect(lines.some((l) => /─ meters .*─ nodes /.test(l))).toBe(true);
    expect(wide).toMatch(new RegExp(`127\\.0\\.0\\.1:${port} +up +3\\b`));
    expect(wide).toMatch(/─ busiest zones /);
    const bar = /Latency p99 +([█░]+)/.exec(wide)![1]!;
    expect(bar.length).toBeGreaterThan(60);

    await pane.resize(80, 24);
    const narrow = await pane.waitFor(
      (s) => populated(s) && !/─ nodes /.test(s),
      'one column after the resize to 80x24',
    );
    expect(/Latency p99 +([█░]+)/.exec(narrow)![1]!.length).toBeLessThan(60);
    for (const line of narrow.split('\n')) expect(line.length).toBeLessThanOrEqual(80);

    await pane.resize(40, 12);
    const tiny = await pane.waitFor(
      (s) => s.startsWith('Terminal too small\n'),
      'the too-small notice at 40x12',
    );
    expect(tiny).toMatch(/^Terminal too small\n40x12, needs 60x16\nq quits\n/);
    await pane.resize(80, 24);
    await pane.waitFor(populated, 'the view again at 80x24');

    await pane.press('C-c');
    expect(await pane.waitFor((s) => /^top exited \d+$/m.test(s), 'the shell after Ctrl-C')).toMatch(
      /^top exited 0$/m,
    );
  });

  it('stays live with CI=1 in the environment (Ink would otherwise draw only its last frame, at exit)', async () => {
    pane = await TmuxPane.open(80, 24, { env: { CI: '1' } });
    await pane.type('echo "CI is $CI"');
    await pane.waitFor((s) => s.includes('CI is 1'), 'CI=1 in the shell');
    await startTop(pane, true);
    const first = await pane.waitFor(populated, 'the populated screen with CI=1');
    const time = /(\d\d:\d\d:\d\d)\n/.exec(first)![1]!;
    // The clock of the sample moves on: the screen is redrawn, not frozen on a first frame.
    await pane.waitFor((s) => !s.includes(` ${time}\n`) && populated(s), 'a later frame');
    await pane.press('q');
    expect(await pane.waitFor((s) => /^top exited \d+$/m.test(s), 'the shell after q')).toMatch(
      /^top exited 0$/m,
    );
  });

  it('shows the engine unreachable in red while it is down, keeps running, and recovers when it is back', async () => {
    pane = await TmuxPane.open(80, 24);
    await startTop(pane);
    await pane.waitFor(populated, 'the populated screen');

    clearInterval(traffic);
    for (const c of clients) c.close();
    await server!.close();
    server = undefined;
    const down = await pane.waitFor((s) => s.includes('unreachable:'), 'unreachable', 30_000, true);
    // Red (SGR 31), the reason in words, and the figures as dashes rather than stale numbers.
    expect(down).toMatch(
      /\u001B\[(?:[0-9;]*;)?31(?:;[0-9;]*)?m(?:\u001B\[[0-9;]*m)*✖ unreachable: refused the connection/,
    );
    const plain = await pane.screen();
    expect(plain).toMatch(/Players +—/);
    expect(plain).toMatch(/Latency p99 +░+ +—/);
    expect(plain).toMatch(/refused the connection \(is the engine running\?\) +retrying/);
    expect(plain).not.toMatch(/^top exited/m);

    server = await restartOnSamePort();
    await populate();
    await pane.waitFor(
      (s) => /^● reachable/m.test(s) && /Players\s+3\b/.test(s),
      'the engine back, with its players',
    );
    await pane.press('q');
    expect(await pane.waitFor((s) => /^top exited \d+$/m.test(s), 'the shell after q')).toMatch(
      /^top exited 0$/m,
    );
  }, 60_000);
});
