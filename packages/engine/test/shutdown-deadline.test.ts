import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { databaseUrl, startThrowawayCluster, type ThrowawayCluster } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ShutdownTimeoutError } from '../src/errors.js';
import type { CreateServerOptions, LeviathanServer } from '../src/index.js';
import { startServer } from './helpers/start-server.js';
import { TestClient } from './helpers/test-client.js';

vi.setConfig({ testTimeout: 120_000 });

const PRESENCE_GAME = fileURLToPath(new URL('./fixtures/presence-game.ts', import.meta.url));
/**
 * The deadline under test. What is checked is the server's promise to settle by its deadline, not
 * a speed: the margin covers a busy machine's timers and the terminating of threads.
 */
const DEADLINE_MS = 3_000;
const MARGIN_MS = 2_000;

async function start(options: CreateServerOptions = {}): Promise<{ server: LeviathanServer; port: number }> {
  return startServer({
    gatewayThreads: 2,
    game: PRESENCE_GAME,
    shutdownDeadlineMs: DEADLINE_MS,
    commandRate: { perSecond: 1000, burst: 1000 },
    ...options,
  });
}

/** Closes the server; resolves with how long it took and what it settled with. */
async function timedClose(server: LeviathanServer): Promise<{ ms: number; error: unknown }> {
  const started = performance.now();
  const error = await server.close().then(
    () => undefined,
    (err: unknown) => err,
  );
  return { ms: performance.now() - started, error };
}

describe('close() settles within shutdownDeadlineMs', () => {
  it('after a gateway thread crashed (its restart under way): gracefully', async () => {
    const { server, port } = await start();
    const ann = await TestClient.login(port, 'ann');
    await server.killGateway(0);
    const { ms, error } = await timedClose(server);
    expect(error).toBeUndefined();
    expect(ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
    await ann.closed();
  });

  it('after a gateway thread crashed and came back: gracefully', async () => {
    const { server, port } = await start();
    const back = new Promise<void>((resolve) => server.events.once('gateway-restart', () => resolve()));
    await server.killGateway(1);
    await back;
    const bob = await TestClient.login(port, 'bob');
    const { ms, error } = await timedClose(server);
    expect(error).toBeUndefined();
    expect(ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
    expect(await bob.closed()).toBe(1001);
  });

  it('with a shard killed and not yet restarted: gracefully (its last state is main’s)', async () => {
    const { server, port } = await start();
    const cal = await TestClient.login(port, 'cal');
    expect((await cal.command('inc')).data).toEqual({ counter: 1 });
    await server.killShard(0);
    const { ms, error } = await timedClose(server);
    expect(error).toBeUndefined();
    expect(ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
  });

  it('with a shard stuck in an endless command: ShutdownTimeoutError, the shard terminated', async () => {
    const { server, port } = await start();
    const dee = await TestClient.login(port, 'dee');
    const eve = await TestClient.login(port, 'eve');
    await eve.command('go beta');
    dee.send({ type: 'cmd', line: 'spin', id: 'forever' });
    // Shard 0 stops ticking; shard 1 goes on.
    await vi.waitFor(
      async () => {
        const age = /leviathan_shard_last_tick_age_seconds\{shard="0"\} (\S+)/.exec(await server.metrics());
        expect(Number(age?.[1])).toBeGreaterThan(0.5);
      },
      { timeout: 30_000, interval: 100 },
    );
    expect(await eve.command('echo alive')).toMatchObject({ ok: true });
    const { ms, error } = await timedClose(server);
    expect(error).toBeInstanceOf(ShutdownTimeoutError);
    expect(ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
    expect(await eve.closed()).toBe(1001);
  });
});

/** The postmaster of a cluster and its children (backends, writers): what SIGSTOP freezes. */
function postgresPids(dataDir: string): number[] {
  const main = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === main) children.push(Number(entry));
    } catch {
      // The process ended meanwhile.
    }
  }
  return [main, ...children];
}

describe.skipIf(!databaseUrl())(
  'close() settles within shutdownDeadlineMs with a store that does not answer',
  () => {
    let cluster: ThrowawayCluster;
    beforeAll(async () => {
      cluster = await startThrowawayCluster();
    });
    afterAll(() => cluster?.stop());

    it('with Postgres frozen (SIGSTOP): ShutdownTimeoutError, the final flush abandoned', async () => {
      const { server, port } = await start({
        store: { kind: 'postgres', url: cluster.url },
        flushIntervalMs: 100,
      });
      const fay = await TestClient.login(port, 'fay');
      const frozen = postgresPids(cluster.dataDir);
      try {
        for (const pid of frozen) process.kill(pid, 'SIGSTOP');
        expect((await fay.command('inc')).data).toEqual({ counter: 1 });
        const { ms, error } = await timedClose(server);
        expect(error).toBeInstanceOf(ShutdownTimeoutError);
        expect(ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
      } finally {
        for (const pid of frozen) process.kill(pid, 'SIGCONT');
      }
    });

    it('with Postgres stopped (paused as the store tests do): ShutdownTimeoutError', async () => {
      const { server, port } = await start({
        store: { kind: 'postgres', url: cluster.url },
        flushIntervalMs: 100,
      });
      const gus = await TestClient.login(port, 'gus');
      cluster.pause();
      try {
        expect((await gus.command('inc')).data).toEqual({ counter: 1 });
        const { ms, error } = await timedClose(server);
        expect(error).toBeInstanceOf(ShutdownTimeoutError);
        expect(ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
      } finally {
        cluster.resume();
      }
    });
  },
);
