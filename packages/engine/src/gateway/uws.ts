import uWS from 'uWebSockets.js';
import { UwsFallbackError } from '../errors.js';

export { uWS };

/**
 * Whether uWebSockets.js loaded its native binding. The package we use silently falls back to a
 * `ws`-based JavaScript implementation when the binary does not load; the native
 * App is a C++ function, so its source text says `[native code]`.
 */
export function isNativeUws(): boolean {
  return String(uWS.App).includes('[native code]');
}

/** Throws unless the native binding runs or the fallback is explicitly allowed. */
export function assertUwsUsable(allowJsFallback: boolean): boolean {
  const native = isNativeUws();
  if (!native && !allowJsFallback) throw new UwsFallbackError();
  return native;
}
