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
  // `source`: workspace packages resolve to their TypeScript sources, as under vitest.
  // The parent's flags (--cpu-prof, --max-old-space-size, ...) carry over, as they do by default.
  const inherited = options.execArgv ?? process.execArgv;
  const execArgv = inherited.includes('--conditions=source')
    ? [...inherited]
    : [...inherited, '--conditions=source'];
  return new Worker(code, { ...options, execArgv, eval: true });
}

let cachedApi: string | undefined;
function tsxApi(): string {
  cachedApi ??= import.meta.resolve?.('tsx/esm/api') ?? createRequire(import.meta.url).resolve('tsx/esm/api');
  return cachedApi;
}
