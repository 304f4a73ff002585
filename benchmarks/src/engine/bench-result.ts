/** One benchmark figure, compared to a reference measured in the same run (BRIEF.md). */
export interface BenchResult {
  name: string;
  unit: string;
  value: number;
  reference: number;
  /** value / reference: machine-independent, what a regression gate compares. */
  ratio: number;
}
