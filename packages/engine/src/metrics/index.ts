export {
  aggregateMetrics,
  aggregateRegistry,
  collectThreadMetrics,
  type ThreadMetricsSnapshot,
} from './aggregate-metrics.js';
export {
  ExpositionParseError,
  type MetricFamily,
  parseExposition,
  type Sample,
  sampleValue,
} from './parse-exposition.js';
export {
  Buckets,
  createThreadMetrics,
  ENGINE_METRIC_NAMES,
  type ThreadMetrics,
  type ThreadMetricsOptions,
} from './thread-metrics.js';
