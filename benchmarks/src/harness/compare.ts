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
   * Rounds of (reference, subject): the reported ratio is the median of the rounds' ratios, so one
   * round disturbed by another process on the machine does not decide the figure.
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

/** Mean time of one task in nanoseconds per operation. */
function nsPerOp(bench: Bench, index: number): number {
  const task = bench.tasks[index];
  const result = task?.result;
  if (!result || (result.state !== 'completed' && result.state !== 'aborted-with-statistics')) {
    const error = result && result.state === 'errored' ? result.error : undefined;
    throw new Error(`benchmark task ${task?.name ?? index} did not complete`, { cause: error });
  }
  return result.latency.mean * 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
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
  const toUnit = (nsPerCall: number) => {
    const ns = nsPerCall / ops;
    return options.bytesPerOp === undefined ? ns : options.bytesPerOp / 1e6 / (ns / 1e9);
  };
  const values: number[] = [];
  const references: number[] = [];
  const ratios: number[] = [];
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
    const reference = toUnit(nsPerOp(bench, refIndex));
    const value = toUnit(nsPerOp(bench, 1 - refIndex));
    values.push(value);
    references.push(reference);
    ratios.push(ratioOf(unit, value, reference));
  }
  const result: BenchResult = {
    name: options.name,
    unit,
    value: median(values),
    reference: median(references),
    ratio: median(ratios),
  };
  if (options.aim !== undefined) result.aim = options.aim;
  return result;
}
