/**
 * @leviathan/loadgen: a native Node load generator for Leviathan (and any WebSocket JSON-lines or
 * HTTP server). Scenarios in TypeScript, k6's options shape, open and closed models, HDR latency
 * without coordinated omission, thresholds, baselines, merged histograms across workers and
 * processes. The CLI is `leviathan-load`; this module is its programmatic API.
 */
export { main as runCli, parseSegment } from './cli/main.js';
export type { HttpRequestOptions, HttpResponse } from './client/http-client.js';
export { HttpClient } from './client/http-client.js';
export type { ConnectOptions, RequestOptions, WaitOptions } from './client/session-options.js';
export { WsSession } from './client/ws-session.js';
export * from './errors.js';
export { ExitCode } from './exit-codes.js';
export { Aggregate } from './metrics/aggregate.js';
export { addEncoded, createHistogram, decodeHistogram, encodeHistogram } from './metrics/histogram.js';
export type {
  MetricsSnapshot,
  MetricType,
  SeriesSnapshot,
  SeriesValues,
  TrendStats,
} from './metrics/types.js';
export { formatDuration, parseDuration } from './options/duration.js';
export { loopbackAddresses, normalizeOptions } from './options/normalize.js';
export type { ExecutionOverrides } from './options/overrides.js';
export type { ScenarioPlan, TestPlan, ThresholdPlan } from './options/plan.js';
export type * from './options/types.js';
export { renderJunit } from './output/junit.js';
export type { IntervalPoint, LiveOutput, RunInfo } from './output/live-output.js';
export { NdjsonWriter } from './output/ndjson.js';
export { Progress, type ProgressMode } from './output/progress.js';
export {
  DEFAULT_REMOTE_WRITE_URL,
  defaultTestId,
  PrometheusRemoteWrite,
  type PrometheusRemoteWriteOptions,
  REMOTE_WRITE_ENV,
} from './output/remote-write/prometheus-rw.js';
export { renderSummaryTable } from './output/summary-table.js';
export { HtmlReport } from './output/web-dashboard/html-report.js';
export { WebDashboard, type WebDashboardOptions } from './output/web-dashboard/web-dashboard.js';
export type { SummaryData, SummaryOutputs } from './runner/handle-summary.js';
export type { SetupFn, TeardownFn } from './runner/lifecycle.js';
export { loadPlan, type RunTestOptions, runTest, type TestResult } from './runner/run-test.js';
export { ArrivalSchedule, rampValueAt, vusAt } from './schedule/ramp.js';
export {
  type BaselineCheck,
  type BaselineTolerances,
  compareWithBaseline,
  DEFAULT_TOLERANCES,
} from './summary/baseline.js';
export { mergeSummaries } from './summary/merge.js';
export { readSummary } from './summary/read-summary.js';
export type { Summary, SummaryMetric } from './summary/summary.js';
export { type ThresholdResult, Thresholds } from './thresholds/evaluate.js';
export { parseThreshold } from './thresholds/parse.js';
export type { VuCounter, VuGauge, VuMetrics, VuRate, VuTrend } from './vu/vu.js';
export { Vu } from './vu/vu.js';

import type { Options } from './options/types.js';
/** Identity helper that types a scenario's options: `export const options = defineOptions({...})`. */
export function defineOptions(options: Options): Options {
  return options;
}
