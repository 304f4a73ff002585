/**
 * Entry of the `leviathan` bin (packages/engine/bin/leviathan.js imports the build of this file).
 * From source: `tsx packages/engine/src/cli/main.ts serve --dev-auth`.
 */
import { processIo, runCli } from './run-cli.js';

runCli(process.argv.slice(2), processIo()).then(
  (code) => {
    // exitCode rather than exit(): stdout is flushed before the process ends. Forced (130) exits
    // now: the second signal means "stop waiting".
    if (code === 130) process.exit(code);
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`leviathan: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
