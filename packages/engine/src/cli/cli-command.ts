/**
 * A `leviathan` subcommand. Each lives in `cli/commands/<name>.ts` and is listed in
 * `cli/commands/index.ts`; `leviathan <name> --help` prints its `help()`.
 */
export interface CliCommand {
  /** One line for `leviathan --help`. */
  readonly summary: string;
  /** Full help: usage, flags, examples. */
  help(): string;
  /** Runs the command; resolves with the process exit code. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /**
   * Calls `onSignal` on SIGINT, SIGTERM or SIGUSR2 (a drain; or whatever a test decides) and
   * returns an unsubscribe function.
   */
  onShutdownSignal(onSignal: (signal: string) => void): () => void;
}

/**
 * Exit codes of `leviathan`, documented in docs/engine.md.
 * - 0: done, or a graceful shutdown completed in time.
 * - 1: the server failed while running, or shutdown missed its deadline.
 * - 2: bad command line or configuration (unknown command or flag, invalid value, unreadable file).
 * - 3: the server could not start (port in use, game or verifier failed to load, native uWS missing).
 * - 130: a second SIGINT/SIGTERM forced an immediate exit.
 */
export const ExitCode = {
  Ok: 0,
  Failure: 1,
  Usage: 2,
  StartFailed: 3,
  Forced: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
