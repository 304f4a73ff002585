import { deepStrictEqual } from 'node:assert/strict';
import type { BenchResult } from '../bench-result.js';
import { compare } from '../harness/compare.js';
import { createLogger } from './engine-logging.js';
import { createLoggerV0 } from './variants/json-logger-v0.js';

/**
 * A destination that takes each line and keeps only its length: the cost of the write itself is
 * left out (it is the same for any logger), but the line must exist (V8 cannot drop the work).
 */
class NullStream {
  bytes = 0;
  write(line: string): void {
    this.bytes += line.length;
  }
}

const BINDINGS = { thread: 'shard-1', shard: 1 } as const;
const FIELDS = { players: 3, zone: 'town' } as const;
const MSG = 'tick overran';
const TIME = 1_764_150_000_000;
const now = () => TIME;

/** Calls per timed sample: a disabled call is a few nanoseconds, far below the timer's own cost. */
const DISABLED_OPS = 1000;
const ENABLED_OPS = 100;

/**
 * The logging suite: what a log call costs the engine's hot paths. A disabled `log.debug` against
 * a call of an empty function (the least a call can cost), and an enabled `log.info` line with two
 * fields, on a child with two bindings, against the naive way to write that line:
 * `JSON.stringify` of one object holding everything, written to the same null stream. Each for the
 * engine's pino logger and for the JSON logger it replaced (variants/json-logger-v0.ts).
 */
export async function runLoggingBenchmarks(): Promise<BenchResult[]> {
  const sink = new NullStream();
  const pinoLog = createLogger({ level: 'info', destination: sink, now }).child(BINDINGS);
  const v0Log = createLoggerV0({ level: 'info', destination: sink, now }).child(BINDINGS);

  // The empty function and the logger methods see the same arguments: an object literal and a string.
  const empty = (_fields: object, _msg: string): void => {};
  const naive = () => {
    sink.write(`${JSON.stringify({ level: 30, time: now(), ...BINDINGS, ...FIELDS, msg: MSG })}\n`);
  };

  // Correctness first: each logger writes the naive line's content (v0 with its string level), and
  // writes nothing for a disabled level.
  const lines: string[] = [];
  const capture = { write: (l: string) => lines.push(l) };
  createLogger({ destination: capture, now }).child(BINDINGS).info(FIELDS, MSG);
  createLoggerV0({ destination: capture, now }).child(BINDINGS).info(FIELDS, MSG);
  createLogger({ destination: capture, now }).child(BINDINGS).debug(FIELDS, MSG);
  createLoggerV0({ destination: capture, now }).child(BINDINGS).debug(FIELDS, MSG);
  const expected = { time: TIME, ...BINDINGS, ...FIELDS, msg: MSG };
  deepStrictEqual(
    lines.map((l) => JSON.parse(l)),
    [
      { level: 30, ...expected },
      { level: 'info', ...expected },
    ],
  );

  const results: BenchResult[] = [];
  results.push(
    await compare({
      name: 'logging: disabled log.debug, pino (vs an empty function call)',
      opsPerCall: DISABLED_OPS,
      subject: () => pinoLog.debug({ players: 3, zone: 'town' }, MSG),
      reference: () => empty({ players: 3, zone: 'town' }, MSG),
    }),
    await compare({
      name: 'logging: disabled log.debug, old JSON logger v0 (vs an empty function call)',
      opsPerCall: DISABLED_OPS,
      subject: () => v0Log.debug({ players: 3, zone: 'town' }, MSG),
      reference: () => empty({ players: 3, zone: 'town' }, MSG),
    }),
    await compare({
      name: 'logging: log.info line with two fields and two bindings, pino (vs JSON.stringify + write)',
      opsPerCall: ENABLED_OPS,
      subject: () => pinoLog.info({ players: 3, zone: 'town' }, MSG),
      reference: naive,
    }),
    await compare({
      name: 'logging: log.info line with two fields and two bindings, old JSON logger v0 (vs JSON.stringify + write)',
      opsPerCall: ENABLED_OPS,
      subject: () => v0Log.info({ players: 3, zone: 'town' }, MSG),
      reference: naive,
    }),
  );
  if (sink.bytes === 0) throw new Error('unreachable: nothing was written');
  return results;
}
