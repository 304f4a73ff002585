import { createConnection } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startThrowawayRedis } from './redis-server.js';
import { redisAvailable } from './tools.js';

/** One command over a raw socket: the reply's first line. */
function send(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('error', reject);
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.once('data', (d) => {
      socket.destroy();
      resolve(d.toString().split('\r\n')[0] ?? '');
    });
  });
}

describe.skipIf(!redisAvailable())('a throwaway redis-server', () => {
  it('answers, loses its keys when killed and restarted on the same port, and stops', async () => {
    const redis = await startThrowawayRedis();
    try {
      expect(await send(redis.port, 'SET k v')).toBe('+OK');
      expect(await send(redis.port, 'GET k')).toBe('$1');
      await redis.kill();
      await expect(send(redis.port, 'PING')).rejects.toThrow(/ECONNREFUSED/);
      await redis.start();
      expect(await send(redis.port, 'GET k')).toBe('$-1');
    } finally {
      await redis.stop();
    }
    await expect(send(redis.port, 'PING')).rejects.toThrow(/ECONNREFUSED/);
  });
});
