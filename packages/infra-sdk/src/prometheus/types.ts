/** A label set, e.g. `{ __name__: 'up', job: 'leviathan-engine' }`. */
export type Labels = Readonly<Record<string, string>>;

/** Every answer of the HTTP API: the data, and the warnings and infos Prometheus attached. */
export interface PromResponse<T> {
  readonly data: T;
  /** Partial results and similar (`warnings` in the envelope); empty when there are none. */
  readonly warnings: readonly string[];
  /** Informational annotations (`infos`, Prometheus 2.45+); empty when there are none. */
  readonly infos: readonly string[];
}

/** One float sample. `time` is in Unix seconds (fractional); `value` keeps NaN and ±Infinity. */
export interface Sample {
  readonly time: number;
  readonly value: number;
}

/** A native histogram (Prometheus 2.40+), values parsed like float samples. */
export interface NativeHistogram {
  readonly count: number;
  readonly sum: number;
  /** `[boundaryRule, lower, upper, count]`; boundaryRule 0..3 tells which bounds are inclusive. */
  readonly buckets: readonly (readonly [number, number, number, number])[];
}

export interface HistogramSample {
  readonly time: number;
  readonly histogram: NativeHistogram;
}

/** One series of an instant vector: a float sample or a native histogram. */
export interface VectorSample {
  readonly metric: Labels;
  readonly time: number;
  /** undefined when the sample is a native histogram. */
  readonly value: number | undefined;
  readonly histogram: NativeHistogram | undefined;
}

export interface MatrixSeries {
  readonly metric: Labels;
  readonly values: readonly Sample[];
  readonly histograms: readonly HistogramSample[];
}

export type QueryResult =
  | { readonly resultType: 'vector'; readonly result: readonly VectorSample[] }
  | { readonly resultType: 'matrix'; readonly result: readonly MatrixSeries[] }
  | { readonly resultType: 'scalar'; readonly result: Sample }
  | { readonly resultType: 'string'; readonly result: { readonly time: number; readonly value: string } };

export type MatrixResult = Extract<QueryResult, { resultType: 'matrix' }>;

export interface ActiveTarget {
  readonly discoveredLabels: Labels;
  readonly labels: Labels;
  readonly scrapePool: string;
  readonly scrapeUrl: string;
  readonly globalUrl: string;
  readonly lastError: string;
  readonly lastScrape: string;
  /** Seconds. */
  readonly lastScrapeDuration: number;
  readonly health: 'up' | 'down' | 'unknown';
  readonly scrapeInterval: string;
  readonly scrapeTimeout: string;
}

export interface DroppedTarget {
  readonly discoveredLabels: Labels;
}

export interface Targets {
  readonly activeTargets: readonly ActiveTarget[];
  readonly droppedTargets: readonly DroppedTarget[];
}

export interface ActiveAlert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly state: 'pending' | 'firing' | 'inactive';
  readonly activeAt: string | undefined;
  /** The alert expression's value, parsed like a sample (NaN and ±Inf kept). */
  readonly value: number;
}

export interface AlertingRule {
  readonly type: 'alerting';
  readonly name: string;
  readonly query: string;
  /** The `for` duration in seconds. */
  readonly duration: number;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly alerts: readonly ActiveAlert[];
  readonly state: 'pending' | 'firing' | 'inactive';
  readonly health: string;
  readonly lastError: string | undefined;
  readonly evaluationTime: number;
  readonly lastEvaluation: string;
}

export interface RecordingRule {
  readonly type: 'recording';
  readonly name: string;
  readonly query: string;
  readonly labels: Labels;
  readonly health: string;
  readonly lastError: string | undefined;
  readonly evaluationTime: number;
  readonly lastEvaluation: string;
}

export type Rule = AlertingRule | RecordingRule;

export interface RuleGroup {
  readonly name: string;
  readonly file: string;
  /** Seconds. */
  readonly interval: number;
  readonly rules: readonly Rule[];
  readonly evaluationTime: number;
  readonly lastEvaluation: string;
}

export interface MetricMetadata {
  readonly type: string;
  readonly help: string;
  readonly unit: string;
}

export interface BuildInfo {
  readonly version: string;
  readonly revision: string;
  readonly branch: string;
  readonly buildUser: string;
  readonly buildDate: string;
  readonly goVersion: string;
}
