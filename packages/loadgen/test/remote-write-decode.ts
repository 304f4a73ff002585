import type { TimeSeries } from '../src/output/remote-write/protobuf.js';

/**
 * A protobuf reader of WriteRequest written from the wire format's rules (varints, fixed64,
 * length-delimited), independent of the encoder, so a test of the encoder checks it against the
 * format rather than against itself. Unknown fields fail the test.
 */
export function decodeWriteRequest(bytes: Uint8Array): TimeSeries[] {
  return fields(bytes).map(([field, , value]) => {
    if (field !== 1) throw new Error(`WriteRequest field ${field}`);
    const labels: Array<{ name: string; value: string }> = [];
    const samples: Array<{ value: number; timestampMs: number }> = [];
    for (const [f, , v] of fields(value as Uint8Array)) {
      if (f === 1) {
        const label = { name: '', value: '' };
        for (const [lf, , lv] of fields(v as Uint8Array)) {
          const text = new TextDecoder().decode(lv as Uint8Array);
          if (lf === 1) label.name = text;
          else if (lf === 2) label.value = text;
          else throw new Error(`Label field ${lf}`);
        }
        labels.push(label);
      } else if (f === 2) {
        const sample = { value: 0, timestampMs: 0 };
        for (const [sf, wire, sv] of fields(v as Uint8Array)) {
          if (sf === 1 && wire === 1) sample.value = sv as number;
          else if (sf === 2 && wire === 0) sample.timestampMs = sv as number;
          else throw new Error(`Sample field ${sf} wire ${wire}`);
        }
        samples.push(sample);
      } else throw new Error(`TimeSeries field ${f}`);
    }
    return { labels, samples };
  });
}

/** The fields of one message: [number, wire type, value] (a number, or the bytes of a length-delimited field). */
function fields(bytes: Uint8Array): Array<[number, number, number | Uint8Array]> {
  const out: Array<[number, number, number | Uint8Array]> = [];
  let pos = 0;
  const varint = (): number => {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = bytes[pos++];
      if (b === undefined) throw new Error('truncated varint');
      n += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) return n;
    }
  };
  while (pos < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) out.push([field, wire, varint()]);
    else if (wire === 1) {
      if (pos + 8 > bytes.length) throw new Error('truncated fixed64');
      out.push([field, wire, new DataView(bytes.buffer, bytes.byteOffset + pos, 8).getFloat64(0, true)]);
      pos += 8;
    } else if (wire === 2) {
      const len = varint();
      if (pos + len > bytes.length) throw new Error('truncated field');
      out.push([field, wire, bytes.subarray(pos, pos + len)]);
      pos += len;
    } else throw new Error(`wire type ${wire}`);
  }
  return out;
}
