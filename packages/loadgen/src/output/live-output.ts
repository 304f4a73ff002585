import type { Aggregate } from '../metrics/aggregate.js';
import type { Summary } from '../summary/summary.js';

/** One merged metrics interval of a run, as every live output receives it. */
export interface IntervalPoint {
  /** 0-based interval number. */
  seq: number;
  /** Wall-clock end of the interval (epoch ms). */
  endEpochMs: number;
  /** Time since the test started at the end of the interval (ms). */
  elapsedMs: number;
  /** Length of a metrics interval (ms); counters divided by it give the interval's rates. */
  intervalMs: number;
  /** The interval's own samples (not cumulative), merged over every worker. */
  agg: Aggregate;
}

/** What an output knows of the run before its first interval. */
export interface RunInfo {
  scenarioFile: string;
  startedAt: string;
  /** When the scheduled load ends (ms after the start), graceful stops excluded. */
  scheduledEndMs: number;
  intervalMs: number;
  /**
   * The part of the test this process runs (`--segment I/N`, 0-based index): outputs of several
   * processes that write to one place (a Prometheus) tell their series apart by it.
   */
  segment?: { index: number; count: number };
  /**
   * Tagged series keys that are sums over tag sets, not tag sets: the thresholds' tag filters
   * (`ws_cmd_duration{scenario:login}`). With `checks{check:<name>}` they sit beside the full tag
   * sets in every interval; an output that adds series up leaves them out.
   */
  selectorKeys?: readonly string[];
}

/**
 * A `--out KIND[=TARGET]` output, or a program's own (`runTest({ outputs: [{ interval(p) {…} }] })`).
 * runTest starts them all after setup(), hands each interval to every one in order and gives them
 * the summary at the end; whoever made them closes them (the CLI does, after the summary).
 * An output must not throw from `interval` (it runs on the coordinator's timer): it records its
 * own failure and reports it from `close`.
 */
export interface LiveOutput {
  /** Called once before the first interval (a server binds its port here). */
  start?(info: RunInfo): Promise<void>;
  interval(point: IntervalPoint): void;
  /** Called with the end-of-test summary (after thresholds), before `close`. */
  end?(summary: Summary): Promise<void>;
  /** Flushes and releases what the output holds; rejects with its failure, if it had one. */
  close?(): Promise<void>;
}
