import { flushLogs, type Logger } from '../logging/logger.js';

/**
 * SIGTERM and SIGINT for a server that owns its process (the CLI, `pnpm start`): the first signal
 * shuts down gracefully and exits (0, or 1 when the shutdown failed or passed its deadline); a
 * second one exits at once. An embedded server (the default) leaves signals to its application.
 */
export class ShutdownSignals {
  readonly #log: Logger;
  readonly #close: () => Promise<void>;
  readonly #enabled: boolean;
  #handler: ((signal: NodeJS.Signals) => void) | undefined;

  constructor(log: Logger, close: () => Promise<void>, enabled: boolean) {
    this.#log = log;
    this.#close = close;
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
      this.#log.info({ signal }, 'signal received: graceful shutdown');
      this.closeAndExit();
    };
    process.on('SIGTERM', this.#handler);
    process.on('SIGINT', this.#handler);
  }

  remove(): void {
    if (this.#handler === undefined) return;
    process.off('SIGTERM', this.#handler);
    process.off('SIGINT', this.#handler);
    this.#handler = undefined;
  }

  /** Closes the server; when it owns its process, exits afterwards as a signal would. */
  closeAndExit(): void {
    const done = this.#close();
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
