import { createRequire } from 'node:module';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread from a module next to the caller. From `dist/` the entry is `.js` and
 * runs as is. From source (vitest, tsx) it is `.ts`, which a worker cannot load by itself, and
 * Node 20 applies `--import tsx` in a worker only after loading its entry: so a tiny bootstrap
 * registers tsx's loader first, then imports the entry.
 */
export function spawnWorker(entry: URL, options: WorkerOptions): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const api = tsxApi();
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  // `source`: workspace packages resolve to their TypeScript sources, as under vitest. When the
  // process already runs with it (`node --conditions=source --import tsx main.ts`, the examples'
  // `pnpm start`), the worker inherits the process's flags as Node does by default: an explicit
  // `execArgv` would be refused with any V8 flag in it (`node --max-semi-space-size=1 ...`
  // failed to start with ERR_WORKER_INVALID_EXEC_ARGV), where inherited ones are accepted.
  if (options.execArgv === undefined && process.execArgv.includes('--conditions=source'))
    return new Worker(code, { ...options, eval: true });
  const inherited = options.execArgv ?? process.execArgv;
  const execArgv = inherited.includes('--conditions=source')
    ? [...inherited]
    : [...inherited, '--conditions=source'];
  return newWorkerWithoutRefusedFlags(code, { ...options, execArgv, eval: true });
}

/**
 * `new Worker`, retried once without the flags Node refuses in a worker's `execArgv` (V8's, such
 * as `--max-old-space-size`, and the process-wide ones): V8's flags are the process's anyway, so
 * the worker loses nothing by not being given them. Node names the refused flags only in its
 * error's message (`... invalid execArgv flags: --a, --b`); when none of them can be told apart,
 * its error stands.
 */
function newWorkerWithoutRefusedFlags(code: string, options: WorkerOptions & { execArgv: string[] }): Worker {
  try {
    return new Worker(code, options);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    const refused = new Set((error as Error).message.split(': ').at(-1)?.split(', '));
    const execArgv = options.execArgv.filter((flag) => !refused.has(flag));
    if (execArgv.length === options.execArgv.length) throw error;
    return new Worker(code, { ...options, execArgv });
  }
}

let cachedApi: string | undefined;
function tsxApi(): string {
  cachedApi ??= import.meta.resolve?.('tsx/esm/api') ?? createRequire(import.meta.url).resolve('tsx/esm/api');
  return cachedApi;
}
