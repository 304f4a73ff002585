import { PrometheusResponseError } from './errors.js';

/**
 * A sample value as the API writes it: a string, since JSON has no NaN or infinities. Go's
 * strconv.FormatFloat prints them as `NaN`, `+Inf` and `-Inf`, which `Number()` does not read
 * (`Number('+Inf')` is NaN); every other value is a decimal `Number()` reads exactly.
 */
export function parseSampleValue(text: unknown): number {
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (typeof text !== 'string' || text.trim() === '') {
    throw new PrometheusResponseError(`a sample value must be a string, got ${JSON.stringify(text)}`);
  }
  const value = Number(text);
  if (Number.isNaN(value)) throw new PrometheusResponseError(`${JSON.stringify(text)} is not a sample value`);
  return value;
}

/** Formats a number the way Prometheus reads it back (for queries and rule thresholds). */
export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}
