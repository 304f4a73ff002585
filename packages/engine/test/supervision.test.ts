import { ErrorCode } from '@leviathan/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeviathanServer } from '../src/index.js';
import { startServer } from './helpers/start-server.js';
import { TestClient } from './helpers/test-client.js';

let server: LeviathanServer;
let port: number;

beforeAll(async () => {
  ({ server, port } = await startServer({ commandRate: { perSecond: 1000, burst: 1000 } }));
});

afterAll(async () => {
  await server?.close();
});

function restarted(shard: number): Promise<void> {
  return new Promise((resolve) => {
    const onRestart = (s: unknown) => {
      if (s === shard) {
        server.events.off('shard-restart', onRestart);
        resolve();
      }
    };
    server.events.on('shard-restart', onRestart);
  });
}

describe('supervision', () => {
  it('restarts a shard killed mid-tick; its players stay connected, keep their state and keep playing', async () => {
    const victim = await TestClient.login(port, 'victim');
    const neighbour = await TestClient.login(port, 'neighbour');
    const elsewhere = await TestClient.login(port, 'elsewhere');
    await elsewhere.command('go beta');
    expect((await victim.command('inc')).data).toEqual({ counter: 1 });
    expect((await victim.command('inc')).data).toEqual({ counter: 2 });
    // Let the state batch of that tick reach main's cache.
    await victim.command('where');

    const back = restarted(0);
    victim.send({ type: 'cmd', line: 'crash', id: 'boom' });
    // Players on the other shard never notice.
    expect(await elsewhere.command('echo still here')).toMatchObject({ ok: true, data: { shard: 1 } });
    await back;
    expect(victim.closeCode).toBeUndefined();
    expect(neighbour.closeCode).toBeUndefined();

    // Commands sent during the restart were answered with SHARD_UNAVAILABLE or run; after it, all run.
    let answer = await victim.command('where');
    for (let i = 0; answer.type === 'error' && i < 50; i++) {
      expect(answer.code).toBe(ErrorCode.ShardUnavailable);
      answer = await victim.command('where');
    }
    expect(answer).toMatchObject({ ok: true, data: { shard: 0, zone: 'alpha' } });
    expect((await victim.command('inc')).data).toEqual({ counter: 3 });
    expect(await neighbour.command('echo alive')).toMatchObject({ ok: true, text: 'alive' });
    // The restarted shard sees everyone again.
    const who = await neighbour.command('who');
    expect((who.data as { players: string[] }).players).toEqual(
      expect.arrayContaining(['victim', 'neighbour', 'elsewhere']),
    );
    const metrics = await server.metrics();
    expect(metrics).toMatch(/leviathan_shard_restarts_total\{shard="0"\} 1/);
    expect(metrics).toMatch(/leviathan_shard_up\{shard="0"\} 1/);
    for (const c of [victim, neighbour, elsewhere]) c.close();
  });

  it('restarts a shard terminated right after a handoff into it; the player is found again', async () => {
    const player = await TestClient.login(port, 'outsider');
    await player.command('go beta');
    const back = restarted(1);
    await server.killShard(1);
    await back;
    let answer = await player.command('where');
    for (let i = 0; answer.type === 'error' && i < 50; i++) answer = await player.command('where');
    expect(answer).toMatchObject({ ok: true, data: { shard: 1, zone: 'beta' } });
    player.close();
  });
});
