import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A `leviathan serve` process and what its log says. */
export interface ServeProcess {
  readonly child: ChildProcess;
  /** Settles when the process has exited. */
  readonly exited: Promise<unknown>;
  /** Calls `fn` with the `msg` of each JSON log line on stdout, from now on. */
  onMessage(fn: (msg: string) => void): void;
  /**
   * Resolves with the first log message matching `pattern` (from now on), or rejects when the
   * process exits first or `timeoutMs` passes, with what it wrote on stderr.
   */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves with the port of the "listening on <host>:<port>" line (within 60 s of the start). */
  port(): Promise<number>;
}

/**
 * Starts `leviathan serve` from a CLI entry (`src/cli/main.ts`, run with tsx and the `source`
 * condition, or a built `.js`) in its own process, with development auth on a free loopback port,
 * and `args` after: for tests and probes that need a real server process (kill -9, several nodes).
 * `nodeArgs` go to Node itself (V8 flags for a probe, say).
 */
export function spawnServe(
  cli: string,
  args: readonly string[],
  options: { cwd?: string; nodeArgs?: readonly string[] } = {},
): ServeProcess {
  const runner = cli.endsWith('.ts') ? ['--conditions=source', '--import', 'tsx'] : [];
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      ...runner,
      cli,
      'serve',
      '--dev-auth',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], ...(options.cwd === undefined ? {} : { cwd: options.cwd }) },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const listeners: Array<(msg: string) => void> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const msg = /"msg":"((?:[^"\\]|\\.)*)"/.exec(line)?.[1];
    if (msg !== undefined) for (const fn of [...listeners]) fn(msg);
  });
  const onMessage = (fn: (msg: string) => void): void => {
    listeners.push(fn);
  };
  const waitFor = (pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> =>
    new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        listeners.splice(listeners.indexOf(listener), 1);
        child.off('exit', onExit);
      };
      const listener = (msg: string): void => {
        const match = pattern.exec(msg);
        if (match === null) return;
        done();
        resolve(match);
      };
      const onExit = (code: number | null): void => {
        done();
        reject(new Error(`leviathan serve exited (${code}) before logging ${pattern}: ${stderr}`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`leviathan serve did not log ${pattern} within ${timeoutMs} ms: ${stderr}`));
      }, timeoutMs);
      listeners.push(listener);
      child.once('exit', onExit);
    });
  // Watched from the start: the line may come before anyone asks for the port.
  const listening = waitFor(/^listening on [^ ]*:(\d+) /).then((m) => Number(m[1]));
  listening.catch(() => {});
  return { child, exited, onMessage, waitFor, port: () => listening };
}
