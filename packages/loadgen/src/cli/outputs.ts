import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';
import { renderJunit } from '../output/junit.js';
import type { LiveOutput } from '../output/live-output.js';
import { NdjsonWriter } from '../output/ndjson.js';
import { prometheusRemoteWriteFromFlag } from '../output/remote-write/prometheus-rw.js';
import { HtmlReport } from '../output/web-dashboard/html-report.js';
import { parseDashboardAddress, WebDashboard } from '../output/web-dashboard/web-dashboard.js';
import type { BaselineCheck } from '../summary/baseline.js';
import type { Summary } from '../summary/summary.js';

/**
 * The `--out KIND[=TARGET]` kinds that follow the run as it goes. Each makes its output from the
 * flag's target (`undefined` when the flag has none); `targetRequired` kinds refuse a bare KIND.
 * A new kind is one entry here and one file under output/.
 */
const LIVE_KINDS: Record<
  string,
  { usage: string; targetRequired: boolean; make: (target: string | undefined) => LiveOutput }
> = {
  json: {
    usage: 'json=FILE',
    targetRequired: true,
    make: (file) => new NdjsonWriter(file as string),
  },
  'prometheus-rw': {
    usage: 'prometheus-rw[=URL]',
    targetRequired: false,
    make: (url) => prometheusRemoteWriteFromFlag(url),
  },
  'web-dashboard': {
    usage: 'web-dashboard[=HOST:PORT]',
    targetRequired: false,
    make: (address) => new WebDashboard(parseDashboardAddress(address)),
  },
  html: {
    usage: 'html=FILE',
    targetRequired: true,
    make: (file) => new HtmlReport(file as string),
  },
};

/** What the end-of-test file kinds write; they need the summary only. */
const END_KINDS = { junit: 'junit=FILE' } as const;

export interface OutputTargets {
  /** JUnit XML file (`--out junit=FILE`). */
  junit?: string;
  /** Summary JSON file (`--summary-export FILE`). */
  summary?: string;
}

export interface OutFlags {
  /** The live outputs to start, one per `--out` of a live kind, in flag order. */
  live: Array<{ kind: string; target: string | undefined }>;
  /** End-of-test files. */
  end: Pick<OutputTargets, 'junit'>;
}

/** The usage line of every `--out` kind, for errors and help. */
export function outKindsUsage(): string {
  return [...Object.values(LIVE_KINDS).map((k) => k.usage), ...Object.values(END_KINDS)].join(', ');
}

/** Parses the `--out KIND[=TARGET]` values; an unknown kind or a missing target is a usage error. */
export function parseOutFlags(values: readonly string[]): OutFlags {
  const flags: OutFlags = { live: [], end: {} };
  for (const v of values) {
    const eq = v.indexOf('=');
    const kind = eq === -1 ? v : v.slice(0, eq);
    const target = eq === -1 || eq === v.length - 1 ? undefined : v.slice(eq + 1);
    const live = LIVE_KINDS[kind];
    if (live !== undefined && (target !== undefined || !live.targetRequired)) {
      flags.live.push({ kind, target });
    } else if (kind === 'junit' && target !== undefined) {
      flags.end.junit = target;
    } else {
      throw new UsageError(`--out ${v}: expected one of ${outKindsUsage()}`);
    }
  }
  return flags;
}

/** Makes the live outputs of parsed flags (only for `run`: `merge` has no intervals). */
export function makeLiveOutputs(flags: OutFlags): LiveOutput[] {
  return flags.live.map(({ kind, target }) => (LIVE_KINDS[kind] as (typeof LIVE_KINDS)[string]).make(target));
}

/** Closes every output, all of them even when some fail; rethrows the first failure. */
export async function closeLiveOutputs(outputs: readonly LiveOutput[]): Promise<void> {
  const results = await Promise.allSettled(outputs.map((o) => o.close?.()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

/** Writes the end-of-test files: summary JSON and JUnit XML. */
export async function writeEndOutputs(
  targets: OutputTargets,
  summary: Summary,
  baseline: readonly BaselineCheck[],
): Promise<void> {
  if (targets.summary !== undefined) {
    await mkdir(dirname(targets.summary), { recursive: true });
    await writeFile(
      targets.summary,
      `${JSON.stringify(baseline.length > 0 ? { ...summary, baseline } : summary, null, 2)}\n`,
    );
  }
  if (targets.junit !== undefined) {
    await mkdir(dirname(targets.junit), { recursive: true });
    await writeFile(targets.junit, renderJunit(summary, baseline));
  }
}

/**
 * Writes what handleSummary() returned: `stdout` and `stderr` to those streams, any other key to
 * that file (relative to the working directory, its directory created), as k6 does.
 */
export async function writeSummaryOutputs(
  outputs: Readonly<Record<string, string | Uint8Array>>,
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream },
): Promise<void> {
  for (const [dest, content] of Object.entries(outputs)) {
    if (dest === 'stdout') io.out.write(content);
    else if (dest === 'stderr') io.err.write(content);
    else {
      await mkdir(dirname(dest), { recursive: true });
      await writeFile(dest, content);
    }
  }
}
