import { cpus, loadavg } from 'node:os';
import { relative } from 'node:path';
import type { BenchResult } from './bench-result.js';
import { acceptRuns, writeBaseline } from './harness/baseline.js';
import { writeBenchmarksDoc } from './harness/docs.js';
import { type GateRow, gateRow, isFailing, median, missingCases } from './harness/gate.js';
import { currentCommit } from './harness/git-commit.js';
import { appendHistory } from './harness/history.js';
import { baselineForLine } from './harness/node-line.js';
import { normalize } from './harness/normalize.js';
import { paths } from './harness/paths.js';
import { formatTable, writeReport } from './harness/report.js';
import { discoverSuites, type Suite } from './harness/suites.js';
import { SPREAD_FACTOR, TOLERANCE_FLOOR, TOO_NOISY } from './harness/tolerance.js';

const USAGE = `pnpm bench [suite...] [--update-baseline] [--runs N] [--no-gate] [--reruns N]

  suite...            only these suites (folders of benchmarks/src); default: all
  --update-baseline   record a baseline: run every suite --runs times (interleaved: all suites,
                      then all again), keep per case the median ratio and the range of the runs,
                      derive each tolerance from that range, write benchmarks/baseline.json,
                      append a line to benchmarks/history.ndjson, regenerate docs/benchmarks.md;
                      on a Node line other than baseline.json's, write only
                      benchmarks/baseline-node<major>.json (runs are judged against it there)
  --runs N            runs of every suite before judging or recording (odd; default 5 with
                      --update-baseline, else 1); each case's figure is its median run
  --no-gate           measure and print only; never fail on the baseline
  --reruns N          re-runs of a suite whose case failed, before judging (default 2: with one
                      run, the case's figure is then the median of 3 runs)`;

interface Args {
  only: string[];
  update: boolean;
  gate: boolean;
  runs: number | undefined;
  reruns: number;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { only: [], update: false, gate: true, runs: undefined, reruns: 2 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--update-baseline') args.update = true;
    else if (a === '--no-gate') args.gate = false;
    else if (a === '--runs') args.runs = Number(argv[++i]);
    else if (a === '--reruns') args.reruns = Number(argv[++i]);
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a}\n\n${USAGE}`);
    else args.only.push(a);
  }
  if (!(Number.isInteger(args.reruns) && args.reruns >= 0)) throw new Error('--reruns takes a whole number');
  if (args.runs !== undefined && !(Number.isInteger(args.runs) && args.runs >= 1))
    throw new Error('--runs takes a whole number from 1');
  // Odd numbers of runs, so that a median is one run's figures.
  if (args.reruns % 2 === 1) args.reruns++;
  if (args.runs !== undefined && args.runs % 2 === 0) args.runs++;
  return args;
}

/** Suites that threw, with their error: reported at the end, and the run fails. */
const suiteErrors: Array<{ suite: string; error: unknown }> = [];

/**
 * One run of a suite. A suite that throws (a server that would not start, a machine too busy for
 * the load asked of it) gives no figures this time; its error is kept for the end, so that the
 * other suites' figures are still judged, printed and written.
 */
async function runSuite(suite: Suite, label = ''): Promise<BenchResult[]> {
  process.stderr.write(`[bench] ${suite.name}${label} ... (load average ${loadavg()[0]?.toFixed(2)})\n`);
  const warn = (m: string) => process.stderr.write(`[bench] note: ${m}\n`);
  try {
    return (await suite.run()).map((r) => normalize(r, warn));
  } catch (error) {
    process.stderr.write(
      `[bench] ${suite.name} failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    suiteErrors.push({ suite: suite.name, error });
    return [];
  }
}

/**
 * `pnpm bench`: runs the suites, judges each case (against benchmarks/baseline.json, against its
 * budget, or not at all for informational cases), re-runs the suites of failed cases, prints one
 * table, writes benchmarks/results/latest.json, and fails (exit code 1) when a case is still past
 * its tolerance or budget. With --update-baseline, records the baseline from several interleaved
 * runs instead (baseline.ts, tolerance.ts). Tunables of the micro suites:
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
  const line = baselineForLine(paths.baseline);
  const { baseline } = line;
  process.stderr.write(`[bench] Node ${line.major}: judged against ${relative(paths.root, line.path)}\n`);
  const runCount = args.runs ?? (args.update ? 5 : 1);
  const runs = new Map<string, BenchResult[]>();
  const suiteOf = new Map<string, Suite>();
  const loadAverages: number[] = [];
  // Interleaved: every suite once, then every suite again, so a slow drift of the machine's load
  // spreads over all suites' runs instead of deciding one suite's.
  for (let run = 1; run <= runCount; run++) {
    const label = runCount > 1 ? ` (run ${run} of ${runCount})` : '';
    for (const suite of suites) {
      const seen = new Set<string>();
      for (const r of await runSuite(suite, label)) {
        if (seen.has(r.name) || (run === 1 && runs.has(r.name)))
          throw new Error(`two cases are named "${r.name}"`);
        seen.add(r.name);
        const list = runs.get(r.name);
        if (list === undefined) runs.set(r.name, [r]);
        else list.push(r);
        suiteOf.set(r.name, suite);
      }
    }
    loadAverages.push(Number((loadavg()[0] ?? 0).toFixed(2)));
  }
  const judgeAll = () => [...runs.values()].map((rs) => gateRow(rs, args.gate ? baseline : undefined));
  let rows: GateRow[] = judgeAll();
  if (args.gate && !args.update) {
    const failing = new Set(rows.filter((r) => isFailing(r.verdict)).map((r) => r.name));
    const toRerun = new Set([...failing].map((name) => suiteOf.get(name) as Suite));
    for (const suite of toRerun) {
      const cases = rows.filter((r) => failing.has(r.name) && suiteOf.get(r.name) === suite);
      for (let i = 0; i < args.reruns; i++) {
        process.stderr.write(
          `[bench] re-running ${suite.name} (run ${runCount + i + 1}): ${cases.map((r) => `${r.verdict} ${r.name} ${r.ratio.toFixed(2)}x`).join('; ')}\n`,
        );
        for (const r of await runSuite(suite)) if (failing.has(r.name)) runs.get(r.name)?.push(r);
      }
    }
    rows = judgeAll();
  }

  console.log(formatTable(rows));
  writeReport(paths.latest, rows);
  console.log(`\nwritten to ${paths.latest} (load average after each run: ${loadAverages.join(', ')})`);

  if (suiteErrors.length > 0) {
    console.log(`\n${suiteErrors.length} suite run(s) failed, so their figures are missing:`);
    for (const { suite, error } of suiteErrors)
      console.log(`  ${suite}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
    if (args.update) {
      console.log('baseline not recorded: a recording needs every run of every suite');
      return;
    }
  }

  if (args.update) {
    const accepted = acceptRuns(baseline, [...runs.values()], {
      recordedAt: new Date().toISOString(),
      commit: currentCommit(paths.root),
      machine: {
        node: process.version,
        cpu: cpus()[0]?.model ?? 'unknown',
        cpus: cpus().length,
        loadAverage: median(loadAverages),
        ...(loadAverages.length > 1 ? { loadAverages } : {}),
      },
    });
    writeBaseline(line.path, accepted);
    // History and docs/benchmarks.md follow the main line's baseline only.
    if (line.main) {
      appendHistory(paths.history, accepted, [...runs.keys()]);
      writeBenchmarksDoc();
    }
    const written = line.main ? `${line.path}, ${paths.history}, ${paths.doc}` : line.path;
    console.log(
      `baseline accepted from ${runCount} run(s): ${written}\n` +
        `tolerance = max(floor of the kind ${JSON.stringify(TOLERANCE_FLOOR)}, ${SPREAD_FACTOR} × (max − min) / median), unless set by hand`,
    );
    if (runCount === 1)
      console.log('warning: recorded from one run: tolerances are the floors; record with --runs 5');
    for (const name of runs.keys()) {
      const c = accepted.cases[name];
      if (c?.tolerance !== undefined && c.tolerance > TOO_NOISY)
        console.log(
          `warning: "${name}" varied ${c.min}–${c.max} over ${c.runs} runs: tolerance +${Math.round(c.tolerance * 100)}% cannot catch a doubling; steady its measurement`,
        );
    }
    return;
  }
  if (!args.gate) return;
  if (baseline === undefined)
    console.log(
      `no baseline for Node ${line.major} yet (${relative(paths.root, line.path)}): \`pnpm bench --update-baseline\` records one`,
    );
  const missing = missingCases(
    baseline,
    rows,
    suites.map((s) => s.name),
  );
  for (const name of missing) console.log(`warning: "${name}" is in the baseline but was not measured`);
  const faster = rows.filter((r) => r.verdict === 'faster');
  if (faster.length > 0)
    console.log(`${faster.length} case(s) faster than the baseline: accept with --update-baseline`);
  const failed = rows.filter((r) => isFailing(r.verdict));
  if (failed.length > 0) {
    console.log(`\n${failed.length} case(s) failed after re-runs:`);
    for (const r of failed) {
      const limit =
        r.verdict === 'OVER BUDGET'
          ? `its budget ${r.reference} ${r.unit} (1.00x)`
          : `${r.baseline?.toFixed(2)}x +${Math.round((r.tolerance ?? 0) * 100)}%`;
      console.log(
        `  ${r.verdict} ${r.name}: ${r.ratio.toFixed(2)}x (runs ${r.runs.map((x) => x.toFixed(2)).join(', ')}) vs ${limit}`,
      );
    }
    process.exitCode = 1;
  } else console.log('\ngate: every gated case within its tolerance or budget');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
