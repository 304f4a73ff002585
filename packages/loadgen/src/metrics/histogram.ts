import type { Histogram } from 'hdr-histogram-js';
import * as hdr from 'hdr-histogram-js';

/**
 * Trends are HDR histograms of integers: microseconds for time metrics (so `p(95)<200` compares
 * 200 ms with µs / 1000), thousandths for other trends. 3 significant digits: ±0.1% error at any
 * magnitude, from 1 µs to hours, in a few KB. 32-bit counts with auto-resize: recording is an
 * array increment (the packed variant saves memory but costs more per record).
 */
export function createHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    autoResize: true,
    lowestDiscernibleValue: 1,
    numberOfSignificantValueDigits: 3,
  });
}

/** The portable form sent from workers and written in summaries: HdrHistogram's compressed base64. */
export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 32, false);
}

/** Adds an encoded histogram into `into` (exact: counts add bucket by bucket, never percentiles). */
export function addEncoded(into: Histogram, encoded: string): void {
  const other = decodeHistogram(encoded);
  into.add(other);
  other.destroy();
}
