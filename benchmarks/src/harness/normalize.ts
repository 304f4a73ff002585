import { type BenchResult, ratioOf } from '../bench-result.js';

/**
 * Every ratio means the same thing in the gate: above 1 is worse than the reference. Suites
 * written before the gate (engine, loadgen) report some ratios the other way round (a rate as
 * value / reference, memory as reference / value); the runner recomputes each ratio from its
 * unit, value and reference, and says so once per case, so the baseline never mixes conventions.
 */
export function normalize(result: BenchResult, warn: (message: string) => void): BenchResult {
  if (!(Number.isFinite(result.value) && Number.isFinite(result.reference) && result.reference > 0)) {
    throw new Error(
      `${result.name}: not a measurement (value ${result.value}, reference ${result.reference})`,
    );
  }
  const ratio = ratioOf(result.unit, result.value, result.reference);
  // 1 %: suites that round their values (to whole bytes, say) report ratios a hair off.
  if (Math.abs(ratio - result.ratio) > 0.01 * ratio) {
    warn(
      `${result.name}: ratio ${result.ratio.toPrecision(3)} reported, ${ratio.toPrecision(3)} by the convention (above 1 = worse than the reference): using the latter`,
    );
  }
  return { ...result, ratio };
}
