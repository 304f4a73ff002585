import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerInit } from '../ipc/messages.js';

/**
 * Starts a generator worker. The worker first registers tsx's loaders (scenarios are
 * TypeScript), then imports the worker module: `worker.js` next to the built bundle, or
 * `worker/worker-main.ts` when this package runs from its sources (tests, `tsx src/cli.ts`), in
 * which case workspace packages resolve through the `source` export condition as well.
 */
export function spawnWorker(init: WorkerInit): Worker {
  const here = import.meta.url;
  const fromSource = here.endsWith('.ts');
  const workerUrl = fromSource
    ? new URL('../worker/worker-main.ts', here).href
    : new URL('./worker.js', here).href;
  // tsx's "./esm/api" export has an ESM and a CJS build; createRequire finds the CJS one, and the
  // ESM one sits beside it (tsx 4: dist/esm/api/index.{cjs,mjs}).
  const tsxApi = pathToFileURL(
    createRequire(here)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  // Its CommonJS hooks too: a .ts scenario in a CommonJS project (npm init's "type": "commonjs")
  // is CommonJS to tsx, and without them Node would load it as an ES module required in a cycle.
  const tsxCjsApi = createRequire(here).resolve('tsx/cjs/api');
  const bootstrap = `Promise.resolve().then(() => { require(${JSON.stringify(tsxCjsApi)}).register(); return import(${JSON.stringify(tsxApi)}); }).then((api) => { api.register(); return import(${JSON.stringify(workerUrl)}); }).catch((e) => { require('node:worker_threads').parentPort.postMessage({ type: 'load-error', message: String(e && e.stack || e) }); });`;
  return new Worker(bootstrap, {
    eval: true,
    workerData: init,
    // Not the parent's execArgv: a test runner's flags (loaders, --require) do not belong here.
    execArgv: fromSource ? ['--conditions=source'] : [],
  });
}
