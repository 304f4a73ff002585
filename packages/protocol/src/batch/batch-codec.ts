import { Packr } from 'msgpackr';

/**
 * The codec for the engine's internal batches (gateway ⇄ shard threads). One batch per tick per
 * thread pair; the bytes go through postMessage as a transferable ArrayBuffer.
 *
 * Records (`useRecords`) are off: with them msgpackr shares structure ids between one encoder and
 * one decoder, which two threads that restart independently cannot keep in step.
 */
export interface BatchCodec {
  /** Encodes a batch. The bytes stay valid after later encodes; copy them to transfer them. */
  encode<T>(batch: T): Uint8Array;
  /**
   * Decodes a batch. Meant for the engine's own threads: corrupt bytes throw (msgpackr's error).
   * A `__proto__` key comes back as `__proto_` (msgpackr's guard), never as a prototype.
   */
  decode<T>(bytes: Uint8Array): T;
}

export function createBatchCodec(): BatchCodec {
  const packr = new Packr({ useRecords: false, moreTypes: false, structuredClone: false });
  return {
    encode: <T>(batch: T) => packr.pack(batch),
    decode: <T>(bytes: Uint8Array) => packr.unpack(bytes) as T,
  };
}

/**
 * Copies encoded bytes into an ArrayBuffer of their own so it can be transferred: msgpackr encodes
 * into a shared pool buffer, which must not be detached.
 */
export function toTransferable(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}
