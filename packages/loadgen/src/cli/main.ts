import { parseArgs } from 'node:util';
import {
  InvalidDurationError,
  InvalidOptionsError,
  InvalidThresholdError,
  LifecycleTimeoutError,
  LoadgenError,
  OpenFilesLimitError,
  ScenarioLoadError,
  SetupFailedError,
  UsageError,
} from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { parseDuration } from '../options/duration.js';
import { Progress } from '../output/progress.js';
import { renderSummaryTable } from '../output/summary-table.js';
import type { SummaryOutputs } from '../runner/handle-summary.js';
import { runTest } from '../runner/run-test.js';
import { type BaselineCheck, type BaselineTolerances, compareWithBaseline } from '../summary/baseline.js';
import { mergeSummaries } from '../summary/merge.js';
import { readSummary } from '../summary/read-summary.js';
import type { Summary } from '../summary/summary.js';
import { executionOverrides, parseEnvFlags } from './execution-flags.js';
import { parseLocalIps } from './local-ips.js';
import {
  closeLiveOutputs,
  makeLiveOutputs,
  type OutputTargets,
  parseOutFlags,
  writeEndOutputs,
  writeSummaryOutputs,
} from './outputs.js';

export const USAGE = `leviathan-load — the Leviathan load generator

usage:
  leviathan-load run <scenario.ts> [flags]      run a test
  leviathan-load merge <a.json> <b.json>... [flags]
                                                merge the summaries of several generator processes

flags:
  -u, --vus N              VUs (with --duration or --iterations, or the scenario's own shortcut)
  -d, --duration D         run constant-vus for D, replacing the scenarios (k6's flag)
  -i, --iterations N       run N shared iterations, replacing the scenarios (k6's flag)
  -e, --env K=V            set K in the environment (process.env, vu.env); repeatable
  --workers N              worker threads (default: every core, at most one per VU)
  --segment I/N            run the I-th of N equal parts (1-based), one per process or machine
  --local-ips LIST         source addresses of the VUs' sockets: IPs, ranges A-B, CIDRs, comma-separated
  --summary-export FILE    write the summary JSON (mergeable; input of merge and --baseline)
  --out json=FILE          write an NDJSON time series, one line per metric per interval
  --out prometheus-rw[=URL]
                           send each interval to Prometheus remote write (default
                           http://localhost:9090/api/v1/write; series, labels: docs/loadgen.md)
  --out junit=FILE         write JUnit XML (thresholds and baseline checks as test cases)
  --out web-dashboard[=HOST:PORT]
                           plot the run live in a browser (default 127.0.0.1:5665; port 0: any free)
  --out html=FILE          write a self-contained HTML report: the dashboard's plots and the summary
  --baseline FILE          compare with an earlier summary; exit 98 on a regression
  --tolerance K=V,...      baseline tolerances: latency=0.2,latencyFloorMs=1,rate=0.01,throughput=0.2
  --interval DURATION      metrics interval (default 1s)
  --progress MODE          tty, plain or none (default: tty in a terminal, else plain)
  --ignore-fd-limit        run although the open-files limit is too low
  --quiet                  no summary table
  -h, --help               this text

exit codes: 0 ok, 2 usage, 98 baseline regression, 99 thresholds failed, 100 setup timeout,
101 teardown timeout, 104 invalid config, 105 interrupted, 107 scenario, setup or teardown error
or crashed worker (docs/loadgen.md)
`;

/** Runs the CLI; returns the exit code (the bin calls process.exit with it). */
export async function main(
  argv: readonly string[],
  io = { out: process.stdout, err: process.stderr },
): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    io.err.write(`leviathan-load: ${e instanceof Error ? e.message : String(e)}\n`);
    if (e instanceof UsageError) {
      io.err.write(`\n${USAGE}`);
      return ExitCode.Usage;
    }
    if (
      e instanceof InvalidOptionsError ||
      e instanceof InvalidThresholdError ||
      e instanceof InvalidDurationError ||
      e instanceof OpenFilesLimitError
    ) {
      return ExitCode.InvalidConfig;
    }
    if (e instanceof LifecycleTimeoutError) return ExitCode.SetupTimeout;
    if (e instanceof ScenarioLoadError || e instanceof SetupFailedError) return ExitCode.ScriptError;
    if (e instanceof LoadgenError) return ExitCode.InvalidConfig;
    return ExitCode.ScriptError;
  }
}

async function dispatch(
  argv: readonly string[],
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream },
): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    throw e instanceof UsageError ? e : new UsageError(e instanceof Error ? e.message : String(e));
  }
  const { values, positionals } = parsed;
  if (values.help === true || positionals.length === 0) {
    io.out.write(USAGE);
    return positionals.length === 0 && values.help !== true ? ExitCode.Usage : ExitCode.Ok;
  }
  const [command, ...files] = positionals;
  const outFlags = parseOutFlags(values.out ?? []);
  const targets: OutputTargets = {
    ...outFlags.end,
    ...(values['summary-export'] === undefined ? {} : { summary: values['summary-export'] }),
  };
  const tolerances = parseTolerances(values.tolerance);
  const baseline = values.baseline === undefined ? undefined : await readSummary(values.baseline);

  let summary: Summary;
  let exit: number = ExitCode.Ok;
  let handled: SummaryOutputs | undefined;
  if (command === 'run') {
    if (files.length !== 1) throw new UsageError('run takes one scenario file');
    const mode = values.progress ?? ((io.err as NodeJS.WriteStream).isTTY ? 'tty' : 'plain');
    if (mode !== 'tty' && mode !== 'plain' && mode !== 'none')
      throw new UsageError('--progress is tty, plain or none');
    const outputs = makeLiveOutputs(outFlags);
    const intervalMs = values.interval === undefined ? 1000 : parseDuration(values.interval);
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const result = await runTest({
        scenario: files[0] as string,
        ...(values.workers === undefined ? {} : { workers: positiveInt(values.workers, '--workers') }),
        ...(values.segment === undefined ? {} : { segment: parseSegment(values.segment) }),
        intervalMs,
        ignoreFdLimit: values['ignore-fd-limit'] === true,
        progress: new Progress(mode, io.err),
        onWarning: (m) => io.err.write(`warning: ${m}\n`),
        signal: stop.signal,
        overrides: {
          ...executionOverrides(values),
          ...(values['local-ips'] === undefined
            ? {}
            : { localAddresses: parseLocalIps(values['local-ips']) }),
        },
        env: parseEnvFlags(values.env ?? []),
        outputs,
      });
      summary = result.summary;
      handled = result.summaryOutputs;
      if (result.crashed) exit = ExitCode.ScriptError;
      else if (result.teardownError !== undefined)
        exit =
          result.teardownError instanceof LifecycleTimeoutError
            ? ExitCode.TeardownTimeout
            : ExitCode.ScriptError;
      else if (result.interrupted) exit = ExitCode.Interrupted;
      else if (result.thresholdsFailed) exit = ExitCode.ThresholdsFailed;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await closeLiveOutputs(outputs);
    }
  } else if (command === 'merge') {
    if (files.length < 1) throw new UsageError('merge takes one or more summary files');
    if (outFlags.live.length > 0)
      throw new UsageError(`--out ${outFlags.live[0]?.kind}: merge has no time series, only run writes it`);
    summary = mergeSummaries(await Promise.all(files.map(readSummary)));
    if (summary.thresholds.some((t) => !t.ok)) exit = ExitCode.ThresholdsFailed;
  } else {
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }

  const checks: BaselineCheck[] =
    baseline === undefined ? [] : compareWithBaseline(summary, baseline, tolerances);
  if (exit === ExitCode.Ok && checks.some((c) => !c.ok)) exit = ExitCode.BaselineRegression;
  // handleSummary's `stdout` replaces the table; its files are written after the default ones,
  // so a path it shares with --summary-export or --out is its own.
  if (values.quiet !== true && handled?.stdout === undefined)
    io.out.write(renderSummaryTable(summary, checks));
  await writeEndOutputs(targets, summary, checks);
  if (handled !== undefined) await writeSummaryOutputs(handled, io);
  return exit;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      workers: { type: 'string' },
      segment: { type: 'string' },
      'local-ips': { type: 'string' },
      'summary-export': { type: 'string' },
      out: { type: 'string', multiple: true },
      baseline: { type: 'string' },
      tolerance: { type: 'string' },
      interval: { type: 'string' },
      progress: { type: 'string' },
      'ignore-fd-limit': { type: 'boolean' },
      vus: { type: 'string', short: 'u' },
      duration: { type: 'string', short: 'd' },
      iterations: { type: 'string', short: 'i' },
      env: { type: 'string', short: 'e', multiple: true },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function positiveInt(s: string, flag: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer`);
  return n;
}

/** `--segment 2/3` → { index: 1, count: 3 }. */
export function parseSegment(s: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(s);
  const i = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (m === null || n < 1 || i < 1 || i > n)
    throw new UsageError(`--segment ${s}: expected I/N with 1 ≤ I ≤ N, such as 1/3`);
  return { index: i - 1, count: n };
}

function parseTolerances(s: string | undefined): Partial<BaselineTolerances> {
  if (s === undefined) return {};
  const out: Partial<BaselineTolerances> = {};
  for (const part of s.split(',')) {
    const [k, v] = part.split('=');
    const n = Number(v);
    if (
      !['latency', 'latencyFloorMs', 'rate', 'throughput'].includes(k ?? '') ||
      !Number.isFinite(n) ||
      n < 0
    ) {
      throw new UsageError(
        `--tolerance ${part}: expected latency=, latencyFloorMs=, rate= or throughput= with a number >= 0`,
      );
    }
    out[k as keyof BaselineTolerances] = n;
  }
  return out;
}
