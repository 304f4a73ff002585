/**
 * A gateway thread's "my sockets are closed" flag, shared with main, for the one moment when main
 * cannot wait for a message: the process exiting under a running server (`process.exit()` or an
 * uncaught error in the application, without `await server.close()`).
 *
 * Node then stops every worker thread at once, and a thread that ends while uWebSockets.js still
 * has a socket open aborts the whole process (`uv_loop_close() while having open handles`, exit
 * code 134, on every Node line). Main's `exit` listeners run before the workers are stopped but
 * must be synchronous, so main asks each gateway to close its sockets and blocks on this flag
 * (`Atomics.wait`, allowed on Node's main thread) until the gateway has done so or a deadline
 * passes.
 */

/** Int32 slot 0: 0 while the thread may have sockets open, 1 once it closed them all. */
const CLOSED = 1;

export function createSocketsClosedSignal(): SharedArrayBuffer {
  return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
}

/** The gateway's side: its sockets are closed (uWS has released their handles). */
export function signalSocketsClosed(signal: SharedArrayBuffer): void {
  const flag = new Int32Array(signal);
  Atomics.store(flag, 0, CLOSED);
  Atomics.notify(flag, 0);
}

/**
 * Main's side: blocks until every signal is set, or until `deadline` (a `performance.now()`
 * time). Returns how many were set.
 */
export function waitForSocketsClosed(signals: readonly SharedArrayBuffer[], deadline: number): number {
  let closed = 0;
  for (const signal of signals) {
    const flag = new Int32Array(signal);
    const left = deadline - performance.now();
    if (Atomics.load(flag, 0) !== CLOSED && left > 0) Atomics.wait(flag, 0, 0, left);
    if (Atomics.load(flag, 0) === CLOSED) closed++;
  }
  return closed;
}
