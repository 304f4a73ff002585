import { flushLogs, type Logger } from '../logging/logger.js';
import { DRAIN_SIGNAL } from './drain-signal.js';

/**
 * SIGTERM and SIGINT for a server that owns its process (the CLI, `pnpm start`): the first signal
 * shuts down gracefully and exits (0, or 1 when the shutdown failed or passed its deadline); a
 * second one exits at once. SIGUSR2 drains first (a cluster node hands its zones and players to the
 * others), then exits the same way. An embedded server (the default) leaves signals to its
 * application.
 */
export class ShutdownSignals {
  readonly #log: Logger;
  readonly #close: () => Promise<void>;
  readonly #drain: () => Promise<void>;
  readonly #enabled: boolean;
  #handler: ((signal: NodeJS.Signals) => void) | undefined;

  constructor(
    log: Logger,
    stop: { close: () => Promise<void>; drain: () => Promise<void> },
    enabled: boolean,
  ) {
    this.#log = log;
    this.#close = stop.close;
    this.#drain = stop.drain;
    this.#enabled = enabled;
  }

  install(): void {
    if (!this.#enabled || this.#handler !== undefined) return;
    let signalled = false;
    this.#handler = (signal) => {
      if (signalled) {
        this.#log.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      signalled = true;
      const drain = signal === DRAIN_SIGNAL;
      this.#log.info({ signal }, `signal received: ${drain ? 'drain, then ' : ''}graceful shutdown`);
      this.#exitAfter(drain ? this.#drain() : this.#close());
    };
    process.on('SIGTERM', this.#handler);
    process.on('SIGINT', this.#handler);
    process.on(DRAIN_SIGNAL, this.#handler);
  }

  remove(): void {
    if (this.#handler === undefined) return;
    process.off('SIGTERM', this.#handler);
    process.off('SIGINT', this.#handler);
    process.off(DRAIN_SIGNAL, this.#handler);
    this.#handler = undefined;
  }

  /** Closes the server; when it owns its process, exits afterwards as a signal would. */
  closeAndExit(): void {
    this.#exitAfter(this.#close());
  }

  /** Once `done` settles, exits when the server owns its process; else logs a failure. */
  #exitAfter(done: Promise<void>): void {
    if (this.#enabled) {
      // Lines still queued for a slow stdout are written before the process ends.
      done.then(
        () => flushLogs().then(() => process.exit(0)),
        () => flushLogs().then(() => process.exit(1)),
      );
    } else {
      done.catch((err: unknown) => this.#log.error({ err }, 'the shutdown failed'));
    }
  }
}
