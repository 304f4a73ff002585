/**
 * How should pino write from a worker thread (a shard, a gateway)? A script, not a gated case
 * (its figures are milliseconds of stall, not ratios):
 *
 *   pnpm --filter @leviathan/benchmarks exec tsx src/logging/worker-destinations.ts [runs]
 *
 * For each way of writing, a child process (the "server") runs four worker threads (two shards and
 * two gateways, say) with a 10 ms tick that logs 50 lines of two fields each (4 x 5000 lines/s,
 * ~1.6 MB/s; every 25th tick one line is 6 KB, longer than PIPE_BUF, as an error with causes can
 * be), for 3 s. The child's stdout is a FIFO that this process does not read for the first 1.5 s
 * (a log shipper that fell behind), then reads as fast as it can. The workers then end on their own, as a shard
 * does at a graceful shutdown. Measured, per way:
 * - the longest tick of a worker (the time spent in its log calls) and the mean cost per line;
 * - the worst latency of a libuv threadpool request (fs.stat) on the main thread during the run,
 *   since a blocking write there starves everything else that uses the pool (dns, crypto, zlib);
 * - lines delivered, lines that are not valid JSON (interleaved or cut), and the order per thread.
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync, stat } from 'node:fs';
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const MODES = ['process.stdout', 'destination sync:false', 'destination sync:true', 'transport'] as const;
type Mode = (typeof MODES)[number];

const WORKERS = 4;
const TICKS = 300;
const PERIOD_MS = 10;
const LINES_PER_TICK = 50;
const STALL_MS = 1500;

const pinoPath = createRequire(new URL('../../../packages/engine/package.json', import.meta.url)).resolve(
  'pino',
);

/** The worker thread, as CommonJS source (eval workers are CommonJS). */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const pino = require(workerData.pinoPath);
const { mode, index, ticks, periodMs, linesPerTick } = workerData;
let dest;
if (mode === 'process.stdout') dest = process.stdout;
else if (mode === 'destination sync:false') dest = pino.destination({ dest: 1, sync: false });
else if (mode === 'destination sync:true') dest = pino.destination({ dest: 1, sync: true });
else dest = pino.transport({ target: 'pino/file', options: { destination: 1 } });
const log = pino({ base: { thread: 'shard-' + index } }, dest);
let tick = 0;
let maxTick = 0;
let maxTickWarm = 0;
let logMs = 0;
const timer = setInterval(() => {
  const t0 = performance.now();
  for (let j = 0; j < linesPerTick; j++) {
    // Now and then a line longer than PIPE_BUF (4096 bytes), as an error with causes can be.
    if (j === 0 && tick % 25 === 0) log.error({ tick, j, detail: 'x'.repeat(6000) }, 'a long line');
    else log.info({ tick, j }, 'a line from the tick');
  }
  const spent = performance.now() - t0;
  logMs += spent;
  if (spent > maxTick) maxTick = spent;
  if (tick >= 10 && spent > maxTickWarm) maxTickWarm = spent;
  if (++tick === ticks) {
    clearInterval(timer);
    parentPort.postMessage({ maxTick, maxTickWarm, nsPerLine: (logMs * 1e6) / (ticks * linesPerTick) });
    // A graceful end: flush what is buffered, then let the thread end by itself.
    if (mode === 'destination sync:false') dest.end();
    else if (mode === 'transport') log.flush(() => dest.end());
  }
}, periodMs);
`;

interface WorkerReport {
  maxTick: number;
  /** The longest tick after the first ten (JIT warm-up and thread start left out). */
  maxTickWarm: number;
  nsPerLine: number;
}

interface ChildReport {
  workers: Array<WorkerReport>;
  maxPoolMs: number;
}

/** The child process: starts the workers, probes the threadpool, reports on its IPC channel. */
async function child(mode: Mode): Promise<void> {
  let maxPoolMs = 0;
  let probing = true;
  const probe = () => {
    const t0 = performance.now();
    stat('.', () => {
      maxPoolMs = Math.max(maxPoolMs, performance.now() - t0);
      if (probing) setTimeout(probe, 5);
    });
  };
  probe();
  const workers = await Promise.all(
    Array.from(
      { length: WORKERS },
      (_, index) =>
        new Promise<WorkerReport>((resolve, reject) => {
          const worker = new Worker(WORKER_SOURCE, {
            eval: true,
            workerData: {
              pinoPath,
              mode,
              index,
              ticks: TICKS,
              periodMs: PERIOD_MS,
              linesPerTick: LINES_PER_TICK,
            },
          });
          let report: WorkerReport | undefined;
          worker.on('message', (m: WorkerReport) => {
            report = m;
          });
          worker.on('error', reject);
          worker.on('exit', () => (report ? resolve(report) : reject(new Error('no report'))));
        }),
    ),
  );
  probing = false;
  const report: ChildReport = { workers, maxPoolMs };
  process.send?.(report);
  process.disconnect?.();
}

interface Figures {
  mode: Mode;
  maxTickMs: number;
  maxTickWarmMs: number;
  nsPerLine: number;
  maxPoolMs: number;
  lines: number;
  invalid: number;
  outOfOrder: number;
  wallMs: number;
}

async function measure(mode: Mode): Promise<Figures> {
  // The child's stdout is a real pipe (a FIFO), as under `leviathan serve | shipper`: Node's own
  // 'pipe' stdio is a socket pair, whose writes have no PIPE_BUF atomicity to speak of.
  const dir = mkdtempSync(join(tmpdir(), 'lev-log-'));
  const fifo = join(dir, 'stdout');
  execFileSync('mkfifo', [fifo]);
  const readFd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const writeFd = openSync(fifo, constants.O_WRONLY);
  const started = performance.now();
  const proc: ChildProcess = fork(new URL(import.meta.url).pathname, ['child', mode], {
    stdio: ['ignore', writeFd, 'inherit', 'ipc'],
  });
  closeSync(writeFd);
  const report = new Promise<ChildReport>((resolve) =>
    proc.once('message', (m) => resolve(m as ChildReport)),
  );
  const chunks: Buffer[] = [];
  const reader = new Socket({ fd: readFd, readable: true, writable: false });
  reader.pause();
  setTimeout(() => {
    reader.on('data', (c: Buffer) => chunks.push(c));
    reader.resume();
  }, STALL_MS);
  const ended = new Promise<void>((resolve) => reader.once('end', () => resolve()));
  await new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  await ended;
  rmSync(dir, { recursive: true, force: true });
  const wallMs = performance.now() - started;
  const { workers, maxPoolMs } = await report;
  const text = Buffer.concat(chunks).toString('utf8');
  const lines = text.split('\n').filter((l) => l !== '');
  let invalid = 0;
  let outOfOrder = 0;
  const last = new Map<string, number>();
  for (const line of lines) {
    try {
      const r = JSON.parse(line) as { thread: string; tick: number; j: number };
      if (typeof r.thread !== 'string' || typeof r.j !== 'number') throw new Error('not ours');
      const seq = r.tick * LINES_PER_TICK + r.j;
      if (seq !== (last.get(r.thread) ?? -1) + 1) outOfOrder++;
      last.set(r.thread, seq);
    } catch {
      invalid++;
    }
  }
  return {
    mode,
    maxTickMs: Math.max(...workers.map((w) => w.maxTick)),
    maxTickWarmMs: Math.max(...workers.map((w) => w.maxTickWarm)),
    nsPerLine: workers.reduce((s, w) => s + w.nsPerLine, 0) / workers.length,
    maxPoolMs,
    lines: lines.length,
    invalid,
    outOfOrder,
    wallMs,
  };
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 3);
  const expected = WORKERS * TICKS * LINES_PER_TICK;
  console.log(`expected lines per run: ${expected}; reader stalled for the first ${STALL_MS} ms`);
  // Interleaved: one run of every mode, then again, so that the machine's load hits all alike.
  const all: Figures[] = [];
  for (let run = 0; run < runs; run++) for (const mode of MODES) all.push(await measure(mode));
  for (const mode of MODES) {
    const rows = all.filter((f) => f.mode === mode);
    const median = (pick: (f: Figures) => number) => {
      const sorted = rows.map(pick).sort((a, b) => a - b);
      return sorted[sorted.length >> 1] as number;
    };
    console.log(
      `${mode.padEnd(24)} longest tick ${median((f) => f.maxTickMs).toFixed(1)} ms (runs: ${rows.map((f) => f.maxTickMs.toFixed(1)).join(', ')}), ` +
        `after warm-up ${median((f) => f.maxTickWarmMs).toFixed(1)} ms (runs: ${rows.map((f) => f.maxTickWarmMs.toFixed(1)).join(', ')}), ` +
        `${median((f) => f.nsPerLine).toFixed(0)} ns/line, main-thread fs.stat worst ${median((f) => f.maxPoolMs).toFixed(1)} ms, ` +
        `lines ${rows.map((f) => f.lines).join('/')}, invalid ${rows.map((f) => f.invalid).join('/')}, ` +
        `out of order ${rows.map((f) => f.outOfOrder).join('/')}, wall ${median((f) => f.wallMs).toFixed(0)} ms`,
    );
  }
}

if (process.argv[2] === 'child') await child(process.argv[3] as Mode);
else await main();
