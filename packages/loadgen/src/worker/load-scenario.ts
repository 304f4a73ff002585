import { ScenarioLoadError } from '../errors.js';

/** A scenario module: `options` and the default (or named) iteration function. */
export interface ScenarioModule {
  options?: unknown;
  default?: unknown;
  [name: string]: unknown;
}

/**
 * Imports a scenario (.ts through tsx, or .js/.mjs). tsx's loader must already be registered in
 * this thread (see `registerTsx`).
 */
export async function importScenario(url: string): Promise<ScenarioModule> {
  try {
    const mod = (await import(url)) as ScenarioModule;
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
