import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createServer } from '../server/create-server.js';

const ENGINE_DIR = fileURLToPath(new URL('../../', import.meta.url));
const GAME = fileURLToPath(new URL('./fixtures/logging-game.ts', import.meta.url));
const BURST_SERVER = fileURLToPath(new URL('./fixtures/burst-server.ts', import.meta.url));

type LogRecord = Record<string, unknown>;

describe('logs of worker threads', () => {
  it("reach an application's own pino logger, with its bindings, from every thread", async () => {
    const lines: string[] = [];
    const logger = pino({ base: { service: 'embedder' } }, { write: (line: string) => lines.push(line) });
    const server = createServer({
      host: '127.0.0.1',
      port: 0,
      shards: 2,
      gatewayThreads: 1,
      game: GAME,
      zoneShards: { alpha: 0, beta: 1 },
      auth: { mode: 'dev' },
      store: { kind: 'none' },
      logger,
    });
    await server.listen();
    await server.close();
    const records = lines.map((l) => JSON.parse(l) as LogRecord);
    // Every line went through the application's logger: its base fields are on each.
    expect(records.every((r) => r.service === 'embedder')).toBe(true);
    expect(records.some((r) => String(r.msg).startsWith('listening on'))).toBe(true);
    for (const [shard, zone] of [
      [0, 'alpha'],
      [1, 'beta'],
    ] as const) {
      expect(records).toContainEqual(
        expect.objectContaining({ level: 30, thread: `shard-${shard}`, shard, zone, msg: 'zone loaded' }),
      );
      const error = records.find((r) => r.msg === 'zone error' && r.zone === zone);
      // The error was serialized in the shard, then written again by the application's serializer
      // (pino's default, which joins the causes' messages): its type and code survive the trip.
      expect(error).toMatchObject({ level: 50, thread: `shard-${shard}` });
      const err = error?.err as LogRecord | undefined;
      expect(err).toMatchObject({ type: 'EngineError', code: 'LEV_ERR_TEST' });
      expect(String(err?.message)).toContain('outer');
      expect(String(err?.stack)).toContain('RangeError: inner');
    }
    expect(records).toContainEqual(
      expect.objectContaining({ level: 40, thread: 'gateway-0', authMode: 'dev' }),
    );
  }, 60_000);

  it('are written readable with log.pretty, every thread through the main one', async () => {
    const { code, stdout, stderr } = await runBurstServer({
      BURST: '0',
      STOP: 'close',
      LEVIATHAN_LOG_PRETTY: 'true',
    });
    expect(code, stderr).toBe(0);
    expect(stdout).not.toMatch(/^\{/m);
    expect(stdout).toMatch(/INFO.*: zone loaded/);
    expect(stdout).toContain('thread: "shard-0"');
    expect(stdout).toContain('thread: "shard-1"');
    expect(stdout).toMatch(/WARN.*: development auth mode is ON/);
    expect(stdout).toContain('thread: "gateway-0"');
    expect(stdout).toMatch(/ERROR.*: zone error/);
  }, 60_000);

  // A burst of lines from two shards, then a graceful shutdown, while stdout is a pipe read late
  // (as under a log shipper that fell behind): every line arrives, whole, in order per thread.
  for (const stop of ['close', 'signal'] as const) {
    it(`lose nothing at a graceful shutdown (${stop === 'close' ? 'close(), then the process ends' : 'SIGTERM, then process.exit'})`, async () => {
      const burst = 2000;
      const { code, stdout, stderr } = await runBurstServer({ BURST: String(burst), STOP: stop }, true);
      expect(code, stderr).toBe(0);
      const lines = stdout.split('\n').filter((l) => l !== '');
      const invalid = lines.filter((l) => {
        try {
          JSON.parse(l);
          return false;
        } catch {
          return true;
        }
      });
      expect(invalid).toEqual([]);
      const records = lines.map((l) => JSON.parse(l) as LogRecord);
      for (const zone of ['alpha', 'beta', 'main']) {
        const seqs = records.filter((r) => r.msg === 'burst' && r.zone === zone).map((r) => r.seq);
        expect(seqs, zone).toEqual(Array.from({ length: burst }, (_, i) => i));
      }
      expect(records.at(-1)?.msg).toBe('stopped');
    }, 60_000);
  }
});

/**
 * Runs fixtures/burst-server.ts. With `slow`, its stdout is not read for the first second, then
 * at 400 KB/s, so that lines are still waiting in the server's stdout when it stops.
 */
function runBurstServer(
  env: Record<string, string>,
  slow = false,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', BURST_SERVER], {
    cwd: ENGINE_DIR,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    if (!slow) return;
    // 400 KB/s: a chunk of n bytes holds the reader for n / 400 ms.
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), chunk.length / 400);
  });
  if (slow) {
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), 1000);
  }
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
  return Promise.all([exited, once(child.stdout, 'end')]).then(([code]) => ({
    code,
    stdout: Buffer.concat(chunks).toString('utf8'),
    stderr,
  }));
}
