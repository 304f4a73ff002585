import { stringify } from 'yaml';
import { PrometheusConfigError } from './errors.js';
import { type FileSdTargetGroup, validateFileSdGroups } from './file-sd.js';
import { isLabelName } from './promql.js';

/** The job name engine nodes are scraped under; dashboards and alerts select on it. */
export const ENGINE_JOB_NAME = 'leviathan-engine';

/** One engine node of a fleet. */
export interface EngineNode {
  /** Becomes the `node` label, e.g. the VM's name. */
  readonly name: string;
  /** Host name or IP address (IPv6 without brackets). */
  readonly host: string;
  /** The engine's metrics port. */
  readonly port: number;
  /** More labels for this node's series (`shard`, `region`, ...). */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface EngineScrapeOptions {
  /** @default 'leviathan-engine' */
  readonly jobName?: string;
  /** @default '/metrics' */
  readonly metricsPath?: string;
  /** @default 'http' */
  readonly scheme?: 'http' | 'https';
  /** Seconds between scrapes. @default 15 */
  readonly scrapeIntervalSeconds?: number;
  /** Seconds a scrape may take; at most the interval. @default 10 (or the interval, if shorter) */
  readonly scrapeTimeoutSeconds?: number;
  /** Nodes listed in the configuration itself (`static_configs`). */
  readonly nodes?: readonly EngineNode[];
  /** file_sd files (absolute paths or globs) that writeFileSdTargets keeps up to date. */
  readonly fileSdFiles?: readonly string[];
  /** How often Prometheus re-reads the file_sd files besides inotify, in seconds. @default 300 */
  readonly fileSdRefreshSeconds?: number;
}

/** A `scrape_configs` entry, in Prometheus's own field names. */
export type ScrapeConfig = Readonly<Record<string, unknown>>;

function seconds(value: number, what: string): string {
  if (!Number.isFinite(value) || value <= 0)
    throw new PrometheusConfigError(`${what} must be a positive number of seconds`);
  // Prometheus durations take integer units: sub-second values go in milliseconds.
  return Number.isInteger(value) ? `${value}s` : `${Math.round(value * 1000)}ms`;
}

/** `host:port`, with IPv6 hosts in brackets. */
export function targetAddress(host: string, port: number): string {
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new PrometheusConfigError(`bad port ${port}`);
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** file_sd groups for a fleet: one group per node, labelled with its name. */
export function engineTargetGroups(nodes: readonly EngineNode[]): FileSdTargetGroup[] {
  const seen = new Set<string>();
  return nodes.map((node) => {
    if (seen.has(node.name)) throw new PrometheusConfigError(`two nodes are named ${node.name}`);
    seen.add(node.name);
    return { targets: [targetAddress(node.host, node.port)], labels: { ...node.labels, node: node.name } };
  });
}

/**
 * The scrape configuration of a fleet of engine nodes: job `leviathan-engine`, path `/metrics`,
 * the nodes listed statically and/or read from file_sd files.
 */
export function engineScrapeConfig(options: EngineScrapeOptions = {}): ScrapeConfig {
  const interval = options.scrapeIntervalSeconds ?? 15;
  const timeout = options.scrapeTimeoutSeconds ?? Math.min(10, interval);
  if (timeout > interval)
    throw new PrometheusConfigError('scrapeTimeoutSeconds must not exceed scrapeIntervalSeconds');
  const path = options.metricsPath ?? '/metrics';
  if (!path.startsWith('/')) throw new PrometheusConfigError(`metricsPath must start with /, got ${path}`);
  const config: Record<string, unknown> = {
    job_name: options.jobName ?? ENGINE_JOB_NAME,
    metrics_path: path,
    scheme: options.scheme ?? 'http',
    scrape_interval: seconds(interval, 'scrapeIntervalSeconds'),
    scrape_timeout: seconds(timeout, 'scrapeTimeoutSeconds'),
  };
  if (options.nodes && options.nodes.length > 0) {
    const groups = engineTargetGroups(options.nodes);
    validateFileSdGroups(groups);
    config.static_configs = groups.map((g) => ({ targets: g.targets, labels: g.labels }));
  }
  if (options.fileSdFiles && options.fileSdFiles.length > 0) {
    config.file_sd_configs = [
      {
        files: [...options.fileSdFiles],
        refresh_interval: seconds(options.fileSdRefreshSeconds ?? 300, 'fileSdRefreshSeconds'),
      },
    ];
  }
  if (!config.static_configs && !config.file_sd_configs) {
    throw new PrometheusConfigError('give nodes, fileSdFiles or both: a job without targets scrapes nothing');
  }
  return config;
}

export interface PrometheusConfigOptions {
  /** Default seconds between scrapes. @default 15 */
  readonly scrapeIntervalSeconds?: number;
  /** Seconds between rule evaluations. @default 15 */
  readonly evaluationIntervalSeconds?: number;
  /** Labels added to every series and alert leaving this server. */
  readonly externalLabels?: Readonly<Record<string, string>>;
  /** Rule files (paths or globs). */
  readonly ruleFiles?: readonly string[];
  readonly scrapeConfigs: readonly ScrapeConfig[];
}

/** A whole `prometheus.yml` as YAML. */
export function formatPrometheusConfig(options: PrometheusConfigOptions): string {
  for (const name of Object.keys(options.externalLabels ?? {})) {
    if (!isLabelName(name)) throw new PrometheusConfigError(`${JSON.stringify(name)} is not a label name`);
  }
  const jobs = options.scrapeConfigs.map((c) => c.job_name);
  if (new Set(jobs).size !== jobs.length)
    throw new PrometheusConfigError('two scrape configs share a job_name');
  const doc: Record<string, unknown> = {
    global: {
      scrape_interval: seconds(options.scrapeIntervalSeconds ?? 15, 'scrapeIntervalSeconds'),
      evaluation_interval: seconds(options.evaluationIntervalSeconds ?? 15, 'evaluationIntervalSeconds'),
      ...(options.externalLabels ? { external_labels: { ...options.externalLabels } } : {}),
    },
    ...(options.ruleFiles && options.ruleFiles.length > 0 ? { rule_files: [...options.ruleFiles] } : {}),
    scrape_configs: options.scrapeConfigs,
  };
  return stringify(doc, { aliasDuplicateObjects: false });
}
