import { waitForSocketsClosed } from '../ipc/sockets-closed-signal.js';

/**
 * Longest that an exiting process waits for the gateway threads to close their sockets, in ms.
 * Closing takes a gateway one turn of its event loop; the deadline is for one stuck in a long task.
 */
const EXIT_CLOSE_DEADLINE_MS = 2_000;

/**
 * Called as the process exits: asks its threads to close their sockets (ipc/sockets-closed-signal.ts)
 * and returns the signals they set once they have.
 */
export type SocketCloser = () => readonly SharedArrayBuffer[];

const closers = new Set<SocketCloser>();

/**
 * The process is exiting under a running server (`process.exit()`, or an uncaught error in the
 * application, before `close()`): Node is about to stop every thread, and one that still has uWS
 * sockets open would abort the process. Every running server's gateways close their sockets while
 * this listener, which must be synchronous, waits for all of them under one deadline.
 */
function closeSocketsBeforeExit(): void {
  const signals = [...closers].flatMap((closer) => closer());
  const closed = waitForSocketsClosed(signals, performance.now() + EXIT_CLOSE_DEADLINE_MS);
  if (closed < signals.length)
    process.stderr.write(
      `leviathan: the process exited under a running server and ${signals.length - closed} gateway thread(s) did not close their sockets within ${EXIT_CLOSE_DEADLINE_MS} ms; await server.close() before exiting\n`,
    );
}

/**
 * Runs `closer` if the process exits before the returned function is called. One `exit` listener
 * serves every server of the process, however many there are.
 */
export function closeSocketsOnExit(closer: SocketCloser): () => void {
  if (closers.size === 0) process.on('exit', closeSocketsBeforeExit);
  closers.add(closer);
  return () => {
    if (closers.delete(closer) && closers.size === 0) process.off('exit', closeSocketsBeforeExit);
  };
}
