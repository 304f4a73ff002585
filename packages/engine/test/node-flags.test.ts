import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { spawnWorker } from '../src/server/spawn-worker.js';
import { startBareEmbed } from './helpers/bare-embed-process.js';
import { TestClient } from './helpers/test-client.js';

vi.setConfig({ testTimeout: 120_000 });

const WORKER = new URL('./fixtures/reply-worker.ts', import.meta.url);

// V8's flags on node's command line (the memory flags operators pass: --max-semi-space-size,
// --max-old-space-size) are the process's; Node refuses them in a worker's explicit execArgv.
describe('V8 flags on the command line', () => {
  it('a server run from its TypeScript sources starts its threads and serves with them', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'lev-node-flags-'));
    const server = startBareEmbed(cwd, ['--max-semi-space-size=1', '--max-old-space-size=512']);
    try {
      const { child, port, stderr } = await server;
      const client = await TestClient.login(port, 'flagged');
      expect(await client.command('echo through the shard')).toMatchObject({
        type: 'reply',
        ok: true,
        text: 'through the shard',
      });
      client.close();
      child.stdin.end('close\n');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(stderr()).not.toMatch(/ERR_WORKER_INVALID_EXEC_ARGV/);
    } finally {
      await server.then(
        ({ child }) => child.kill(),
        () => {},
      );
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('spawnWorker leaves out of a given execArgv the flags a worker may not take, and keeps the rest', async () => {
    const worker = spawnWorker(WORKER, { execArgv: ['--max-old-space-size=512', '--no-warnings'] });
    const [message] = (await once(worker, 'message')) as [{ execArgv: string[] }];
    await worker.terminate();
    expect(message.execArgv).toEqual(['--no-warnings', '--conditions=source']);
  });
});
