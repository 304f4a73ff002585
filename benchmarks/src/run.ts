import { cpus, loadavg } from 'node:os';
import type { BenchResult } from './bench-result.js';
import { acceptResults, readBaseline, writeBaseline } from './harness/baseline.js';
import { writeBenchmarksDoc } from './harness/docs.js';
import { type GateRow, gateRow, missingCases } from './harness/gate.js';
import { currentCommit } from './harness/git-commit.js';
import { appendHistory } from './harness/history.js';
import { normalize } from './harness/normalize.js';
import { paths } from './harness/paths.js';
import { formatTable, writeReport } from './harness/report.js';
import { discoverSuites, type Suite } from './harness/suites.js';

const USAGE = `pnpm bench [suite...] [--update-baseline] [--no-gate] [--reruns N]

  suite...            only these suites (folders of benchmarks/src); default: all
  --update-baseline   accept this run: write benchmarks/baseline.json, append a line to
                      benchmarks/history.ndjson, regenerate docs/benchmarks.md
  --no-gate           measure and print only; never fail on the baseline
  --reruns N          re-runs of a suite whose case regressed, before judging (default 2:
                      the case's figure is then the median of 3 runs)`;

interface Args {
  only: string[];
  update: boolean;
  gate: boolean;
  reruns: number;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { only: [], update: false, gate: true, reruns: 2 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--update-baseline') args.update = true;
    else if (a === '--no-gate') args.gate = false;
    else if (a === '--reruns') args.reruns = Number(argv[++i]);
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a}\n\n${USAGE}`);
    else args.only.push(a);
  }
  if (!(Number.isInteger(args.reruns) && args.reruns >= 0)) throw new Error('--reruns takes a whole number');
  // An odd number of runs, so that a median is one run's figures.
  if (args.reruns % 2 === 1) args.reruns++;
  return args;
}

async function runSuite(suite: Suite): Promise<BenchResult[]> {
  process.stderr.write(`[bench] ${suite.name} ...\n`);
  const warn = (m: string) => process.stderr.write(`[bench] note: ${m}\n`);
  return (await suite.run()).map((r) => normalize(r, warn));
}

/**
 * `pnpm bench`: runs the suites, compares each ratio with benchmarks/baseline.json, re-runs the
 * suites of regressed cases, prints one table, writes benchmarks/results/latest.json, and fails
 * (exit code 1) when a case is still past its tolerance. Tunables of the micro suites:
 * BENCH_TIME_MS (time per task per round, default 100), BENCH_ROUNDS (default 11).
 */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const all = await discoverSuites(paths.src);
  const suites = all.filter((s) => args.only.length === 0 || args.only.includes(s.name));
  if (suites.length === 0) {
    throw new Error(
      `no benchmark suite matches ${args.only.join(', ')} (suites: ${all.map((s) => s.name).join(', ')})`,
    );
  }
  const baseline = readBaseline(paths.baseline);
  const runs = new Map<string, BenchResult[]>();
  const suiteOf = new Map<string, Suite>();
  for (const suite of suites) {
    for (const r of await runSuite(suite)) {
      if (runs.has(r.name)) throw new Error(`two cases are named "${r.name}"`);
      runs.set(r.name, [r]);
      suiteOf.set(r.name, suite);
    }
  }

  const judgeAll = () => [...runs.values()].map((rs) => gateRow(rs, args.gate ? baseline : undefined));
  let rows: GateRow[] = judgeAll();
  if (args.gate && !args.update) {
    const failing = new Set(rows.filter((r) => r.verdict === 'REGRESSED').map((r) => r.name));
    const toRerun = new Set([...failing].map((name) => suiteOf.get(name) as Suite));
    for (const suite of toRerun) {
      for (let i = 0; i < args.reruns; i++) {
        process.stderr.write(`[bench] re-running ${suite.name} (a case regressed; run ${i + 2})\n`);
        for (const r of await runSuite(suite)) if (failing.has(r.name)) runs.get(r.name)?.push(r);
      }
    }
    rows = judgeAll();
  }

  console.log(formatTable(rows));
  writeReport(paths.latest, rows);
  console.log(`\nwritten to ${paths.latest}`);

  if (args.update) {
    const results = rows.map(({ name, unit, value, reference, ratio }) => ({
      name,
      unit,
      value,
      reference,
      ratio,
    }));
    const accepted = acceptResults(baseline, results, {
      recordedAt: new Date().toISOString(),
      commit: currentCommit(paths.root),
      machine: {
        node: process.version,
        cpu: cpus()[0]?.model ?? 'unknown',
        cpus: cpus().length,
        loadAverage: Number((loadavg()[0] ?? 0).toFixed(2)),
      },
    });
    writeBaseline(paths.baseline, accepted);
    appendHistory(
      paths.history,
      accepted,
      results.map((r) => r.name),
    );
    writeBenchmarksDoc();
    console.log(`baseline accepted: ${paths.baseline}, ${paths.history}, ${paths.doc}`);
    return;
  }
  if (!args.gate) return;
  if (baseline === undefined) {
    console.log('no baseline yet: `pnpm bench --update-baseline` records one');
    return;
  }
  const missing = missingCases(
    baseline,
    rows,
    suites.map((s) => s.name),
  );
  for (const name of missing) console.log(`warning: "${name}" is in the baseline but was not measured`);
  const faster = rows.filter((r) => r.verdict === 'faster');
  if (faster.length > 0)
    console.log(`${faster.length} case(s) faster than the baseline: accept with --update-baseline`);
  const regressed = rows.filter((r) => r.verdict === 'REGRESSED');
  if (regressed.length > 0) {
    console.log(`\n${regressed.length} case(s) REGRESSED past their tolerance after re-runs:`);
    for (const r of regressed)
      console.log(
        `  ${r.name}: ${r.ratio.toFixed(2)}x (runs ${r.runs.map((x) => x.toFixed(2)).join(', ')}) vs ${r.baseline?.toFixed(2)}x +${Math.round((r.tolerance ?? 0) * 100)}%`,
      );
    process.exitCode = 1;
  } else console.log('\ngate: every case within its tolerance');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
