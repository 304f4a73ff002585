import type { Worker } from 'node:worker_threads';
import { type Logger, writesToStdout } from './logger.js';

/**
 * Lines of worker threads (shards, gateways), which always write JSON to their own stdout, reach
 * the main thread's logger:
 * - when it is one of ours writing JSON to stdout (the CLI, a bare createServer), each worker's
 *   whole lines are written to process.stdout as they arrive, unparsed. Not Node's default pipe:
 *   a pipe pauses while stdout is slow, and the main thread's own lines (written straight to
 *   process.stdout) then overtook the workers' held in it: with a reader at 400 KB/s, the
 *   server's last line ("stopped") came before shard lines logged seconds earlier;
 * - otherwise (an application's own pino logger, `log.pretty`), the worker is started with
 *   `stdout: true` and each of its lines is logged again through that logger, at its level, with
 *   its fields (`thread`, `shard`, `err`, ...), so the application's transports, bindings,
 *   redaction and level apply to every thread. The worker's `time` is replaced by the main
 *   thread's (a few milliseconds later at most).
 *
 * Spawn the worker with `stdout: true` and call `forwardWorkerLogs(worker, log)` after; `thread`
 * names the worker on lines that are not JSON (a `console.log`).
 */
export function forwardWorkerLogs(worker: Worker, log: Logger, thread?: string): void {
  if (writesToStdout(log)) {
    forwardWholeLines(worker);
    return;
  }
  let rest = '';
  const stdout = worker.stdout;
  stdout.setEncoding('utf8');
  stdout.on('data', (chunk: string) => {
    let start = 0;
    let nl = chunk.indexOf('\n');
    while (nl !== -1) {
      const line = rest === '' ? chunk.slice(start, nl) : rest + chunk.slice(start, nl);
      rest = '';
      relog(log, line, thread);
      start = nl + 1;
      nl = chunk.indexOf('\n', start);
    }
    if (start < chunk.length) rest += chunk.slice(start);
  });
  stdout.on('end', () => {
    if (rest !== '') relog(log, rest, thread);
    rest = '';
  });
}

/** A worker's stdout into this thread's, in arrival order, a line never split by another's. */
function forwardWholeLines(worker: Worker): void {
  let rest: Buffer | undefined;
  worker.stdout.on('data', (chunk: Buffer) => {
    const end = chunk.lastIndexOf(0x0a) + 1;
    if (end === 0) {
      rest = rest === undefined ? chunk : Buffer.concat([rest, chunk]);
      return;
    }
    const whole = chunk.subarray(0, end);
    process.stdout.write(rest === undefined ? whole : Buffer.concat([rest, whole]));
    rest = end < chunk.length ? chunk.subarray(end) : undefined;
  });
  worker.stdout.on('end', () => {
    if (rest !== undefined) process.stdout.write(rest);
    rest = undefined;
  });
}

/** pino's numeric levels, as the methods that write them. */
const METHOD_OF_LEVEL: Readonly<Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'>> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

function relog(log: Logger, line: string, thread: string | undefined): void {
  if (line === '') return;
  let record: Record<string, unknown> | undefined;
  if (line.startsWith('{')) {
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      // not a log line: written as text below
    }
  }
  const method = record === undefined ? undefined : METHOD_OF_LEVEL[record.level as number];
  if (record === undefined || method === undefined) {
    log.info(thread === undefined ? {} : { thread }, line);
    return;
  }
  const { level: _level, time: _time, msg, err, ...fields } = record;
  if (err !== undefined) fields.err = reviveError(err);
  log[method](fields, typeof msg === 'string' ? msg : undefined);
}

/**
 * An error the worker already serialized (`{ type, message, stack, code, cause }`), in a shape
 * that the main logger's `err` serializer (pino's, or ours) writes back as it was: an object
 * without a constructor, whose `name` is its type, since pino takes the type from the
 * constructor's name (which would be `Object` for parsed JSON).
 */
function reviveError(value: unknown): unknown {
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as { message?: unknown }).message !== 'string'
  )
    return value;
  const error = Object.assign(Object.create(null) as Record<string, unknown>, value);
  if (typeof error.type === 'string') error.name = error.type;
  if (error.cause !== undefined) error.cause = reviveError(error.cause);
  return error;
}
