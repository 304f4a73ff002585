import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** One counted case: steady-state instructions per operation of each side, and their ratio. */
export interface CountedFigure {
  subject: number;
  reference: number;
  ratio: number;
  /**
   * Fraction by which the ratio may grow before the gate fails: the counts are repeatable to about
   * 0.01 %, so this only leaves room for V8 heuristics (inlining budgets) that unrelated changes
   * can shift.
   * @default 0.1
   */
  tolerance: number;
}

/** benchmarks/baseline-instructions.json */
export interface CountedBaseline {
  recordedAt: string;
  commit: string;
  node: string;
  cases: Record<string, CountedFigure>;
}

export const COUNTED_TOLERANCE = 0.1;

export function readCountedBaseline(path: string): CountedBaseline | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as CountedBaseline) : undefined;
}

export function writeCountedBaseline(path: string, baseline: CountedBaseline): void {
  writeFileSync(path, `${JSON.stringify(baseline, null, 2)}\n`);
}
