import { CloseCode, ErrorCode } from '@leviathan/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeviathanServer } from '../src/index.js';
import { startServer } from './helpers/start-server.js';
import { TestClient } from './helpers/test-client.js';
import { TRANSPORTS } from './helpers/transports.js';

describe.each(TRANSPORTS)('protocol handling over a real socket (%s transport)', (transport) => {
  let server: LeviathanServer;
  let port: number;

  beforeAll(async () => {
    ({ server, port } = await startServer({
      transport,
      maxPayloadBytes: 4096,
      commandRate: { perSecond: 2, burst: 5 },
      authDeadlineMs: 1500,
    }));
  });

  afterAll(async () => {
    await server?.close();
  });

  it('answers the seed k6 auth message with a frame that JSON.parse gives as auth-ok', async () => {
    const client = await TestClient.connect(port);
    const raw = new Promise<string>((resolve) => client.ws.once('message', (d) => resolve(d.toString())));
    client.ws.send('{"type":"auth","username":"player1","token":"test-token"}');
    const frame = JSON.parse(await raw) as {
      type: string;
      username: string;
      version: number;
      session: string;
    };
    expect(frame.type).toBe('auth-ok');
    expect(frame.username).toBe('player1');
    expect(frame.version).toBe(1);
    expect(typeof frame.session).toBe('string');
    client.close();
  });

  it('runs a command through a shard and answers with a reply carrying re', async () => {
    const client = await TestClient.login(port, 'roundtrip');
    client.send({ type: 'cmd', line: 'echo hello there', id: 'req-42' });
    const reply = await client.next((m) => m.re === 'req-42');
    expect(reply).toMatchObject({
      type: 'reply',
      re: 'req-42',
      ok: true,
      text: 'hello there',
      data: { shard: 0 },
    });
    client.send({ type: 'action', name: 'echo', args: { text: 'from an action' }, id: 7 });
    expect(await client.next((m) => m.re === 7)).toMatchObject({
      type: 'reply',
      ok: true,
      text: 'from an action',
    });
    client.send({ type: 'ping', t: 123, id: 'p' });
    expect(await client.next((m) => m.type === 'pong')).toMatchObject({ t: 123, re: 'p' });
    client.close();
  });

  it('answers unknown, failing and buggy commands with ok:false and keeps the session', async () => {
    const client = await TestClient.login(port, 'failures');
    expect(await client.command('nosuchthing')).toMatchObject({ type: 'reply', ok: false });
    expect(await client.command('fail')).toMatchObject({ ok: false, text: 'this command always fails' });
    expect(await client.command('bug')).toMatchObject({ ok: false });
    expect(await client.command('echo still here')).toMatchObject({ ok: true, text: 'still here' });
    client.close();
  });

  it('answers malformed JSON with a clear error, and neither that player nor others lose anything', async () => {
    const bad = await TestClient.login(port, 'malformed');
    const good = await TestClient.login(port, 'bystander');
    bad.send('{"type":"cmd","line":');
    const err = await bad.next((m) => m.type === 'error');
    expect(err.code).toBe(ErrorCode.InvalidJson);
    expect(String(err.message)).toMatch(/JSON/);
    bad.send({ type: 'cmd', line: 'echo x', id: 1, extra: true });
    expect(await bad.next((m) => m.type === 'error')).toMatchObject({
      code: ErrorCode.UnknownField,
      path: 'extra',
      re: 1,
    });
    expect(await good.command('echo unaffected')).toMatchObject({ ok: true, text: 'unaffected' });
    expect(await bad.command('echo recovered')).toMatchObject({ ok: true, text: 'recovered' });
    bad.close();
    good.close();
  });

  it('closes a socket that sends a frame over maxPayloadBytes with 1009, others unaffected', async () => {
    const big = await TestClient.login(port, 'oversized');
    const other = await TestClient.login(port, 'small');
    big.send({ type: 'cmd', line: 'x'.repeat(6000), id: 1 });
    expect(await big.next((m) => m.type === 'error')).toMatchObject({ code: ErrorCode.FrameTooLarge });
    expect(await big.closed()).toBe(CloseCode.MessageTooBig);
    // Far over the limit, uWS drops the connection before reading the frame.
    const huge = await TestClient.login(port, 'huge');
    huge.send({ type: 'cmd', line: 'x'.repeat(20_000), id: 1 });
    expect(await huge.closed()).toBeGreaterThanOrEqual(1006);
    expect(await other.command('echo fine')).toMatchObject({ ok: true });
    other.close();
  });

  it('rate limits commands per connection with LEV_ERR_RATE_LIMITED carrying re', async () => {
    const client = await TestClient.login(port, 'hasty');
    for (let id = 1; id <= 12; id++) client.send({ type: 'cmd', line: `echo ${id}`, id });
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => client.next((m) => m.re === i + 1)),
    );
    const limited = answers.filter((m) => m.type === 'error' && m.code === ErrorCode.RateLimited);
    const ok = answers.filter((m) => m.type === 'reply' && m.ok === true);
    expect(ok.length).toBeGreaterThanOrEqual(5);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(ok.length + limited.length).toBe(12);
    client.close();
  });

  it('refuses commands before auth, a bad token, and an unsupported version', async () => {
    const early = await TestClient.connect(port);
    early.send({ type: 'cmd', line: 'echo', id: 1 });
    expect(await early.next((m) => m.type === 'error')).toMatchObject({
      code: ErrorCode.NotAuthenticated,
      re: 1,
    });
    early.close();

    const wrong = await TestClient.connect(port);
    wrong.send({ type: 'auth', username: 'mallory', token: 'not-the-token' });
    expect(await wrong.next((m) => m.type === 'auth-error')).toMatchObject({ code: ErrorCode.AuthFailed });
    expect(await wrong.closed()).toBe(CloseCode.AuthFailed);

    const future = await TestClient.connect(port);
    future.send({ type: 'auth', username: 'future', token: 'test-token', version: 99 });
    expect(await future.closed()).toBe(CloseCode.UnsupportedVersion);
  });

  it('lets a second login take the character over: the first session gets bye 4006, state carries on', async () => {
    const first = await TestClient.login(port, 'twin');
    expect((await first.command('inc')).data).toEqual({ counter: 1 });
    const second = await TestClient.login(port, 'twin');
    expect(await first.next((m) => m.type === 'bye')).toMatchObject({ code: CloseCode.TakenOver });
    expect(await first.closed()).toBe(CloseCode.TakenOver);
    expect((await second.command('inc')).data).toEqual({ counter: 2 });
    second.close();
  });

  it('closes a socket that does not authenticate before the deadline', async () => {
    const idle = await TestClient.connect(port);
    expect(await idle.closed()).toBe(CloseCode.AuthTimeout);
  });

  it('closes a client that keeps sending invalid messages with TooManyErrors', async () => {
    const client = await TestClient.login(port, 'noisy');
    for (let i = 0; i < 30; i++) client.send('not json');
    expect(await client.closed()).toBe(CloseCode.TooManyErrors);
    expect(client.messages.some((m) => m.type === 'bye' && m.code === CloseCode.TooManyErrors)).toBe(true);
  });

  it('grants batch to clients that ask and sends several lines per WebSocket message', async () => {
    const client = await TestClient.connect(port);
    client.send({
      type: 'auth',
      username: 'batcher',
      token: 'test-token',
      capabilities: ['batch', 'nonsense'],
    });
    expect(await client.next((m) => m.type === 'auth-ok')).toMatchObject({ capabilities: ['batch'] });
    const frames: string[] = [];
    client.ws.on('message', (d) => frames.push(d.toString()));
    client.send({ type: 'cmd', line: 'spam 3 10', id: 1 });
    await client.next((m) => m.re === 1);
    expect(frames.some((f) => f.split('\n').length === 4)).toBe(true);
    client.close();
  });

  it('says goodbye on quit with close code 1000', async () => {
    const client = await TestClient.login(port, 'leaver');
    client.send({ type: 'quit', id: 'q' });
    expect(await client.next((m) => m.type === 'bye')).toMatchObject({ code: 1000, re: 'q' });
    expect(await client.closed()).toBe(1000);
  });

  it('serves /healthz and /readyz on the same port', async () => {
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; shards: Array<{ up: boolean }> };
    expect(body.status).toBe('ready');
    expect(body.shards).toHaveLength(2);
    expect(body.shards.every((s) => s.up)).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/nothing-here`)).status).toBe(404);
  });
});
