/**
 * Entry of the `leviathan` bin (packages/engine/bin/leviathan.js imports the build of this file).
 * From source: `tsx packages/engine/src/cli/main.ts serve --dev-auth`.
 */
import { processIo, runCli } from './run-cli.js';

/**
 * How long the process may linger once its command is done. A shutdown that left something
 * behind (logged: a thread or the store that did not stop in time, a connection to a database or
 * Redis that went away meanwhile, retrying) would otherwise keep the event loop, and the process,
 * alive for ever: seen with a cluster node whose Postgres and Redis stopped half a second after
 * its SIGTERM, still up minutes later.
 */
const LINGER_MS = 1000;

runCli(process.argv.slice(2), processIo()).then(
  (code) => {
    // exitCode rather than exit(): stdout is flushed before the process ends. Forced (130) exits
    // now: the second signal means "stop waiting".
    if (code === 130) process.exit(code);
    process.exitCode = code;
    // Unref'd: a process with nothing left ends at once, as before; one held up ends anyway.
    setTimeout(() => process.exit(code), LINGER_MS).unref();
  },
  (error: unknown) => {
    process.stderr.write(`leviathan: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
