import { MessageChannel } from 'node:worker_threads';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBatchCodec, toTransferable } from './batch-codec.js';

describe('createBatchCodec', () => {
  const codec = createBatchCodec();

  it('round-trips a gateway batch of client messages', () => {
    const batch = {
      shard: 3,
      tick: 123456,
      inputs: [
        { session: 's-1', msg: { type: 'cmd', line: 'say grüße 😀', id: 1 } },
        {
          session: 's-2',
          msg: { type: 'action', name: 'move', args: { to: 'north', n: -2.5, ok: true, z: null } },
        },
      ],
    };
    expect(codec.decode(codec.encode(batch))).toEqual(batch);
  });

  it('round-trips any JSON value', () => {
    fc.assert(
      // `__proto__` keys come back renamed (msgpackr's guard, tested below), so they are left out here.
      fc.property(
        fc.jsonValue().filter((v) => !JSON.stringify(v).includes('"__proto__":')),
        (value) => {
          // JSON has no -0: msgpack keeps it, so compare through JSON like the wire does.
          expect(JSON.stringify(codec.decode(codec.encode(value)))).toBe(JSON.stringify(value));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('keeps binary payloads, undefined and large integers', () => {
    const value = { bin: new Uint8Array([0, 1, 255]), u: undefined, big: 2 ** 53 - 1, neg: -(2 ** 40) };
    const out = codec.decode<typeof value>(codec.encode(value));
    expect(new Uint8Array(out.bin)).toEqual(value.bin);
    expect(out.u).toBeUndefined();
    expect(out.big).toBe(value.big);
    expect(out.neg).toBe(value.neg);
  });

  it('never sets a prototype from a __proto__ key', () => {
    const out = codec.decode<{ a: Record<string, unknown> }>(
      codec.encode(JSON.parse('{"a":{"__proto__":{"polluted":1}}}')),
    );
    expect(Object.getPrototypeOf(out.a)).toBe(Object.prototype);
    expect(out.a.polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps earlier encodings intact after later ones (the pool buffer is not overwritten)', () => {
    const a = codec.encode({ n: 1, s: 'a'.repeat(100) });
    const b = codec.encode({ n: 2, s: 'b'.repeat(100) });
    expect(codec.decode(a)).toEqual({ n: 1, s: 'a'.repeat(100) });
    expect(codec.decode(b)).toEqual({ n: 2, s: 'b'.repeat(100) });
  });

  it('decodes across codec instances, as two threads that restart independently do', () => {
    const bytes = createBatchCodec().encode([{ type: 'pong' }, { a: [1, 2, 3] }]);
    expect(createBatchCodec().decode(bytes)).toEqual([{ type: 'pong' }, { a: [1, 2, 3] }]);
  });

  it('makes a transferable copy that survives a transfer through postMessage', async () => {
    const bytes = codec.encode({ hello: 'world' });
    const buffer = toTransferable(bytes);
    expect(buffer.byteLength).toBe(bytes.byteLength);
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<ArrayBuffer>((resolve) => port2.once('message', resolve));
    port1.postMessage(buffer, [buffer]);
    const got = await received;
    port1.close();
    port2.close();
    expect(buffer.byteLength).toBe(0); // detached: it was ours to give away
    expect(codec.decode(new Uint8Array(got))).toEqual({ hello: 'world' });
    // The codec's own pool was not detached.
    expect(codec.decode(codec.encode({ again: true }))).toEqual({ again: true });
  });
});
