import type { Worker } from 'node:worker_threads';

/**
 * Asks a worker thread to stop (`ask`) and resolves once it has exited. A thread that has not
 * ended after `timeoutMs` is terminated; one that exited already resolves at once (its
 * `threadId` is -1 then), so a shutdown never waits for an exit event that has come and gone.
 *
 * Terminating is the last resort for a gateway: a thread that ends while uWebSockets.js still has
 * sockets open aborts the whole process, so the gateway is asked to close them itself first.
 */
export async function stopWorker(worker: Worker, ask: () => void, timeoutMs: number): Promise<void> {
  if (worker.threadId === -1) return;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  try {
    ask();
  } catch {
    // The port is closed: the thread is ending anyway.
  }
  const timer = setTimeout(() => void worker.terminate(), Math.max(0, timeoutMs));
  await exited;
  clearTimeout(timer);
}
