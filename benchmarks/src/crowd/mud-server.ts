import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { askServer } from '../harness/serve-asks.js';
import { serverNodeFlags } from '../harness/server-node-flags.js';

/** What a benchmark may change of the MUD it starts (mud-server-process.ts); unset: the crowd's. */
export interface MudServerSetup {
  /** The world directory. @default examples/mud/world (the Drowned Coast) */
  worldDir?: string;
  /** `gameOptions` besides `world` (combatSeed, corpseDecaySec...). */
  gameOptions?: Record<string, number | string | boolean>;
}

/** The benchmark's side of mud-server-process.ts. */
export class MudServer {
  readonly port: number;
  readonly #child: ChildProcess;

  private constructor(port: number, child: ChildProcess) {
    this.port = port;
    this.#child = child;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  static async start(tickHz: number, setup: MudServerSetup = {}): Promise<MudServer> {
    const script = fileURLToPath(new URL('./mud-server-process.ts', import.meta.url));
    const child = fork(script, [String(tickHz), JSON.stringify(setup)], {
      // LEVIATHAN_BENCH_CPU_PROF_DIR: a .cpuprofile per thread of the server (main, gateways,
      // shards), written when it stops; open them in Chrome's DevTools or speedscope.
      execArgv: ['--conditions=source', '--import', 'tsx', ...serverNodeFlags()],
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await new Promise<{ port: number; native: boolean }>((resolve, reject) => {
      child.once('message', (m: { port: number; native: boolean }) => resolve(m));
      child.once('exit', (code) =>
        reject(new Error(`the MUD server exited with ${code} before it was ready`)),
      );
    });
    const server = new MudServer(ready.port, child);
    if (!ready.native) {
      await server.stop();
      throw new Error('the MUD server runs uWebSockets.js on its JS fallback: the figures would be wrong');
    }
    return server;
  }

  #ask<T>(what: 'rss' | 'metrics'): Promise<T> {
    return askServer<T>(this.#child, what, 'MUD server');
  }

  async rss(): Promise<number> {
    return (await this.#ask<{ rss: number }>('rss')).rss;
  }

  async metrics(): Promise<string> {
    return (await this.#ask<{ metrics: string }>('metrics')).metrics;
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    this.#child.send({ ask: 'stop' });
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}
