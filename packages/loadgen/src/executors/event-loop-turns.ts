import { performance } from 'node:perf_hooks';

/**
 * Keeps VU loops from starving their thread's event loop. An iteration that never waits for I/O
 * or a timer (a synchronous default function, or an async one that awaits only settled promises)
 * ends within the microtask queue, and a loop of such iterations never leaves it: no timer fires,
 * so the scenario's duration never ends, and no message arrives, so a stop is never heard (the
 * generator ran such a scenario at 200 % CPU until it was killed). An unref'd interval stamps each
 * turn of the event loop's timers phase; a loop that finds the stamp older than STARVED_AFTER_MS
 * yields one macrotask. A loop waiting on the network sees fresh stamps and never yields.
 */

/** How often the stamp is refreshed while the event loop turns. */
const STAMP_EVERY_MS = 5;
/**
 * A stamp older than this means the event loop has not turned: VU loops yield. Three stamp
 * periods, so a loop that turns is never taken for a starved one; short, because other VUs'
 * replies wait this long to be read (the worker's lag monitor reports it, and warns past 20 ms).
 */
export const STARVED_AFTER_MS = 15;

let stampedAt = performance.now();
let stamper: NodeJS.Timeout | undefined;

/** Whether the timers phase has not run for STARVED_AFTER_MS (starts the stamping on first use). */
export function eventLoopStarved(): boolean {
  if (stamper === undefined) {
    stampedAt = performance.now();
    stamper = setInterval(() => {
      stampedAt = performance.now();
    }, STAMP_EVERY_MS);
    stamper.unref();
    return false;
  }
  return performance.now() - stampedAt > STARVED_AFTER_MS;
}

let nextTurn: Promise<void> | undefined;

/**
 * Resolves in the event loop's next check phase, after pending I/O and due timers have run. One
 * promise for every loop that yields in the same turn, so they resume together and take turns in
 * one microtask queue; with one setImmediate each, the first to resume ran alone until the stamp
 * was stale again, and the others made one iteration per turn (a synchronous scenario beside an
 * async one made 990,440 iterations to its 132 in a second).
 */
export function nextEventLoopTurn(): Promise<void> {
  nextTurn ??= new Promise((resolve) =>
    setImmediate(() => {
      nextTurn = undefined;
      // The event loop has turned: the loops run again for STARVED_AFTER_MS.
      stampedAt = performance.now();
      resolve();
    }),
  );
  return nextTurn;
}
