import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { IntervalPoint, LiveOutput } from './live-output.js';

/**
 * `--out json=FILE`: an NDJSON time series, one line per metric series per interval:
 * `{"type":"Point","metric":"ws_cmd_duration","interval":3,"time":"…","elapsedMs":4000,"intervalMs":1000,"values":{…}}`.
 * Values are the interval's own (not cumulative); trends carry their statistics, counters their
 * count and rate per second.
 */
export class NdjsonWriter implements LiveOutput {
  readonly #stream: WriteStream;
  readonly #done: Promise<void>;

  /** Opens FILE for writing, creating its directory (`reports/` in CI) when missing. */
  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.#stream = createWriteStream(file);
    this.#done = new Promise((resolve, reject) => {
      this.#stream.on('finish', resolve);
      this.#stream.on('error', reject);
    });
  }

  interval({ seq, endEpochMs, elapsedMs, intervalMs, agg }: IntervalPoint): void {
    const time = new Date(endEpochMs).toISOString();
    let out = '';
    for (const key of agg.keys()) {
      const s = agg.values(key, intervalMs);
      if (s === undefined) continue;
      out += `${JSON.stringify({ type: 'Point', metric: key, metricType: s.type, interval: seq, time, elapsedMs, intervalMs, values: s.values })}\n`;
    }
    if (out.length > 0) this.#stream.write(out);
  }

  close(): Promise<void> {
    this.#stream.end();
    return this.#done;
  }
}
