import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors.js';
import { createLogger } from './logger.js';

function capture() {
  const lines: string[] = [];
  return {
    lines,
    destination: { write: (line: string) => lines.push(line) },
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('writes one JSON object per line with level, time, bindings and message', () => {
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
      { level: 'info', time: 42, thread: 'main', msg: 'hello' },
      { level: 'warn', time: 42, thread: 'main', players: 3, msg: 'busy' },
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
    expect(out.records().map((r) => r.level)).toEqual(['warn', 'error', 'fatal']);
    expect(log.isLevelEnabled('info')).toBe(false);
    expect(log.isLevelEnabled('error')).toBe(true);
    const silent = createLogger({ level: 'silent', destination: out.destination });
    silent.fatal('nothing');
    expect(out.lines).toHaveLength(3);
    expect(silent.isLevelEnabled('fatal')).toBe(false);
  });

  it('does not even build the line when the level is off', () => {
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
      { level: 'debug', time: 1, thread: 'shard-1', shard: 1, zone: 'town', msg: 'tick' },
      { level: 'info', time: 1, thread: 'shard-1', msg: 'parent' },
    ]);
  });

  it('serializes errors with code, stack and cause, and keeps reserved keys apart', () => {
    const out = capture();
    const log = createLogger({ destination: out.destination });
    const error = new EngineError('LEV_ERR_TEST', 'outer', { cause: new Error('inner') });
    log.error({ err: error, msg: 'user msg field', level: 'x' }, 'failed');
    log.error(new Error('bare'));
    const [first, second] = out.records();
    expect(first).toMatchObject({
      level: 'error',
      msg: 'failed',
      _msg: 'user msg field',
      _level: 'x',
      err: {
        type: 'EngineError',
        message: 'outer',
        code: 'LEV_ERR_TEST',
        cause: { type: 'Error', message: 'inner' },
      },
    });
    expect((first!.err as { stack: string }).stack).toContain('outer');
    expect(second).toMatchObject({ msg: 'bare', err: { message: 'bare' } });
  });

  it('survives circular data, bigints and a destination that throws', () => {
    const out = capture();
    const log = createLogger({ destination: out.destination });
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    log.info({ circular, big: 10n }, 'odd');
    expect(out.records()[0]).toMatchObject({ circular: '[unserializable]', big: '10', msg: 'odd' });
    const broken = createLogger({
      destination: {
        write() {
          throw new Error('EPIPE');
        },
      },
    });
    expect(() => broken.info('x')).not.toThrow();
    // Untyped callers passing null or undefined still get a line.
    log.warn(null as unknown as object, 'after null');
    expect(out.records().at(-1)).toMatchObject({ level: 'warn', msg: 'after null' });
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
    expect(record).toMatchObject({ level: 'info', thread: 'worker-test', n: 1, msg: 'from a worker' });
  });
});
