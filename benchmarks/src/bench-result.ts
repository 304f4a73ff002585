/**
 * One benchmark figure. Every suite returns these (`run...Benchmarks(): Promise<BenchResult[]>`).
 * `value` and `reference` are measured in the same run, the same way, in `unit`; `ratio` is the
 * cost of the subject relative to the reference, so that above 1 always means "slower than the
 * reference" whatever the unit: `value / reference` for times, `reference / value` for rates.
 * Machines differ; ratios measured in one run compare across them, absolute values do not.
 */
export interface BenchResult {
  /** `suite: case (vs reference)`, for example `protocol: decode+validate cmd (vs JSON.parse)`. */
  name: string;
  /** `ns/op` (lower is better) or a rate such as `MB/s` or `ops/s` (higher is better). */
  unit: string;
  /** The subject's figure, in `unit`. */
  value: number;
  /** The reference's figure, in `unit`, measured in the same run. */
  reference: number;
  /** Cost relative to the reference: 1.25 means 25 % slower than the reference. */
  ratio: number;
  /** The ratio the subject aims to stay within, where there is one (for display only). */
  aim?: number;
  /**
   * How `pnpm bench` judges this case (default `baseline`):
   * - `baseline`: fails when the ratio exceeds the accepted baseline's by more than its tolerance;
   * - `budget`: the reference is a fixed budget (a requirement, not a measurement) and the case
   *   fails when the value exceeds it (ratio above 1), whatever the baseline;
   * - `info`: informational, printed, recorded in the baseline, history and docs, never failing.
   *   For a figure whose reference is not comparable: a throughput the engine caps at its tick
   *   rate against an uncapped echo server, a reference too small to measure steadily.
   */
  gate?: GateKind;
  /** Why a case is `info` or `budget`: one sentence, shown in docs/benchmarks.md. */
  gateReason?: string;
}

export type GateKind = 'baseline' | 'budget' | 'info';

/**
 * Units that are rates (`MB/s`, `rt/s`, `msg/s/core`): for them a higher value is better and the
 * ratio is inverted. Everything else (`ns/op`, `µs`, `bytes`, `ms`) is a cost.
 */
export function isRate(unit: string): boolean {
  return /\/s(\/|$)/.test(unit);
}

export function ratioOf(unit: string, value: number, reference: number): number {
  return isRate(unit) ? reference / value : value / reference;
}
