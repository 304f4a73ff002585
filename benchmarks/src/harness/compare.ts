import { Bench } from 'tinybench';
import { type BenchResult, ratioOf } from '../bench-result.js';

export interface CompareOptions {
  /** `suite: case (vs reference)`. */
  name: string;
  /** The code under test: one operation. */
  subject: () => unknown;
  /** The bare baseline doing the same job: one operation. */
  reference: () => unknown;
  /**
   * Bytes processed per operation: when set, figures are in MB/s instead of ns/op.
   * @default undefined
   */
  bytesPerOp?: number;
  /**
   * Operations per timed call: the functions are called this many times in a loop per sample, so
   * that the timer's own cost (tens of ns) does not dilute a ratio of sub-microsecond operations
   * towards 1. Figures are per operation.
   * @default 1
   */
  opsPerCall?: number;
  /** The ratio the subject aims to stay within. */
  aim?: number;
  /**
   * Rounds of (reference, subject): the figures reported are those of the round with the median
   * ratio, so one round disturbed by another process on the machine does not decide them. Odd.
   * @default 11 (BENCH_ROUNDS)
   */
  rounds?: number;
  /**
   * Time spent on each task per round, in milliseconds.
   * @default 100 (BENCH_TIME_MS)
   */
  timeMs?: number;
}

const envNumber = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

/**
 * Median time of one call of a task, in nanoseconds. The median, not the mean: on a shared machine
 * a few samples are preempted by other processes, and a mean would charge them to the code.
 */
function nsPerCall(bench: Bench, index: number): number {
  const task = bench.tasks[index];
  const result = task?.result;
  if (!result || (result.state !== 'completed' && result.state !== 'aborted-with-statistics')) {
    const error = result && result.state === 'errored' ? result.error : undefined;
    throw new Error(`benchmark task ${task?.name ?? index} did not complete`, { cause: error });
  }
  return result.latency.p50 * 1e6;
}

function medianRow<T extends { ratio: number }>(rows: readonly T[]): T {
  const sorted = [...rows].sort((a, b) => a.ratio - b.ratio);
  return sorted[sorted.length >> 1] as T;
}

/**
 * Times a subject against its reference in the same process, interleaved over several rounds,
 * and gives one BenchResult. Callers assert correctness before calling this.
 */
export async function compare(options: CompareOptions): Promise<BenchResult> {
  const rounds = options.rounds ?? envNumber('BENCH_ROUNDS', 11);
  const time = options.timeMs ?? envNumber('BENCH_TIME_MS', 100);
  const unit = options.bytesPerOp === undefined ? 'ns/op' : 'MB/s';
  const ops = options.opsPerCall ?? 1;
  const repeat = (fn: () => unknown) =>
    ops === 1
      ? fn
      : () => {
          for (let i = 0; i < ops; i++) fn();
        };
  const subjectFn = repeat(options.subject);
  const referenceFn = repeat(options.reference);
  const toUnit = (callNs: number) => {
    const ns = callNs / ops;
    return options.bytesPerOp === undefined ? ns : options.bytesPerOp / 1e6 / (ns / 1e9);
  };
  const rows: Array<{ value: number; reference: number; ratio: number }> = [];
  for (let round = 0; round < rounds; round++) {
    // Warm up (JIT, caches) in the first round only: later rounds run already optimised code.
    // Short rounds, many of them: on a shared machine the load changes within a second, and a
    // ratio from two tasks timed 100 ms apart is steadier than one from tasks timed seconds apart.
    const bench = new Bench({
      time,
      iterations: 16,
      warmup: round === 0,
      warmupTime: 100,
      warmupIterations: 16,
      throws: true,
    });
    // Alternate the order so that neither task always runs on a warmer (or hotter) machine.
    if (round % 2 === 0) bench.add('reference', referenceFn).add('subject', subjectFn);
    else bench.add('subject', subjectFn).add('reference', referenceFn);
    await bench.run();
    const refIndex = round % 2 === 0 ? 0 : 1;
    const reference = toUnit(nsPerCall(bench, refIndex));
    const value = toUnit(nsPerCall(bench, 1 - refIndex));
    rows.push({ value, reference, ratio: ratioOf(unit, value, reference) });
  }
  // The round with the median ratio gives all three figures, so that each row is consistent.
  const mid = medianRow(rows);
  const result: BenchResult = { name: options.name, unit, ...mid };
  if (options.aim !== undefined) result.aim = options.aim;
  return result;
}
