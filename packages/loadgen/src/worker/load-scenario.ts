import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ScenarioLoadError } from '../errors.js';

/** A scenario module: `options` and the default (or named) iteration function. */
export interface ScenarioModule {
  options?: unknown;
  default?: unknown;
  [name: string]: unknown;
}

/** Scenarios imported anew in this thread so far (see `importScenario`'s `fresh`). */
let freshImports = 0;

/**
 * Imports a scenario (.ts through tsx, or .js/.mjs). tsx's loader must already be registered in
 * this thread (see `registerTsx`).
 *
 * `fresh` evaluates the file anew even when this thread imported it before: a scenario reads its
 * settings from the environment as it is evaluated (`rate: Number(process.env.RATE)`), and a
 * program may call runTest on the same file many times with a different `env` each; a cached
 * module would hand every run the first run's options. (The benchmark harness did: its 2,000
 * commands/s case ran at the 1,000/s of an earlier suite.) Only the scenario file itself is
 * evaluated again; modules it imports keep their state.
 */
export async function importScenario(url: string, fresh = false): Promise<ScenarioModule> {
  let target = url;
  if (fresh && freshImports++ > 0) {
    // A new URL is a new ES module; a scenario compiled to CommonJS (a .ts file in a CommonJS
    // project) is cached by file name as well.
    delete createRequire(url).cache[fileURLToPath(url)];
    target = `${url}?leviathan-run=${freshImports}`;
  }
  try {
    const mod = (await import(target)) as ScenarioModule;
    // A .ts or .js scenario in a CommonJS project (`npm init`'s `"type": "commonjs"`) is compiled
    // to CommonJS: import() then gives its module.exports as `default`, with the scenario's own
    // default export inside it.
    const cjs = mod.default as ScenarioModule | null | undefined;
    if (typeof cjs === 'object' && cjs !== null && cjs.__esModule === true) return cjs;
    return mod;
  } catch (e) {
    throw new ScenarioLoadError(url, e instanceof Error ? e.message : String(e), e);
  }
}

/**
 * Registers tsx's loaders in this thread, once, so TypeScript scenarios import directly: the ESM
 * one, and the CommonJS one for a .ts scenario in a CommonJS project (npm init's
 * `"type": "commonjs"`), which tsx compiles to CommonJS; without it Node would load that file as
 * an ES module required in a cycle, and fail.
 */
let registered: Promise<void> | undefined;
export function registerTsx(): Promise<void> {
  registered ??= import('tsx/cjs/api')
    .then((cjs) => {
      cjs.register();
      return import('tsx/esm/api');
    })
    .then((api) => {
      api.register();
    });
  return registered;
}

/** The functions the scenarios call; throws ScenarioLoadError when one is missing. */
export function iterationFunctions(
  mod: ScenarioModule,
  url: string,
  execs: readonly string[],
): Map<string, (...args: never[]) => unknown> {
  const out = new Map<string, (...args: never[]) => unknown>();
  for (const name of execs) {
    const fn = mod[name];
    if (typeof fn !== 'function') {
      throw new ScenarioLoadError(
        url,
        name === 'default'
          ? 'it has no default export function (export default async function (vu) { ... })'
          : `it exports no function "${name}" (named by a scenario's exec)`,
      );
    }
    out.set(name, fn as (...args: never[]) => unknown);
  }
  return out;
}
