import { extname } from 'node:path';
import { stringify } from 'yaml';
import { writeFileAtomic } from './atomic-write.js';
import { PrometheusConfigError } from './errors.js';
import { isLabelName } from './promql.js';

/** One entry of a file_sd file: targets sharing labels. */
export interface FileSdTargetGroup {
  /** `host:port` addresses; IPv6 hosts in brackets, e.g. `[2001:db8::1]:9464`. */
  readonly targets: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
}

const TARGET = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):\d{1,5}$/;

/** Checks every target and label as Prometheus would on loading the file. */
export function validateFileSdGroups(groups: readonly FileSdTargetGroup[]): void {
  for (const [i, group] of groups.entries()) {
    for (const target of group.targets) {
      const port = Number(target.slice(target.lastIndexOf(':') + 1));
      if (!TARGET.test(target) || port < 1 || port > 65535) {
        throw new PrometheusConfigError(`group ${i}: ${JSON.stringify(target)} is not a host:port target`);
      }
    }
    for (const [name, value] of Object.entries(group.labels ?? {})) {
      if (!isLabelName(name))
        throw new PrometheusConfigError(`group ${i}: ${JSON.stringify(name)} is not a label name`);
      if (typeof value !== 'string')
        throw new PrometheusConfigError(`group ${i}: label ${name} must be a string`);
    }
  }
}

/** A file_sd document as JSON (default) or YAML. */
export function formatFileSdTargets(
  groups: readonly FileSdTargetGroup[],
  format: 'json' | 'yaml' = 'json',
): string {
  validateFileSdGroups(groups);
  const doc = groups.map((g) => ({ targets: [...g.targets], labels: { ...g.labels } }));
  return format === 'yaml' ? stringify(doc) : `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * Writes a file_sd target file atomically (temp file, fsync, rename): Prometheus watches these
 * files with inotify and must never read one half-written. The format follows the extension
 * (`.yml`/`.yaml` or `.json`), as Prometheus requires.
 */
export async function writeFileSdTargets(path: string, groups: readonly FileSdTargetGroup[]): Promise<void> {
  const ext = extname(path).toLowerCase();
  if (ext !== '.json' && ext !== '.yml' && ext !== '.yaml') {
    throw new PrometheusConfigError(`${path}: file_sd files must end in .json, .yml or .yaml`);
  }
  await writeFileAtomic(path, formatFileSdTargets(groups, ext === '.json' ? 'json' : 'yaml'));
}
