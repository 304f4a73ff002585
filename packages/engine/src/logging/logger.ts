import { threadId } from 'node:worker_threads';
import pino, { type DestinationStream } from 'pino';
import type { LogLevel } from '../config/engine-config.js';
import { loadPrettyDestination } from './pretty.js';
import { logRedaction } from './redaction.js';
import { serializeError } from './serialize-error.js';

/**
 * The engine's logger is pino: one JSON object per line, pino's numeric levels and epoch
 * milliseconds, so pino-pretty, log shippers and pino transports read it as they read fastify's:
 * `{"level":30,"time":1764150000000,"thread":"shard-1","shard":1,"msg":"shard started"}`.
 *
 * Cheap when a level is off: pino installs a no-op for every level below the threshold, so
 * `log.debug({...}, 'x')` on an info logger is one call of an empty function. Callers building
 * expensive fields can still guard with `log.isLevelEnabled('debug')`. Measured (benchmarks/src/
 * logging, tinybench medians of 11 interleaved rounds, 3 runs on the 2-core dev machine at load
 * 8-11): a disabled `log.debug` 3.5-3.6 ns against 3.5-3.6 ns for an empty call; an `info` line
 * with two fields on a child with two bindings 175-196 ns against 484-497 ns for `JSON.stringify`
 * of the same object + write (the home-made logger pino replaced: 233-249 ns).
 *
 * Every thread writes to its own `process.stdout`. In a worker thread (shard, gateway) that is
 * Node's forwarded stdout: a write posts the line to the main thread, which writes it to the real
 * stdout, so a slow stdout never blocks a tick and the main thread is the only writer of fd 1.
 * Measured (benchmarks/src/logging/worker-destinations.ts: four worker threads logging 4 x 5000
 * lines/s into a FIFO that is not read for 1.5 s, then drained; 3 interleaved runs, medians, on
 * the 2-core dev machine at load average 0.4-0.8):
 *
 * | how a worker writes                  | longest tick | lines lost | lines cut or interleaved |
 * | ------------------------------------ | ------------ | ---------- | ------------------------ |
 * | forwarded `process.stdout` (chosen)  | 9.5 ms       | 0          | 0 of 60000 (every run)   |
 * | `pino.destination({ sync: false })`  | 9.6 ms       | 0          | 2-6 of 60000             |
 * | `pino.destination()` (sync, default) | 1008 ms      | 0          | 0                        |
 * | `pino.transport('pino/file')`        | 18.4 ms      | 0          | 2-4 of 60000             |
 *
 * (A 10 ms tick of 50 lines.) Again at load average 6-8: the synchronous destination's longest
 * tick 200-240 ms, the others 18-60 ms (five threads sharing two busy cores), and again lines cut
 * by `sync: false` (0/0/4) and the transport (2/8/4), none by the forwarded stdout. Several
 * threads each writing to fd 1 themselves cut lines longer than PIPE_BUF (4 KiB: an error with
 * causes) into pieces that interleave with other threads' lines; a synchronous write stalls the
 * tick for as long as the reader sleeps. The forwarded stdout costs the main thread the copy and
 * the write instead (a fs.stat there answered within 56 ms at worst while the backlog drained,
 * against 10-16 ms for the others, at the lower load), and memory while stdout is slow.
 * A worker's forwarded stdout is flushed to the main thread when the thread ends by itself, as
 * shards and gateways do at a graceful shutdown; the main thread's stdout is flushed before the
 * process exits (see `flushLogs`).
 */

export type LogFn = (objOrMsg: object | string, msg?: string) => void;

/**
 * What the engine needs of a logger: pino's API, narrowed. A pino logger is one, so an embedding
 * application can pass its own to `createServer({ logger })`.
 */
export interface Logger {
  /** The least severe level written: `trace` ... `fatal`, or `silent`. */
  readonly level: string;
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  /** A logger with extra fields on every line (and optionally another level). */
  child(bindings: Record<string, unknown>, options?: { level?: LogLevel }): Logger;
  isLevelEnabled(level: LogLevel): boolean;
}

/** Where lines go: anything with a `write(string)`. */
export interface LogDestination {
  write(line: string): unknown;
}

export interface LoggerOptions {
  /**
   * Least severe level written.
   * @default 'info'
   */
  level?: LogLevel;
  /** Fields on every line (`thread`, `shard`, `service`, ...). */
  bindings?: Record<string, unknown>;
  /**
   * Where lines go.
   * @default process.stdout
   */
  destination?: LogDestination;
  /**
   * Human-readable lines through pino-pretty (which must be installed: it is not a dependency of
   * the engine), instead of JSON. Ignored when `destination` is set.
   * @default false
   */
  pretty?: boolean;
  /**
   * Clock for the `time` field, in milliseconds since the epoch.
   * @default Date.now
   */
  now?: () => number;
}

/** Marks a logger (and, through the prototype, its children) that writes JSON to process.stdout. */
const WRITES_STDOUT = Symbol('leviathan.logger.writesStdout');

/**
 * Keys pino writes itself and that a log object must not repeat: a game logging `{ level: 3 }`
 * (a player's level) would otherwise write a second `"level"` that JSON parsers take instead of
 * the line's. They are written as `_level` and `_time`. Two property reads per line.
 */
function keepReservedKeysApart(fields: Record<string, unknown>): Record<string, unknown> {
  if (fields.level === undefined && fields.time === undefined) return fields;
  const { level, time, ...rest } = fields;
  if (level !== undefined) rest._level = level;
  if (time !== undefined) rest._time = time;
  return rest;
}

/** Creates a logger. In a worker thread, bind `thread` (and `shard`) so lines say where they come from. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const toStdout = options.destination === undefined && options.pretty !== true;
  const destination =
    options.destination ??
    (options.pretty === true ? loadPrettyDestination(process.stdout) : guardedStdout());
  const now = options.now;
  const logger = pino(
    {
      level: options.level ?? 'info',
      // No pid and hostname: the thread is the unit here, and shippers add the host.
      base: options.bindings ?? {},
      timestamp: now === undefined ? pino.stdTimeFunctions.epochTime : () => `,"time":${now()}`,
      serializers: { err: serializeError },
      redact: logRedaction,
      formatters: { log: keepReservedKeysApart },
    },
    destination as DestinationStream,
  );
  if (toStdout) Object.defineProperty(logger, WRITES_STDOUT, { value: true });
  return logger;
}

/** Whether a logger writes JSON straight to this thread's process.stdout (one of ours, not pretty). */
export function writesToStdout(logger: Logger): boolean {
  return (logger as { [WRITES_STDOUT]?: boolean })[WRITES_STDOUT] === true;
}

/** A logger that writes nothing (for tests and embedders that bring their own). */
export function silentLogger(): Logger {
  return createLogger({ level: 'silent' });
}

/** The worker-thread id of the caller (0 on the main thread), to bind in thread loggers. */
export const currentThreadId = threadId;

let stdoutGuarded = false;

/**
 * process.stdout, made safe to lose: when the reader of a pipe goes away (EPIPE), lines are dropped
 * instead of the error taking the server down, as pino does for its own destinations.
 */
function guardedStdout(): NodeJS.WriteStream {
  const stdout = process.stdout;
  if (!stdoutGuarded) {
    stdoutGuarded = true;
    const ignoreBrokenPipe = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') return;
      stdout.removeListener('error', ignoreBrokenPipe);
      stdout.emit('error', err);
    };
    stdout.on('error', ignoreBrokenPipe);
  }
  return stdout;
}

/** How long `flushLogs` waits for a stdout nobody reads, in milliseconds. */
const FLUSH_TIMEOUT_MS = 5000;

/**
 * Waits until this thread's stdout has written what it holds (a pipe is asynchronous in Node:
 * lines wait in memory while the reader is slow), for at most `timeoutMs`. Call it before
 * `process.exit()`, which would drop them; a process that ends by itself needs none.
 */
export function flushLogs(timeoutMs = FLUSH_TIMEOUT_MS): Promise<void> {
  const stdout = process.stdout;
  if (stdout.writableLength === 0 || stdout.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    timer.unref();
    // An empty write calls back once everything queued before it is written.
    stdout.write('', done);
    function done(): void {
      clearTimeout(timer);
      resolve();
    }
  });
}
