import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerInit } from '../ipc/messages.js';

/**
 * A worker's young generation, at most. V8's default let the new space of a worker holding 1,000
 * idle VUs reach 33.6 MB; with this cap it is 16.8 MB. A worker's VUs mostly wait on the network,
 * and their garbage (a frame, a reply, a promise) dies young in either. Measured on the quiet
 * 2-core machine against the benchmarks' uWS echo server, 3 interleaved runs each: RSS of the
 * process holding 1,000, 3,000 and 5,000 idle VUs 182-187, 223-227 and 264 MB with V8's default,
 * 175-182, 199-204 and 255-257 MB capped (heap total 11-17 MB lower at each); round trips per
 * CPU-second 31.9-35.9 k with the default, 28.1-35.7 k capped (medians 34.3 k and 33.9 k: no
 * difference beyond noise).
 */
const WORKER_YOUNG_GENERATION_MB = 16;

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
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
}
