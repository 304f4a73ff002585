import { PveAbortedError, PveApiError, PveNetworkError, PveTimeoutError } from './errors.js';
import type { RetryOptions } from './types.js';

/**
 * HTTP statuses worth another try: proxy and gateway failures. 595/596 are pveproxy's own
 * ("no route to host" / "connection timed out" when proxying to another cluster node).
 */
const TRANSIENT_STATUS = new Set([502, 503, 504, 595, 596]);

/**
 * Proxmox answers 500 for every failure of a handler, permanent ones included ("VM 100 already
 * exists"). Only config-lock timeouts are transient: pve-common's `lock_file` dies with
 * "can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout".
 */
const TRANSIENT_500 = /got timeout|can't lock file|temporarily unavailable/i;

/** Socket errors raised before the request was written: safe to retry for every method. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

export function networkCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('LEV_ERR_')) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Whether a failed attempt may be repeated. */
export function isTransient(err: unknown, idempotent: boolean): boolean {
  if (err instanceof PveApiError) {
    if (TRANSIENT_STATUS.has(err.status)) return true;
    return err.status === 500 && TRANSIENT_500.test(err.pveMessage);
  }
  if (err instanceof PveNetworkError) {
    const code = networkCode(err.cause);
    return idempotent || (code !== undefined && NOT_SENT.has(code));
  }
  return false;
}

/** Delay before retry number `retry` (1-based): uniform in [0, min(max, base·2^(retry-1))]. */
export function backoffDelay(retry: number, opts: RetryOptions, random: () => number = Math.random): number {
  const cap = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * cap);
}

/** Sleeps, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A signal that aborts when the caller's does or after `timeoutMs`; `reason()` maps the
 * abort into the SDK's error (aborted vs timed out).
 */
export function deadline(
  what: string,
  timeoutMs: number,
  parent?: AbortSignal,
): { signal: AbortSignal; error: () => Error; dispose: () => void } {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new PveTimeoutError(what, timeoutMs));
  }, timeoutMs);
  const onParent = (): void => controller.abort(new PveAbortedError(what, { cause: parent?.reason }));
  if (parent?.aborted) onParent();
  else parent?.addEventListener('abort', onParent, { once: true });
  return {
    signal: controller.signal,
    error: () =>
      timedOut ? new PveTimeoutError(what, timeoutMs) : new PveAbortedError(what, { cause: parent?.reason }),
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}
