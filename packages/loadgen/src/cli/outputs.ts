import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';
import { renderJunit } from '../output/junit.js';
import type { BaselineCheck } from '../summary/baseline.js';
import type { Summary } from '../summary/summary.js';

export interface OutputTargets {
  /** NDJSON time series file (`--out json=FILE`). */
  json?: string;
  /** JUnit XML file (`--out junit=FILE`). */
  junit?: string;
  /** Summary JSON file (`--summary-export FILE`). */
  summary?: string;
}

/** Parses the `--out kind=FILE` values. */
export function parseOutFlags(values: readonly string[]): Pick<OutputTargets, 'json' | 'junit'> {
  const out: Pick<OutputTargets, 'json' | 'junit'> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    const kind = eq === -1 ? v : v.slice(0, eq);
    const file = eq === -1 ? '' : v.slice(eq + 1);
    if ((kind !== 'json' && kind !== 'junit') || file.length === 0) {
      throw new UsageError(`--out ${v}: expected json=FILE or junit=FILE`);
    }
    out[kind] = file;
  }
  return out;
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
