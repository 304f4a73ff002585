import type { FigureUnit } from '../metrics/figures.js';

/** What a missing value reads as: a dash, never a zero that was not measured. */
export const MISSING = '—';

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/**
 * A value as a person reads it, short enough for a meter's label in 80 columns: `87 ms`,
 * `3.9 KiB`, `1,204/s`, `92%`. `null` (and NaN) is {@link MISSING}.
 */
export function formatFigure(value: number | null | undefined, unit: FigureUnit): string {
  if (value === null || value === undefined || Number.isNaN(value)) return MISSING;
  switch (unit) {
    case 'count':
      return Math.round(value).toLocaleString('en-US');
    case 'perSecond':
      return `${formatPlain(value)}/s`;
    case 'seconds':
      return formatSeconds(value);
    case 'bytes':
      return formatBytes(value);
    case 'bytesPerSecond':
      return `${formatBytes(value)}/s`;
    case 'ratio':
      return formatRatio(value);
  }
}

/** 0.42, 7.5, 1,204: one decimal below 10, none above. */
function formatPlain(value: number): string {
  if (value !== 0 && Math.abs(value) < 10) return value.toFixed(value < 0.1 ? 2 : 1);
  return Math.round(value).toLocaleString('en-US');
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return seconds > 0 ? '∞' : MISSING;
  const ms = seconds * 1000;
  if (ms < 10) return `${ms.toFixed(ms < 1 ? 2 : 1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${Math.round(seconds % 60)}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

function formatBytes(bytes: number): string {
  let unit = 0;
  let value = bytes;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || Math.abs(value) >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

function formatRatio(ratio: number): string {
  const percent = ratio * 100;
  if (percent !== 0 && Math.abs(percent) < 10 && !Number.isInteger(percent)) return `${percent.toFixed(1)}%`;
  return `${Math.round(percent)}%`;
}
