/** Formats a time in ms for people: µs below 1 ms, ms below 1 s, s above. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 1) return `${(ms * 1000).toFixed(0)}µs`;
  if (ms < 1000) return `${ms.toFixed(2)}ms`;
  return `${(ms / 1000).toFixed(2)}s`;
}

export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return n.toFixed(n < 10 ? 3 : 1);
}

export function formatPercent(r: number): string {
  return `${(r * 100).toFixed(2)}%`;
}
