import type { IntervalPoint, LiveOutput } from '@leviathan/loadgen';
import type { ServerHandle } from './server-handle.js';

/** The server as seen at one end of a window. */
export interface ServerReading {
  /** CPU time of the server process so far, in microseconds. */
  cpuUs: number;
  /** Prometheus text (engine), empty for the echo server. */
  metrics: string;
}

/** What happened between the two readings of a window. */
export interface CommandWindowResult {
  /** Commands answered (`ws_cmd_duration` samples) in the window. */
  commands: number;
  /** Open-model iterations the generator could not start in the window (no free VU). */
  dropped: number;
  seconds: number;
  /** Interval points counted: about `seconds` over the interval; fewer means points came late. */
  intervals: number;
  before: ServerReading;
  after: ServerReading;
}

/**
 * The server's readings at one end of the window. Rendering the engine's metrics costs its main
 * thread a few milliseconds (every thread's registry, aggregated), which the echo server never
 * pays: the CPU reading is taken after the metrics at the opening and before them at the close,
 * so that neither scrape is counted in the window.
 */
async function reading(server: ServerHandle, end: 'open' | 'close'): Promise<ServerReading> {
  const metrics = async () => (server.kind === 'engine' ? await server.metrics() : '');
  if (end === 'close') {
    const cpuUs = await server.cpuUs();
    return { cpuUs, metrics: await metrics() };
  }
  const text = await metrics();
  return { cpuUs: await server.cpuUs(), metrics: text };
}

/**
 * A measured window of a load-generator run. Pass it to `runTest` as an output (`outputs: [window]`); `measure(ms)` opens
 * the window at the next interval boundary (taking the server's readings there), counts the
 * commands answered in each interval after it, and closes it at the first boundary `ms` later.
 * Both ends fall on interval boundaries, so the commands counted are those of the time between the
 * two readings (to within the few milliseconds an IPC question to the server takes).
 */
export class CommandWindow implements LiveOutput {
  readonly #server: ServerHandle;
  readonly #intervalMs: number;
  #state: 'idle' | 'opening' | 'open' = 'idle';
  #t0 = 0;
  #windowMs = 0;
  #commands = 0;
  #dropped = 0;
  #intervals = 0;
  #before: Promise<ServerReading> | undefined;
  #resolve: ((r: Promise<CommandWindowResult>) => void) | undefined;

  constructor(server: ServerHandle, intervalMs: number) {
    this.#server = server;
    this.#intervalMs = intervalMs;
  }

  readonly interval = ({ agg }: IntervalPoint): void => {
    if (this.#state === 'opening') {
      this.#t0 = performance.now();
      this.#before = reading(this.#server, 'open');
      this.#state = 'open';
      return;
    }
    if (this.#state !== 'open') return;
    const cmd = agg.values('ws_cmd_duration', this.#intervalMs);
    this.#commands += cmd?.type === 'trend' ? cmd.values.count : 0;
    this.#intervals++;
    const dropped = agg.values('dropped_iterations', this.#intervalMs);
    this.#dropped += dropped?.type === 'counter' ? dropped.values.count : 0;
    if (performance.now() - this.#t0 < this.#windowMs) return;
    const seconds = (performance.now() - this.#t0) / 1000;
    const before = this.#before as Promise<ServerReading>;
    const result = reading(this.#server, 'close').then(async (after) => ({
      commands: this.#commands,
      dropped: this.#dropped,
      seconds,
      intervals: this.#intervals,
      before: await before,
      after,
    }));
    this.#state = 'idle';
    this.#resolve?.(result);
  };

  measure(windowMs: number): Promise<CommandWindowResult> {
    if (this.#state !== 'idle') throw new Error('a window is already being measured');
    this.#windowMs = windowMs;
    this.#commands = 0;
    this.#dropped = 0;
    this.#intervals = 0;
    this.#state = 'opening';
    return new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }
}
