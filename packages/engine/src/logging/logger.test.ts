import { Worker } from 'node:worker_threads';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors.js';
import { createLogger, type Logger, writesToStdout } from './logger.js';

function capture() {
  const lines: string[] = [];
  return {
    lines,
    destination: { write: (line: string) => lines.push(line) },
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('writes one JSON object per line with pino levels, time, bindings and message', () => {
    const out = capture();
    const log = createLogger({
      level: 'info',
      bindings: { thread: 'main' },
      destination: out.destination,
      now: () => 42,
    });
    log.info('hello');
    log.warn({ players: 3 }, 'busy');
    expect(out.lines.every((l) => l.endsWith('}\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    expect(out.records()).toEqual([
      { level: 30, time: 42, thread: 'main', msg: 'hello' },
      { level: 40, time: 42, thread: 'main', players: 3, msg: 'busy' },
    ]);
  });

  it('skips levels below its own, and silent writes nothing', () => {
    const out = capture();
    const log = createLogger({ level: 'warn', destination: out.destination });
    log.trace('t');
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    log.fatal('f');
    expect(out.records().map((r) => r.level)).toEqual([40, 50, 60]);
    expect(log.isLevelEnabled('info')).toBe(false);
    expect(log.isLevelEnabled('error')).toBe(true);
    const silent = createLogger({ level: 'silent', destination: out.destination });
    silent.fatal('nothing');
    expect(out.lines).toHaveLength(3);
    expect(silent.isLevelEnabled('fatal')).toBe(false);
    expect(silent.level).toBe('silent');
  });

  it('does not even read the fields when the level is off', () => {
    const out = capture();
    const log = createLogger({ level: 'info', destination: out.destination });
    let touched = false;
    const spy = {
      get expensive() {
        touched = true;
        return 1;
      },
    };
    log.debug(spy, 'not written');
    expect(touched).toBe(false);
    expect(out.lines).toHaveLength(0);
  });

  it('child loggers add bindings, may change level, and never alter the parent', () => {
    const out = capture();
    const log = createLogger({
      level: 'info',
      bindings: { thread: 'shard-1' },
      destination: out.destination,
      now: () => 1,
    });
    const child = log.child({ shard: 1, zone: 'town' }, { level: 'debug' });
    child.debug('tick');
    log.debug('hidden');
    log.info('parent');
    expect(out.records()).toEqual([
      { level: 20, time: 1, thread: 'shard-1', shard: 1, zone: 'town', msg: 'tick' },
      { level: 30, time: 1, thread: 'shard-1', msg: 'parent' },
    ]);
  });

  it('serializes errors in err with type, message, code, stack and causes', () => {
    const out = capture();
    const log = createLogger({ destination: out.destination });
    const error = new EngineError('LEV_ERR_TEST', 'outer', {
      cause: new Error('inner', { cause: 'the disk is full' }),
    });
    log.error({ err: error }, 'failed');
    log.error(new Error('bare'));
    const [first, second] = out.records();
    expect(first).toMatchObject({
      level: 50,
      msg: 'failed',
      err: {
        type: 'EngineError',
        message: 'outer',
        code: 'LEV_ERR_TEST',
        cause: { type: 'Error', message: 'inner', cause: 'the disk is full' },
      },
    });
    expect((first!.err as { stack: string }).stack).toContain('outer');
    expect(second).toMatchObject({ msg: 'bare', err: { type: 'Error', message: 'bare' } });
  });

  it('writes a code pino misses, cuts cause cycles and long chains', () => {
    const out = capture();
    const log = createLogger({ destination: out.destination });
    // A code from a getter (not an own enumerable field), as some libraries define it.
    class Coded extends Error {
      get code() {
        return 'E_GETTER';
      }
    }
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    let deep: Error = new Error('level 0');
    for (let i = 1; i <= 10; i++) deep = new Error(`level ${i}`, { cause: deep });
    log.error({ err: new Coded('coded') }, 'getter');
    log.error({ err: b }, 'cycle');
    log.error({ err: deep }, 'deep');
    const [coded, cycle, long] = out.records() as Array<{ err: Record<string, unknown> }>;
    expect(coded!.err.code).toBe('E_GETTER');
    expect(cycle!.err).toMatchObject({ message: 'b', cause: { message: 'a', cause: '[Circular]' } });
    let depth = 0;
    let node: unknown = long!.err;
    while (typeof node === 'object' && node !== null) {
      node = (node as { cause?: unknown }).cause;
      depth++;
    }
    expect(depth).toBe(6);
    expect(node).toBe('[cause chain cut]');
  });

  it('keeps a logged level or time apart from its own', () => {
    const out = capture();
    const log = createLogger({ destination: out.destination, now: () => 7 });
    log.info({ level: 12, time: 'noon', hp: 3 }, 'player stats');
    expect(out.lines[0]).toBe(
      '{"level":30,"time":7,"hp":3,"_level":12,"_time":"noon","msg":"player stats"}\n',
    );
  });

  it('survives circular data and bigints', () => {
    const out = capture();
    const log = createLogger({ destination: out.destination });
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    log.info({ circular, big: 10n }, 'odd');
    expect(out.records()[0]).toMatchObject({ circular: { a: 1, self: '[Circular]' }, big: 10, msg: 'odd' });
    // Untyped callers passing null or undefined still get a line.
    log.warn(null as unknown as object, 'after null');
    expect(out.records().at(-1)).toMatchObject({ level: 40, msg: 'after null' });
  });

  it('says whether it writes JSON to stdout, which decides how worker lines travel', () => {
    expect(writesToStdout(createLogger())).toBe(true);
    expect(writesToStdout(createLogger().child({ shard: 1 }))).toBe(true);
    expect(writesToStdout(createLogger({ destination: capture().destination }))).toBe(false);
    expect(writesToStdout(pino({ level: 'silent' }))).toBe(false);
  });

  it('accepts a pino logger wherever the engine takes a Logger', () => {
    const out = capture();
    const theirs: Logger = pino({ base: { service: 'my-game' } }, out.destination);
    theirs.child({ thread: 'main' }).warn({ n: 1 }, 'through pino');
    expect(out.records()[0]).toMatchObject({
      level: 40,
      service: 'my-game',
      thread: 'main',
      msg: 'through pino',
    });
  });

  it('works inside a worker thread, writing to the process stdout', async () => {
    // Node 20 workers cannot load .ts by themselves: register tsx first (as the engine does).
    const logger = new URL('./logger.ts', import.meta.url).href;
    const source = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(logger)}); })
      .then(({ createLogger }) => createLogger({ bindings: { thread: 'worker-test' } }).info({ n: 1 }, 'from a worker'))`;
    const worker = new Worker(source, { eval: true, stdout: true });
    let text = '';
    worker.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
    });
    const code = await new Promise<number>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('exit', resolve);
    });
    expect(code).toBe(0);
    const record = JSON.parse(text.trim()) as Record<string, unknown>;
    expect(record).toMatchObject({ level: 30, thread: 'worker-test', n: 1, msg: 'from a worker' });
  });
});
