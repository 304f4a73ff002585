import { type ChildProcess, fork } from 'node:child_process';
import { askServer } from '../harness/serve-asks.js';
import { serverNodeFlags } from '../harness/server-node-flags.js';
import { compiledServerProcess } from './compiled-server.js';

/**
 * What a macro benchmark runs: the engine, or a raw uWebSockets.js echo server answering each
 * command at once (`echo`) or at the engine's tick (`echo-at-tick`, see server-process.ts).
 */
export type ServerKind = 'engine' | 'echo' | 'echo-at-tick';

/** The server's memory at rest, in bytes (server-process.ts). */
export interface MemoryReading {
  rss: number;
  /** JavaScript heap in use, every thread. */
  heap: number;
  heapByThread: Record<string, number>;
  /** Heap pages held in memory by each thread's isolate, used or free. */
  residentByThread: Record<string, number>;
}

/** The benchmark's side of server-process.ts. */
export class ServerHandle {
  readonly kind: ServerKind;
  readonly port: number;
  readonly #child: ChildProcess;

  private constructor(kind: ServerKind, port: number, child: ChildProcess) {
    this.kind = kind;
    this.port = port;
    this.#child = child;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  /**
   * Starts `kind` at `tickHz`; `transport` picks the engine's (the transport suite), else the
   * engine's default; `engineOptions` are added to the engine's createServer options. Refuses a server that does not run what was asked: uWebSockets.js on its JS
   * fallback (the figures would be wrong), or another transport than `transport`.
   */
  static async start(
    kind: ServerKind,
    tickHz = 10,
    transport?: 'uws' | 'node',
    engineOptions: Record<string, unknown> = {},
  ): Promise<ServerHandle> {
    const child = fork(
      await compiledServerProcess(),
      [kind, String(tickHz), ...(transport === undefined ? [] : [transport])],
      {
        // Plain node, as users run it (compiled-server.ts): no loader, no --conditions=source;
        // with LEVIATHAN_BENCH_CPU_PROF_DIR, a CPU profile of each of its threads.
        execArgv: serverNodeFlags(),
        env: { ...process.env, NODE_OPTIONS: '', BENCH_ENGINE_OPTIONS: JSON.stringify(engineOptions) },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    const ready = await new Promise<{ port: number; native: boolean; transport: string }>(
      (resolve, reject) => {
        child.once('message', (m: { port: number; native: boolean; transport: string }) => resolve(m));
        child.once('exit', (code) =>
          reject(new Error(`the ${kind} server exited with ${code} before it was ready`)),
        );
      },
    );
    const handle = new ServerHandle(kind, ready.port, child);
    const wrong =
      transport !== undefined && ready.transport !== transport
        ? `the ${kind} server runs the ${ready.transport} transport, not ${transport}`
        : transport !== 'node' && !ready.native
          ? `the ${kind} server runs uWebSockets.js on its JS fallback: the figures would be wrong`
          : undefined;
    if (wrong !== undefined) {
      await handle.stop();
      throw new Error(wrong);
    }
    return handle;
  }

  /** The server process's id (per-thread CPU is in /proc/<pid>/task/, thread-cpu-probe.ts). */
  get pid(): number {
    return this.#child.pid as number;
  }

  ask<T>(what: 'mem' | 'players' | 'metrics' | 'cpu'): Promise<T> {
    return askServer<T>(this.#child, what, `${this.kind} server`);
  }

  /** The server's memory at rest (server-process.ts): smallest RSS and JavaScript heap over a window. */
  async memory(): Promise<MemoryReading> {
    return this.ask<MemoryReading>('mem');
  }

  async players(): Promise<number> {
    return (await this.ask<{ players: number }>('players')).players;
  }

  async metrics(): Promise<string> {
    return (await this.ask<{ metrics: string }>('metrics')).metrics;
  }

  /** CPU time of the server process so far (every thread), in microseconds. */
  async cpuUs(): Promise<number> {
    return (await this.ask<{ cpuUs: number }>('cpu')).cpuUs;
  }

  /** Polls (every 100 ms, at most `timeoutMs`) until `players` connections are authenticated. */
  async waitForPlayers(players: number, timeoutMs = 60_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const now = await this.players();
      if (now >= players) return;
      if (performance.now() > deadline)
        throw new Error(`${this.kind}: ${now} of ${players} players connected`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    this.#child.send({ ask: 'stop' });
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
}
