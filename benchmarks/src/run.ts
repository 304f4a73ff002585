import { fileURLToPath } from 'node:url';
import type { BenchResult } from './bench-result.js';
import { formatTable, writeReport } from './harness/report.js';
import { discoverSuites } from './harness/suites.js';

/**
 * `pnpm bench [suite...]`: runs every suite (or those named), prints one table where every figure
 * is a ratio to a reference measured in the same run, and writes benchmarks/results/latest.json.
 * Tunables: BENCH_TIME_MS (time per task per round, default 100), BENCH_ROUNDS (default 11).
 */
async function main(): Promise<void> {
  const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const suites = (await discoverSuites(fileURLToPath(new URL('.', import.meta.url)))).filter(
    (s) => only.length === 0 || only.includes(s.name),
  );
  if (suites.length === 0) throw new Error(`no benchmark suite matches ${only.join(', ')}`);
  const results: BenchResult[] = [];
  for (const suite of suites) {
    process.stderr.write(`[bench] ${suite.name} ...\n`);
    results.push(...(await suite.run()));
  }
  console.log(formatTable(results));
  const path = fileURLToPath(new URL('../results/latest.json', import.meta.url));
  writeReport(path, results);
  console.log(`\nwritten to ${path}`);
  const missed = results.filter((r) => r.aim !== undefined && r.ratio > r.aim);
  if (missed.length > 0)
    console.log(`${missed.length} figure(s) outside their aim (not a failure: see issue 8)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
