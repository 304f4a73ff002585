import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AuthVerifierError } from '../errors.js';
import { type AuthVerifier, isAuthVerifier } from './auth-verifier.js';

/**
 * Loads a custom verifier from a module: a file path (absolute, or relative to `cwd`) or a package
 * specifier. The module exports, in order of preference: `default` as an `AuthVerifier` object or
 * a factory function, a named `verifier` object, or a named factory `createVerifier(options)`.
 * A factory may be async; it receives `options` (the server passes `{ config, logger }`).
 */
export async function loadCustomVerifier(
  specifier: string,
  options: { cwd?: string; factoryOptions?: unknown } = {},
): Promise<AuthVerifier> {
  const isPath = specifier.startsWith('.') || isAbsolute(specifier);
  const target = isPath ? pathToFileURL(resolve(options.cwd ?? process.cwd(), specifier)).href : specifier;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(target)) as Record<string, unknown>;
  } catch (error) {
    throw new AuthVerifierError(
      `custom verifier module ${specifier} could not be loaded: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const candidate = mod.default ?? mod.verifier ?? mod.createVerifier;
  let verifier: unknown = candidate;
  if (typeof candidate === 'function') {
    try {
      verifier = await (candidate as (o: unknown) => unknown)(options.factoryOptions);
    } catch (error) {
      throw new AuthVerifierError(
        `custom verifier factory in ${specifier} threw: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }
  if (!isAuthVerifier(verifier)) {
    throw new AuthVerifierError(
      `custom verifier module ${specifier} must export an object with a verify(request) method (as default or verifier) or a factory returning one (as default or createVerifier)`,
    );
  }
  return verifier;
}
