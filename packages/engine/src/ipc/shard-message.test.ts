import { describe, expect, it } from 'vitest';
import { decodeShardMessage, encodeShardMessage, SHARD_MESSAGE_MAX_BYTES } from './shard-message.js';

describe('shard messages across the thread boundary', () => {
  it('carries JSON as encoded once, and gives it back', () => {
    const data = { room: 'harbor:quay', exits: ['n', 's'], lit: true, depth: -2.5, owner: null };
    const record = encodeShardMessage(3, 'built', data);
    expect(record).toEqual({ from: 3, topic: 'built', json: JSON.stringify(data) });
    expect(decodeShardMessage(record)).toEqual(data);
  });

  it('counts the size in bytes of UTF-8, not in characters', () => {
    // Two quotes and the text: each "é" is two bytes, so half as many fit as of "e".
    const fits = 'é'.repeat((SHARD_MESSAGE_MAX_BYTES - 2) / 2);
    expect(() => encodeShardMessage(0, 't', fits)).not.toThrow();
    expect(() => encodeShardMessage(0, 't', `${fits}e`)).toThrow(
      `ctx.tellShards("t"): the data is ${SHARD_MESSAGE_MAX_BYTES + 1} bytes of JSON, over the ${SHARD_MESSAGE_MAX_BYTES} allowed`,
    );
  });

  it('names where the data stops being JSON', () => {
    expect(() => encodeShardMessage(0, 't', { a: [{ b: () => 1 }] } as never)).toThrow(
      'ctx.tellShards("t"): data.a[0].b is a function; a message carries JSON values only',
    );
    expect(() => encodeShardMessage(0, 't', { n: Number.POSITIVE_INFINITY })).toThrow('data.n is Infinity');
    expect(() => encodeShardMessage(0, 't', new Map() as never)).toThrow('data is a Map, not a plain object');
    // The same object twice is no cycle.
    const shared = { x: 1 };
    expect(() => encodeShardMessage(0, 't', { a: shared, b: shared })).not.toThrow();
    expect(() => encodeShardMessage(0, 'x'.repeat(101), 1)).toThrow('the topic must be a string of 1 to 100');
  });
});
