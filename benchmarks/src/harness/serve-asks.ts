import type { ChildProcess } from 'node:child_process';

/**
 * The child side of a benchmark's server process: answers each `{ ask }` message from the parent
 * with `{ ask, ...answer }` (or `{ ask, error }`), and exits when the parent goes away (a
 * benchmark that died without stopping its server must not leave it running). An answer of
 * undefined sends nothing: the handler replied itself (as `stop` does, before the process exits).
 */
export function serveAsks<Ask extends string>(answer: (ask: Ask) => Promise<object | undefined>): void {
  process.on('disconnect', () => process.exit(0));
  process.on('message', (msg: { ask: Ask }) => {
    answer(msg.ask).then(
      (value) => {
        if (value !== undefined) process.send?.({ ask: msg.ask, ...value });
      },
      (err: unknown) => process.send?.({ ask: msg.ask, error: String(err) }),
    );
  });
}

/**
 * The parent side: sends `{ ask }` to a server process started with serveAsks and resolves with
 * its answer (rejects with its error, prefixed by `who`).
 */
export function askServer<T>(child: ChildProcess, what: string, who: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { ask?: string; error?: string }) => {
      if (m.ask !== what) return;
      child.off('message', onMessage);
      if (m.error !== undefined) reject(new Error(`${who}: ${m.error}`));
      else resolve(m as T);
    };
    child.on('message', onMessage);
    child.send({ ask: what });
  });
}
