export { writeFileAtomic } from './atomic-write.js';
export {
  type CallOptions,
  type MatchOptions,
  PrometheusClient,
  type PrometheusClientOptions,
  type PromTime,
  type QueryOptions,
  type RangeQueryOptions,
  withoutName,
} from './client.js';
export * from './errors.js';
export {
  type FileSdTargetGroup,
  formatFileSdTargets,
  validateFileSdGroups,
  writeFileSdTargets,
} from './file-sd.js';
export {
  eq,
  escapeLabelValue,
  escapeRegex,
  isLabelName,
  isMetricName,
  type LabelMatcher,
  type MatchOp,
  ne,
  nre,
  oneOf,
  quoteLabelValue,
  re,
  selector,
} from './promql.js';
export {
  ENGINE_JOB_NAME,
  type EngineNode,
  type EngineScrapeOptions,
  engineScrapeConfig,
  engineTargetGroups,
  formatPrometheusConfig,
  type PrometheusConfigOptions,
  type ScrapeConfig,
  targetAddress,
} from './scrape-config.js';
export type * from './types.js';
export { formatSampleValue, parseSampleValue } from './values.js';
