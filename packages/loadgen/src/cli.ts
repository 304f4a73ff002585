#!/usr/bin/env node
import { main } from './cli/main.js';

// The bin: `leviathan-load run scenario.ts`. Exit codes: see exit-codes.ts and docs/loadgen.md.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`leviathan-load: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 107;
  },
);
