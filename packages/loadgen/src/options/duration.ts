import { InvalidDurationError } from '../errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;

/**
 * Parses a k6 duration: a number of milliseconds, or a string of number+unit parts (`500ms`,
 * `30s`, `2m`, `1h30m`, `1.5s`). Returns milliseconds.
 */
export function parseDuration(value: unknown): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return value;
    throw new InvalidDurationError(value);
  }
  if (typeof value !== 'string' || value.length === 0) throw new InvalidDurationError(value);
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000; // k6 reads a bare number as seconds
  PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let m = PART.exec(value); m !== null; m = PART.exec(value)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    consumed = PART.lastIndex;
  }
  if (consumed !== value.length) throw new InvalidDurationError(value);
  return total;
}

/** Formats milliseconds for people: `1m30s`, `2.5s`, `250ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s === 0 ? `${m}m` : `${m}m${s}s`;
}
