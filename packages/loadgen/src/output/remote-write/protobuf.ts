/**
 * The protobuf body of a Prometheus remote-write 1.0 request (prometheus/prompb/remote.proto and
 * types.proto), encoded by hand:
 *
 *   message WriteRequest { repeated TimeSeries timeseries = 1; }
 *   message TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 *   message Label        { string name = 1; string value = 2; }
 *   message Sample       { double value = 1; int64 timestamp = 2; }
 *
 * Four messages of two scalar types do not justify protobufjs (a runtime, a .proto loader or a
 * code generator, and a dependency of every user of the generator) for what is a few tags,
 * varints and fixed64 doubles. The encoder measures every message first, then writes into one
 * buffer of the exact size: no intermediate arrays per label or sample.
 */

export interface Label {
  name: string;
  value: string;
}

export interface Sample {
  value: number;
  /** Epoch milliseconds (a non-negative integer). */
  timestampMs: number;
}

/** One series: its labels (`__name__` among them) sorted by name, as remote write requires. */
export interface TimeSeries {
  labels: readonly Label[];
  samples: readonly Sample[];
}

// Field tags: (field number << 3) | wire type (0 varint, 1 fixed64, 2 length-delimited).
const TAG_TIMESERIES = (1 << 3) | 2;
const TAG_LABELS = (1 << 3) | 2;
const TAG_SAMPLES = (2 << 3) | 2;
const TAG_LABEL_NAME = (1 << 3) | 2;
const TAG_LABEL_VALUE = (2 << 3) | 2;
const TAG_SAMPLE_VALUE = (1 << 3) | 1;
const TAG_SAMPLE_TIMESTAMP = (2 << 3) | 0;

const utf8 = new TextEncoder();

/** Bytes of a varint of a non-negative integer up to 2^53 (epoch ms need more than 32 bits). */
function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** A series measured: its label strings as UTF-8 and the lengths of its sub-messages. */
interface Measured {
  labels: Array<{ name: Uint8Array; value: Uint8Array; size: number }>;
  sampleSizes: number[];
  size: number;
}

function measure(series: TimeSeries): Measured {
  let size = 0;
  const labels = series.labels.map((l) => {
    const name = utf8.encode(l.name);
    const value = utf8.encode(l.value);
    const inner = 1 + varintSize(name.length) + name.length + 1 + varintSize(value.length) + value.length;
    size += 1 + varintSize(inner) + inner;
    return { name, value, size: inner };
  });
  const sampleSizes = series.samples.map((s) => {
    if (!Number.isSafeInteger(s.timestampMs) || s.timestampMs < 0)
      throw new RangeError(`sample timestamp ${s.timestampMs} is not a non-negative integer of ms`);
    const inner = 1 + 8 + 1 + varintSize(s.timestampMs);
    size += 1 + varintSize(inner) + inner;
    return inner;
  });
  return { labels, sampleSizes, size };
}

/** Encodes a WriteRequest of these series (uncompressed protobuf; remote write snappy-compresses it). */
export function encodeWriteRequest(series: readonly TimeSeries[]): Uint8Array<ArrayBuffer> {
  const measured = series.map(measure);
  let total = 0;
  for (const m of measured) total += 1 + varintSize(m.size) + m.size;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let pos = 0;
  const varint = (n: number) => {
    while (n >= 0x80) {
      out[pos++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    out[pos++] = n;
  };
  const bytes = (tag: number, b: Uint8Array) => {
    out[pos++] = tag;
    varint(b.length);
    out.set(b, pos);
    pos += b.length;
  };
  series.forEach((s, i) => {
    const m = measured[i] as Measured;
    out[pos++] = TAG_TIMESERIES;
    varint(m.size);
    for (const l of m.labels) {
      out[pos++] = TAG_LABELS;
      varint(l.size);
      bytes(TAG_LABEL_NAME, l.name);
      bytes(TAG_LABEL_VALUE, l.value);
    }
    s.samples.forEach((sample, j) => {
      out[pos++] = TAG_SAMPLES;
      varint(m.sampleSizes[j] as number);
      out[pos++] = TAG_SAMPLE_VALUE;
      view.setFloat64(pos, sample.value, true);
      pos += 8;
      out[pos++] = TAG_SAMPLE_TIMESTAMP;
      varint(sample.timestampMs);
    });
  });
  return out;
}
