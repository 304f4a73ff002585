import { type AddressInfo, createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectFailedError, ConnectionClosedError, TimeoutError } from '../src/errors.js';
import { Runtime } from '../src/vu/runtime.js';
import { Vu } from '../src/vu/vu.js';
import { type GameServer, startGameServer } from './fixtures/game-server.js';

let server: GameServer;
let runtime: Runtime;
let nextId = 1;
const vu = () => new Vu(runtime, nextId++, 'test', { scenario: 'test' }, {});

beforeAll(async () => {
  server = await startGameServer();
  runtime = new Runtime([], []);
});
afterAll(async () => {
  server.close();
  await runtime.close();
});

describe('WsSession against a real uWebSockets.js server', () => {
  it('authenticates, matches replies to requests by id, and records the round trips', async () => {
    const ws = await vu().connect(server.url);
    const auth = await ws.auth({ username: 'alice', token: 'test-token' });
    expect(auth).toMatchObject({ type: 'auth-ok', username: 'alice' });
    // Several requests in flight at once: each resolves with its own reply.
    const replies = await Promise.all(['look', 'north', 'say hi'].map((line) => ws.command(line)));
    expect(replies.map((r) => r.type === 'reply' && r.text)).toEqual([
      'alice: look',
      'alice: north',
      'alice: say hi',
    ]);
    const pong = await ws.request({ type: 'ping', t: 42 });
    expect(pong).toMatchObject({ type: 'pong', t: 42 });
    await ws.close();
    const snap = runtime.registry.snapshot();
    expect(snap.ws_cmd_duration?.type).toBe('trend');
    expect(snap.ws_request_duration?.type).toBe('trend');
    expect(snap.ws_auth_duration?.type).toBe('trend');
    expect(snap.ws_msgs_sent).toEqual({ type: 'counter', count: 5 });
  });

  it('resolves with the server error that answers a request (not a rejection)', async () => {
    const ws = await vu().connect(server.url);
    const answer = await ws.command('look'); // before auth
    expect(answer).toMatchObject({ type: 'error', code: 'LEV_ERR_NOT_AUTHENTICATED' });
    const denied = await ws.auth({ username: 'mallory', token: 'wrong' });
    expect(denied).toMatchObject({ type: 'auth-error', code: 'LEV_ERR_AUTH_FAILED' });
    await ws.close();
  });

  it('times out a request nobody answers, and a wait for a message that never comes', async () => {
    const ws = await vu().connect(server.url);
    await ws.auth({ username: 'bob', token: 'test-token' });
    runtime.registry.snapshot();
    // The fixture ignores `action`: no reply ever comes.
    await expect(ws.request({ type: 'action', name: 'dance' }, { timeoutMs: 100 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
    await expect(ws.waitFor('chat', { timeoutMs: 50 })).rejects.toThrow(
      /waiting for chat: no answer within 50 ms/,
    );
    expect(runtime.registry.snapshot().ws_timeouts).toEqual({ type: 'counter', count: 2 });
    // The session still works afterwards.
    expect((await ws.command('look')).type).toBe('reply');
    await ws.close();
  });

  it('times out the request in the slot and those behind it in the map independently', async () => {
    const ws = await vu().connect(server.url);
    await ws.auth({ username: 'erin', token: 'test-token' });
    runtime.registry.snapshot();
    // The first request in flight lives in the session's slot, the others in the map.
    const inSlot = ws.request({ type: 'action', name: 'x' }, { timeoutMs: 100 });
    const answered = ws.command('look');
    const inMap = ws.request({ type: 'action', name: 'y' }, { timeoutMs: 150 });
    expect(await answered).toMatchObject({ type: 'reply', text: 'erin: look' });
    await expect(inSlot).rejects.toThrow(/action 1: no answer within 100 ms/);
    await expect(inMap).rejects.toThrow(/action 3: no answer within 150 ms/);
    expect(runtime.registry.snapshot().ws_timeouts).toEqual({ type: 'counter', count: 2 });
    // Slot and map are free again: requests go on resolving by their own id.
    const replies = await Promise.all(['one', 'two', 'three'].map((line) => ws.command(line)));
    expect(replies.map((r) => r.type === 'reply' && r.text)).toEqual([
      'erin: one',
      'erin: two',
      'erin: three',
    ]);
    await ws.close();
  });

  it('rejects pending requests when the connection closes', async () => {
    const slow = await startGameServer({ replyDelayMs: 5000 });
    try {
      const ws = await vu().connect(slow.url);
      await ws.auth({ username: 'carol', token: 'test-token' });
      const pending = ws.command('look');
      slow.close(); // the server ends the connection (1001) with the reply still owed
      const err = await pending.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectionClosedError);
      expect((err as ConnectionClosedError).closeCode).toBe(1001);
      expect((await ws.closed).code).toBe(1001);
      expect(ws.open).toBe(false);
      await expect(ws.command('look')).rejects.toBeInstanceOf(ConnectionClosedError);
    } finally {
      slow.close();
    }
  });

  it('delivers messages to type listeners and waiters with a filter', async () => {
    const ws = await vu().connect(server.url);
    await ws.auth({ username: 'dave', token: 'test-token' });
    const seen: string[] = [];
    const off = ws.on('reply', (m) => seen.push(String(m.text)));
    const second = ws.waitFor('reply', { filter: (m) => m.text === 'dave: two' });
    await ws.command('one');
    await ws.command('two');
    expect((await second).text).toBe('dave: two');
    off();
    await ws.command('three');
    expect(seen).toEqual(['dave: one', 'dave: two']);
    await ws.close();
  });

  it('fails to connect with a clear error, counted in ws_errors', async () => {
    runtime.registry.snapshot();
    const closed = await startGameServer();
    const url = closed.url;
    closed.close();
    const err = await vu()
      .connect(url, { timeoutMs: 2000 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectFailedError);
    expect((err as Error).message).toContain(url);
    expect(runtime.registry.snapshot().ws_errors).toEqual({ type: 'counter', count: 1 });
  });

  it('gives up a connection whose upgrade never comes after timeoutMs', async () => {
    // A TCP server that accepts and never answers the HTTP upgrade.
    const sockets: Socket[] = [];
    const mute = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    try {
      runtime.registry.snapshot();
      const { port } = mute.address() as AddressInfo;
      const err = await vu()
        .connect(`ws://127.0.0.1:${port}/ws`, { timeoutMs: 200 })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectFailedError);
      expect((err as Error).message).toMatch(/no WebSocket upgrade within 200 ms/);
      expect(runtime.registry.snapshot().ws_errors).toEqual({ type: 'counter', count: 1 });
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => mute.close(resolve));
    }
  });
});
