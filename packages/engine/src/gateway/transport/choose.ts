import type uWSModule from 'uWebSockets.js';
import { createRequire } from 'node:module';
import type { TransportSetting } from '../../config/engine-config.js';
import { UwsUnavailableError } from '../../errors.js';
import type { TransportKind } from './transport.js';

export type Uws = typeof uWSModule;

let loaded: { uws: Uws } | { error: Error } | undefined;

/**
 * The package that carries uWebSockets.js for this machine: one per platform, each an optional
 * dependency of the engine that the package manager installs only where its `os`, `cpu` and
 * `libc` match (13-22 MB, against 257 MB for upstream's package of every platform and Node line).
 */
export function prebuiltUwsPackage(): string {
  return `@leviathan/uws-${process.platform}-${process.arch}`;
}

/**
 * uWebSockets.js with its native binding, or the reason it does not load. Required lazily (a
 * process on the node transport never loads it) and checked: a build that falls back to a
 * JavaScript implementation when its binary is missing (some forks on the registry do) would
 * pass for uWS at a fraction of its speed; its `App` would not be a C++ function.
 */
export function loadUws(): { uws: Uws } | { error: Error } {
  if (loaded !== undefined) return loaded;
  const name = prebuiltUwsPackage();
  try {
    const uws = createRequire(import.meta.url)(name) as Uws;
    loaded = String(uws.App).includes('[native code]')
      ? { uws }
      : { error: new Error('uWebSockets.js loaded a JavaScript implementation, not its native binding') };
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    loaded = {
      error:
        (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && error.message.includes(name)
          ? new Error(
              `uWebSockets.js: ${name} is not installed (no prebuilt binary for ${process.platform}-${process.arch}, or optional dependencies were skipped)`,
              { cause: error },
            )
          : error,
    };
  }
  return loaded;
}

/** The chosen transport and, when uWS was not taken, why. */
export interface TransportChoice {
  readonly kind: TransportKind;
  /** Why the native uWS does not run (set when `kind` is node). */
  readonly reason: string | undefined;
}

/**
 * Resolves the `transport` option: `uws` demands the native binding (UwsUnavailableError when it
 * does not load), `node` never loads it, `auto` takes uWS when it loads.
 */
export function chooseTransport(setting: TransportSetting): TransportChoice {
  if (setting === 'node') return { kind: 'node', reason: 'transport is set to node' };
  const native = loadUws();
  if ('uws' in native) return { kind: 'uws', reason: undefined };
  if (setting === 'uws') throw new UwsUnavailableError({ cause: native.error });
  return { kind: 'node', reason: firstLine(native.error.message) };
}

/**
 * Whether several threads can listen on one port with this transport on this Node: uWS always
 * (SO_REUSEPORT); Node's `net` from 22.12 and 23.1 (`reusePort`). Elsewhere one gateway thread
 * serves the port.
 */
export function sharesPort(kind: TransportKind, version: string = process.versions.node): boolean {
  if (kind === 'uws') return true;
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
}

/** The useful line of a loader error (uWS's starts with a generic sentence). */
function firstLine(message: string): string {
  const lines = message.split('\n').filter((l) => l.trim().length > 0);
  return (lines.find((l) => l.startsWith('Error:')) ?? lines[0] ?? message).replace(/^Error: /, '');
}
