import { PrometheusResponseError } from './errors.js';
import type {
  ActiveAlert,
  ActiveTarget,
  BuildInfo,
  HistogramSample,
  Labels,
  MatrixSeries,
  MetricMetadata,
  NativeHistogram,
  QueryResult,
  Rule,
  RuleGroup,
  Sample,
  Targets,
  VectorSample,
} from './types.js';
import { parseSampleValue } from './values.js';

/**
 * Decoders for the `data` of each endpoint (https://prometheus.io/docs/prometheus/latest/querying/api/).
 * They check the shapes the types promise and throw PrometheusResponseError otherwise, so a
 * wrong URL (another service answering JSON) fails loudly instead of yielding undefined fields.
 */

type Json = Record<string, unknown>;

function fail(what: string, value: unknown): never {
  const text = JSON.stringify(value) ?? String(value);
  throw new PrometheusResponseError(`expected ${what}, got ${text.slice(0, 200)}`);
}

function obj(value: unknown, what: string): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : fail(what, value);
}

function arr(value: unknown, what: string): unknown[] {
  return Array.isArray(value) ? value : fail(what, value);
}

function str(value: unknown, what: string): string {
  return typeof value === 'string' ? value : fail(what, value);
}

function optStr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function num(value: unknown, what: string): number {
  return typeof value === 'number' ? value : fail(what, value);
}

export function decodeLabels(value: unknown): Labels {
  const o = obj(value ?? {}, 'a label set');
  for (const v of Object.values(o)) if (typeof v !== 'string') fail('string label values', o);
  return o as Labels;
}

export function decodeStrings(value: unknown): string[] {
  return arr(value, 'a list of strings').map((v) => str(v, 'a string'));
}

function decodeSample(value: unknown): Sample {
  const pair = arr(value, 'a [time, value] pair');
  return { time: num(pair[0], 'a sample time'), value: parseSampleValue(pair[1]) };
}

function decodeHistogram(value: unknown): NativeHistogram {
  const h = obj(value, 'a native histogram');
  const buckets = arr(h.buckets ?? [], 'histogram buckets').map((b) => {
    const bucket = arr(b, 'a histogram bucket');
    return [
      num(bucket[0], 'a bucket boundary rule'),
      parseSampleValue(bucket[1]),
      parseSampleValue(bucket[2]),
      parseSampleValue(bucket[3]),
    ] as const;
  });
  return { count: parseSampleValue(h.count), sum: parseSampleValue(h.sum), buckets };
}

function decodeHistogramSample(value: unknown): HistogramSample {
  const pair = arr(value, 'a [time, histogram] pair');
  return { time: num(pair[0], 'a sample time'), histogram: decodeHistogram(pair[1]) };
}

function decodeVectorSample(value: unknown): VectorSample {
  const s = obj(value, 'a vector sample');
  const metric = decodeLabels(s.metric);
  if (s.histogram !== undefined) {
    const h = decodeHistogramSample(s.histogram);
    return { metric, time: h.time, value: undefined, histogram: h.histogram };
  }
  const sample = decodeSample(s.value);
  return { metric, time: sample.time, value: sample.value, histogram: undefined };
}

function decodeMatrixSeries(value: unknown): MatrixSeries {
  const s = obj(value, 'a matrix series');
  return {
    metric: decodeLabels(s.metric),
    values: arr(s.values ?? [], 'matrix values').map(decodeSample),
    histograms: arr(s.histograms ?? [], 'matrix histograms').map(decodeHistogramSample),
  };
}

export function decodeQueryResult(value: unknown): QueryResult {
  const d = obj(value, 'a query result');
  switch (d.resultType) {
    case 'vector':
      return { resultType: 'vector', result: arr(d.result, 'a vector').map(decodeVectorSample) };
    case 'matrix':
      return { resultType: 'matrix', result: arr(d.result, 'a matrix').map(decodeMatrixSeries) };
    case 'scalar':
      return { resultType: 'scalar', result: decodeSample(d.result) };
    case 'string': {
      const pair = arr(d.result, 'a [time, string] pair');
      return {
        resultType: 'string',
        result: { time: num(pair[0], 'a time'), value: str(pair[1], 'a string') },
      };
    }
    default:
      return fail('resultType vector, matrix, scalar or string', d.resultType);
  }
}

export function decodeSeries(value: unknown): Labels[] {
  return arr(value, 'a list of label sets').map(decodeLabels);
}

function decodeActiveTarget(value: unknown): ActiveTarget {
  const t = obj(value, 'an active target');
  const health = str(t.health, 'a target health');
  if (health !== 'up' && health !== 'down' && health !== 'unknown') fail('up, down or unknown', health);
  return {
    discoveredLabels: decodeLabels(t.discoveredLabels),
    labels: decodeLabels(t.labels),
    scrapePool: str(t.scrapePool, 'a scrape pool'),
    scrapeUrl: str(t.scrapeUrl, 'a scrape URL'),
    globalUrl: optStr(t.globalUrl) ?? '',
    lastError: optStr(t.lastError) ?? '',
    lastScrape: optStr(t.lastScrape) ?? '',
    lastScrapeDuration: typeof t.lastScrapeDuration === 'number' ? t.lastScrapeDuration : 0,
    health,
    scrapeInterval: optStr(t.scrapeInterval) ?? '',
    scrapeTimeout: optStr(t.scrapeTimeout) ?? '',
  };
}

export function decodeTargets(value: unknown): Targets {
  const d = obj(value, 'targets');
  return {
    activeTargets: arr(d.activeTargets ?? [], 'active targets').map(decodeActiveTarget),
    droppedTargets: arr(d.droppedTargets ?? [], 'dropped targets').map((t) => ({
      discoveredLabels: decodeLabels(obj(t, 'a dropped target').discoveredLabels),
    })),
  };
}

function alertState(value: unknown): ActiveAlert['state'] {
  return value === 'pending' || value === 'firing' || value === 'inactive'
    ? value
    : fail('an alert state', value);
}

export function decodeAlert(value: unknown): ActiveAlert {
  const a = obj(value, 'an alert');
  return {
    labels: decodeLabels(a.labels),
    annotations: decodeLabels(a.annotations),
    state: alertState(a.state),
    activeAt: optStr(a.activeAt),
    value: parseSampleValue(a.value),
  };
}

export function decodeAlerts(value: unknown): ActiveAlert[] {
  return arr(obj(value, 'alerts').alerts, 'a list of alerts').map(decodeAlert);
}

function decodeRule(value: unknown): Rule {
  const r = obj(value, 'a rule');
  const common = {
    name: str(r.name, 'a rule name'),
    query: str(r.query, 'a rule query'),
    labels: decodeLabels(r.labels),
    health: optStr(r.health) ?? '',
    lastError: optStr(r.lastError),
    evaluationTime: typeof r.evaluationTime === 'number' ? r.evaluationTime : 0,
    lastEvaluation: optStr(r.lastEvaluation) ?? '',
  };
  if (r.type === 'recording') return { type: 'recording', ...common };
  if (r.type !== 'alerting') return fail('rule type alerting or recording', r.type);
  return {
    type: 'alerting',
    ...common,
    duration: typeof r.duration === 'number' ? r.duration : 0,
    annotations: decodeLabels(r.annotations),
    alerts: arr(r.alerts ?? [], 'rule alerts').map(decodeAlert),
    state: alertState(r.state ?? 'inactive'),
  };
}

export function decodeRuleGroups(value: unknown): RuleGroup[] {
  return arr(obj(value, 'rules').groups, 'rule groups').map((g) => {
    const group = obj(g, 'a rule group');
    return {
      name: str(group.name, 'a group name'),
      file: str(group.file, 'a rule file'),
      interval: typeof group.interval === 'number' ? group.interval : 0,
      rules: arr(group.rules, 'rules').map(decodeRule),
      evaluationTime: typeof group.evaluationTime === 'number' ? group.evaluationTime : 0,
      lastEvaluation: optStr(group.lastEvaluation) ?? '',
    };
  });
}

export function decodeMetadata(value: unknown): Record<string, MetricMetadata[]> {
  const d = obj(value, 'metadata');
  const out: Record<string, MetricMetadata[]> = {};
  for (const [metric, entries] of Object.entries(d)) {
    out[metric] = arr(entries, 'metadata entries').map((e) => {
      const m = obj(e, 'a metadata entry');
      return { type: str(m.type, 'a metric type'), help: optStr(m.help) ?? '', unit: optStr(m.unit) ?? '' };
    });
  }
  return out;
}

export function decodeBuildInfo(value: unknown): BuildInfo {
  const d = obj(value, 'build information');
  return {
    version: str(d.version, 'a version'),
    revision: optStr(d.revision) ?? '',
    branch: optStr(d.branch) ?? '',
    buildUser: optStr(d.buildUser) ?? '',
    buildDate: optStr(d.buildDate) ?? '',
    goVersion: optStr(d.goVersion) ?? '',
  };
}
