import { dirname, join } from 'node:path';
import { type Baseline, readBaseline } from './baseline.js';

/** The major version of a Node version string (`v20.20.2` → 20). */
export function nodeMajor(version: string): number {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (!Number.isInteger(major)) throw new Error(`not a Node version: ${version}`);
  return major;
}

/** The baseline a run on one Node line is judged against and records into. */
export interface LineBaseline {
  path: string;
  /** The Node major the run is on. */
  major: number;
  /**
   * True for benchmarks/baseline.json, the line docs/benchmarks.md and history.ndjson describe;
   * false for a baseline of another line, which a recording writes alone.
   */
  main: boolean;
  /** Its contents; undefined while none has been recorded. */
  baseline: Baseline | undefined;
}

/**
 * Ratios move between Node lines by themselves: one `JSON.stringify` per recipient, the broadcast
 * case's reference, takes about half as long on Node 22 and 24 as on Node 20 while the broadcast's
 * own cost hardly moves, so that ratio goes from 0.076x to 0.12x. A baseline is therefore only
 * comparable on the line it was recorded on: benchmarks/baseline.json on the line it names (or on
 * any line while there is none), and benchmarks/baseline-node<major>.json on any other.
 */
export function baselineForLine(mainPath: string, version: string = process.version): LineBaseline {
  const major = nodeMajor(version);
  const main = readBaseline(mainPath);
  if (main === undefined || nodeMajor(main.machine.node) === major)
    return { path: mainPath, major, main: true, baseline: main };
  const path = join(dirname(mainPath), `baseline-node${major}.json`);
  return { path, major, main: false, baseline: readBaseline(path) };
}
