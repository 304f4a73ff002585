#!/usr/bin/env node
import { runPveExporter } from '../proxmox/health/cli.js';

// The bin `leviathan-pve-exporter` (src/proxmox/health/cli.ts). Exit codes: 0 stopped by a
// signal, 1 could not start (bad URL, port in use), 2 usage.
runPveExporter(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`leviathan-pve-exporter: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
