import type { Aggregate } from '../metrics/aggregate.js';
import { formatMs } from './format.js';

export type ProgressMode = 'tty' | 'plain' | 'none';

/** The trends the progress line shows a p95 of, first one present wins. */
const PRIMARY_TRENDS = [
  'ws_cmd_duration',
  'ws_request_duration',
  'http_req_duration',
  'ws_auth_duration',
  'iteration_duration',
];

/**
 * The live progress line: in a terminal one line rewritten each interval (VUs, iterations and
 * their rate, p95 of the main latency, errors, drops); elsewhere (CI logs) a plain line every
 * `plainEveryMs`, so logs stay readable.
 */
export class Progress {
  readonly #mode: ProgressMode;
  readonly #stream: NodeJS.WritableStream;
  readonly #plainEveryMs: number;
  #lastPlainAt = Number.NEGATIVE_INFINITY;
  #drawn = false;

  /** @param plainEveryMs Interval of plain lines when not a terminal. @default 10000 (ms) */
  constructor(mode: ProgressMode, stream: NodeJS.WritableStream, plainEveryMs = 10_000) {
    this.#mode = mode;
    this.#stream = stream;
    this.#plainEveryMs = plainEveryMs;
  }

  update(
    elapsedMs: number,
    totalMs: number,
    interval: Aggregate,
    intervalMs: number,
    totals: Aggregate,
  ): void {
    if (this.#mode === 'none') return;
    if (this.#mode === 'plain' && elapsedMs - this.#lastPlainAt < this.#plainEveryMs) return;
    this.#lastPlainAt = elapsedMs;
    const line = progressLine(elapsedMs, totalMs, interval, intervalMs, totals);
    if (this.#mode === 'tty') {
      this.#stream.write(`\r\x1b[2K${line}`);
      this.#drawn = true;
    } else {
      this.#stream.write(`${line}\n`);
    }
  }

  /** Prints a message above the progress line. */
  message(text: string): void {
    if (this.#drawn) this.#stream.write('\r\x1b[2K');
    this.#stream.write(`${text}\n`);
  }

  end(): void {
    if (this.#drawn) this.#stream.write('\n');
    this.#drawn = false;
  }
}

export function progressLine(
  elapsedMs: number,
  totalMs: number,
  interval: Aggregate,
  intervalMs: number,
  totals: Aggregate,
): string {
  const num = (key: string, field: string, agg: Aggregate, ms = intervalMs): number => {
    const v = agg.values(key, ms)?.values as Record<string, number> | undefined;
    return v?.[field] ?? 0;
  };
  const vus = num('vus', 'value', interval);
  const vusMax = num('vus_max', 'value', interval);
  const iters = num('iterations', 'count', totals);
  const rate = num('iterations', 'rate', interval);
  const errors = num('iteration_errors', 'count', totals) + num('ws_errors', 'count', totals);
  const dropped = num('dropped_iterations', 'count', totals);
  const primary = PRIMARY_TRENDS.find((k) => interval.has(k));
  const p95 = primary === undefined ? '' : `  ${primary} p95 ${formatMs(num(primary, 'p(95)', interval))}`;
  const pct = totalMs > 0 ? ` ${Math.min(100, Math.floor((elapsedMs / totalMs) * 100))}%` : '';
  return `running ${(elapsedMs / 1000).toFixed(0)}s/${(totalMs / 1000).toFixed(0)}s${pct}  vus ${vus}/${vusMax}  iterations ${iters} (${rate.toFixed(1)}/s)${p95}  errors ${errors}  dropped ${dropped}`;
}
