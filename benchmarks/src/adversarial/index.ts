import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { signHmacToken } from '@leviathan/engine/auth';
import type { BenchResult } from '../bench-result.js';
import { askServer } from '../harness/serve-asks.js';
import type { FloodKind, FloodOptions, FloodReport } from './flood.js';
import { Players, quantile } from './players.js';

/** Frames of the flood (`ADVERSARIAL_FRAMES` to run a shorter one while working on it). */
const FRAMES = Number(process.env.ADVERSARIAL_FRAMES ?? 1_000_000);
/** Only some kinds (`ADVERSARIAL_KINDS=churn,rate-limit`), to find which one costs the players. */
const KINDS = process.env.ADVERSARIAL_KINDS?.split(',') as FloodKind[] | undefined;
const TICK_HZ = 10;
const PLAYERS = 16;
/**
 * The flood comes in ROUNDS parts, each after a quiet window of QUIET_MS: the players' round
 * trips in the quiet windows are the reference, those during the floods the subject. Interleaved,
 * so that a machine busy with other work weighs on both alike.
 */
const ROUNDS = 5;
const QUIET_MS = 5_000;

interface ServerChild {
  readonly child: ChildProcess;
  readonly port: number;
  ask<T>(what: 'rss' | 'metrics' | 'stop'): Promise<T>;
}

function forkTs(file: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return fork(fileURLToPath(new URL(file, import.meta.url)), args, {
    execArgv: ['--conditions=source', '--import', 'tsx'],
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

async function startServer(secret: string): Promise<ServerChild> {
  const child = forkTs('./server-process.ts', [String(TICK_HZ)], { LEVIATHAN_HMAC_SECRET: secret });
  const ready = await new Promise<{ port: number; native: boolean }>((resolve, reject) => {
    child.once('message', (m: { port: number; native: boolean }) => resolve(m));
    child.once('exit', (code) => reject(new Error(`the server exited with ${code} before it was ready`)));
  });
  const ask = <T>(what: 'rss' | 'metrics' | 'stop'): Promise<T> => askServer<T>(child, what, 'the server');
  if (!ready.native) {
    await ask('stop');
    throw new Error('the server runs uWebSockets.js on its JS fallback: the figures would be wrong');
  }
  return { child, port: ready.port, ask };
}

/** The flooding process, ready for its first flood. */
async function startFlood(secret: string): Promise<{
  readonly child: ChildProcess;
  run(options: Omit<FloodOptions, 'token'>): Promise<FloodReport>;
}> {
  const child = forkTs('./flood-process.ts', [], { LEVIATHAN_HMAC_SECRET: secret });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the flood exited with ${code} before it was ready`)));
  });
  const run = (options: Omit<FloodOptions, 'token'>): Promise<FloodReport> =>
    new Promise((resolve, reject) => {
      child.once('message', (m: { report?: FloodReport; error?: string }) =>
        m.report !== undefined ? resolve(m.report) : reject(new Error(`the flood failed: ${m.error}`)),
      );
      child.send(options);
    });
  return { child, run };
}

/** Adds `b`'s counts to `a`'s. */
function merge(a: FloodReport | undefined, b: FloodReport): FloodReport {
  if (a === undefined) return b;
  for (const k of Object.keys(b.byKind) as FloodKind[]) {
    a.byKind[k] += b.byKind[k];
    for (const [code, n] of Object.entries(b.closes[k])) a.closes[k][code] = (a.closes[k][code] ?? 0) + n;
  }
  a.frames += b.frames;
  a.bytes += b.bytes;
  a.connections += b.connections;
  a.refused += b.refused;
  a.ms += b.ms;
  return a;
}

/**
 * One million adversarial frames (every kind of bad input in flood.ts, from several loopback
 * addresses) against a running server while well-behaved players play beside them: their
 * command round-trip p99 during the flood against their p99 just before it, in the same run. The
 * gate is a budget: the p99 during the flood may be at most twice the p99 before it, whatever any
 * baseline says (`gate: 'budget'`, the reference being that budget). The server must survive: it still
 * answers every player and a new login afterwards, or the suite fails.
 */
export async function runAdversarialBenchmarks(): Promise<BenchResult[]> {
  const secret = randomBytes(32).toString('hex');
  const token = (username: string) => signHmacToken({ username, expiresInSec: 3600, secret });
  const server = await startServer(secret);
  const flooder = await startFlood(secret);
  let players: Players | undefined;
  try {
    players = await Players.start({ port: server.port, count: PLAYERS, token });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    players.take();
    const rssBefore = (await server.ask<{ rss: number }>('rss')).rss;
    const before: number[] = [];
    const during: number[] = [];
    let report: FloodReport | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
      before.push(...players.take());
      const part = await flooder.run({
        port: server.port,
        frames: Math.ceil(FRAMES / ROUNDS),
        concurrency: 16,
        seed: round + 1,
        ...(KINDS === undefined ? {} : { kinds: KINDS }),
      });
      during.push(...players.take());
      report = merge(report, part);
    }
    if (report === undefined) throw new Error('no flood ran');
    const rssAfter = (await server.ask<{ rss: number }>('rss')).rss;
    const p99Before = quantile(before, 0.99);
    const p99During = quantile(during, 0.99);
    const kinds = Object.entries(report.byKind)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    process.stderr.write(
      `[bench] adversarial: ${report.frames} frames (${kinds}) on ${report.connections} connections in ` +
        `${(report.ms / 1000).toFixed(1)} s; closes ${JSON.stringify(report.closes)}, refused ${report.refused}; ` +
        `players p99 ${p99Before.toFixed(1)} → ${p99During.toFixed(1)} ms (${before.length} → ${during.length} ` +
        `round trips), errors ${players.errors}, lost ${players.lost}, closed ${players.closed}; ` +
        `server RSS ${(rssBefore / 2 ** 20).toFixed(0)} → ${(rssAfter / 2 ** 20).toFixed(0)} MiB\n`,
    );
    if (players.closed > 0 || players.lost > 0)
      throw new Error('the flood cost well-behaved players their connection or a reply');
    // Still serving: a new player logs in and plays.
    const late = await Players.start({ port: server.port, count: 1, token });
    late.stop();
    const missing = (Object.entries(report.byKind) as Array<[FloodKind, number]>).filter(
      ([kind, n]) => n === 0 && (KINDS === undefined || KINDS.includes(kind)),
    );
    if (missing.length > 0) throw new Error(`the flood never sent ${missing.map(([k]) => k).join(', ')}`);
    return [
      {
        name: `adversarial: well-behaved players' command round-trip p99 under ${FRAMES.toLocaleString('en')} adversarial frames (${PLAYERS} players, ${TICK_HZ} Hz) (vs twice their p99 before the flood)`,
        unit: 'ms',
        value: p99During,
        // The budget, not a measurement to track: twice the quiet p99 of the same run.
        reference: 2 * p99Before,
        ratio: p99During / (2 * p99Before),
        gate: 'budget',
        gateReason: 'a requirement: bad input from anyone may at most double the p99 of everyone else',
      },
    ];
  } finally {
    players?.stop();
    flooder.child.kill();
    await server.ask('stop').catch(() => {});
    server.child.kill();
  }
}
