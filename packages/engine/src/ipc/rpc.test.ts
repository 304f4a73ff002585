import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { RpcClosedError, RpcRemoteError, RpcTimeoutError } from '../errors.js';
import { RpcLink } from './rpc.js';

interface ServerApi {
  calls: {
    add(arg: { a: number; b: number }): number;
    slow(): string;
    broken(): void;
    later(): Promise<string>;
  };
  notes: { tell(text: string): void };
}
interface ClientApi {
  calls: Record<string, never>;
  notes: { told(text: string): void };
}

const open: RpcLink<never, never>[] = [];
afterEach(() => {
  for (const link of open.splice(0)) link.close();
});

function pair() {
  const { port1, port2 } = new MessageChannel();
  const client = new RpcLink<ClientApi, ServerApi>(port1, 'server');
  const server = new RpcLink<ServerApi, ClientApi>(port2, 'client');
  open.push(client as never, server as never);
  // Ports keep the process alive while open; these close in afterEach.
  return { client, server };
}

// The one request/reply helper between threads, over a real MessageChannel.
describe('RpcLink', () => {
  it('answers calls with their results, async ones included, and carries notes both ways', async () => {
    const { client, server } = pair();
    const heard: string[] = [];
    server.serve({
      add: ({ a, b }) => a + b,
      slow: () => new Promise(() => {}) as never,
      broken: () => {
        throw Object.assign(new Error('nope'), { code: 'LEV_ERR_X' });
      },
      later: async () => 'done',
      tell: (text) => server.notify('told', `echo ${text}`),
    });
    client.serve({ told: (text) => heard.push(text) });
    expect(await client.call('add', { a: 2, b: 3 })).toBe(5);
    expect(await client.call('later')).toBe('done');
    client.notify('tell', 'hi');
    await expect.poll(() => heard).toEqual(['echo hi']);
  });

  it('fails a call whose handler threw with RpcRemoteError carrying the remote code', async () => {
    const { client, server } = pair();
    server.serve({
      add: () => 0,
      slow: () => '',
      broken: () => {
        throw Object.assign(new Error('nope'), { code: 'LEV_ERR_X' });
      },
      later: async () => '',
      tell: () => {},
    });
    const err = await client.call('broken').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcRemoteError);
    expect((err as RpcRemoteError).remoteCode).toBe('LEV_ERR_X');
    expect((err as Error).message).toContain('nope');
  });

  it('times out a call that is not answered, and fails pending calls when the link closes', async () => {
    const { client, server } = pair();
    server.serve({
      add: () => 0,
      slow: () => new Promise<string>(() => {}) as never,
      broken: () => {},
      later: async () => '',
      tell: () => {},
    });
    await expect(client.call('slow', undefined, { timeoutMs: 50 })).rejects.toBeInstanceOf(RpcTimeoutError);
    const pending = client.call('slow', undefined, { timeoutMs: 10_000 });
    client.close();
    await expect(pending).rejects.toBeInstanceOf(RpcClosedError);
    await expect(client.call('add', { a: 1, b: 1 })).rejects.toBeInstanceOf(RpcClosedError);
  });

  it('keeps what arrives before serve() and handles it then, in order', async () => {
    const { client, server } = pair();
    const answer = client.call('add', { a: 1, b: 2 });
    client.notify('tell', 'early');
    const told: string[] = [];
    await new Promise((resolve) => setTimeout(resolve, 20));
    server.serve({
      add: ({ a, b }) => a + b,
      slow: () => '',
      broken: () => {},
      later: async () => '',
      tell: (text) => told.push(text),
    });
    expect(await answer).toBe(3);
    expect(told).toEqual(['early']);
  });
});
