import { readFile } from 'node:fs/promises';
import { InvalidSummaryError } from '../errors.js';
import { SUMMARY_FORMAT, SUMMARY_VERSION, type Summary } from './summary.js';

/** Reads and checks a summary written by `--summary-export`. */
export async function readSummary(file: string): Promise<Summary> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InvalidSummaryError(file, 'cannot read it', e);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InvalidSummaryError(file, 'not JSON', e);
  }
  const s = value as Partial<Summary>;
  if (s?.format !== SUMMARY_FORMAT)
    throw new InvalidSummaryError(file, `"format" is not "${SUMMARY_FORMAT}"`);
  if (s.version !== SUMMARY_VERSION)
    throw new InvalidSummaryError(file, `version ${String(s.version)} is not ${SUMMARY_VERSION}`);
  if (typeof s.metrics !== 'object' || s.metrics === null)
    throw new InvalidSummaryError(file, 'no "metrics"');
  for (const [key, m] of Object.entries(s.metrics)) {
    if (typeof m?.raw !== 'object' || m.raw === null || m.raw.type !== m.type) {
      throw new InvalidSummaryError(
        file,
        `metric "${key}" has no raw samples (was it written by another tool?)`,
      );
    }
  }
  return s as Summary;
}
