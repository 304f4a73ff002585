import type { JsonValue } from '@leviathan/protocol';

/**
 * A message of one shard to the others (`ctx.tellShards`), as it crosses the threads: in the
 * sender's state batch to main, then relayed by main to the other shards (and, on a cluster node,
 * to the other nodes). The data travels as the JSON text encoded once in the sender, so main never
 * looks inside it and each receiving shard parses its own copy (a handler may keep or change it).
 */
export interface ShardMessageRecord {
  /** The sending shard (its index on its node). */
  readonly from: number;
  readonly topic: string;
  /** The data, as JSON text. */
  readonly json: string;
}

/** The largest message, in bytes of its JSON text (UTF-8): 64 KiB. */
export const SHARD_MESSAGE_MAX_BYTES = 64 * 1024;
/** How many messages a shard may send per tick (every one reaches every other shard). */
export const SHARD_MESSAGES_PER_TICK = 100;
/** The longest topic, in characters. */
export const SHARD_TOPIC_MAX_LENGTH = 100;
/** How deep arrays and objects may nest in a message's data. */
const MAX_DEPTH = 64;

/**
 * Checks and encodes a message. Throws a TypeError for a bad topic or data that is not JSON (a
 * function, undefined, NaN, a class instance, a cycle...: JSON.stringify would drop or change it
 * silently), a RangeError for data over SHARD_MESSAGE_MAX_BYTES.
 */
export function encodeShardMessage(from: number, topic: string, data: JsonValue): ShardMessageRecord {
  if (typeof topic !== 'string' || topic.length === 0 || topic.length > SHARD_TOPIC_MAX_LENGTH)
    throw new TypeError(
      `ctx.tellShards: the topic must be a string of 1 to ${SHARD_TOPIC_MAX_LENGTH} characters`,
    );
  const problem = jsonProblem(data, 'data', [], 0);
  if (problem !== undefined)
    throw new TypeError(`ctx.tellShards("${topic}"): ${problem}; a message carries JSON values only`);
  const json = JSON.stringify(data);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > SHARD_MESSAGE_MAX_BYTES)
    throw new RangeError(
      `ctx.tellShards("${topic}"): the data is ${bytes} bytes of JSON, over the ${SHARD_MESSAGE_MAX_BYTES} allowed`,
    );
  return { from, topic, json };
}

export function decodeShardMessage(record: ShardMessageRecord): JsonValue {
  return JSON.parse(record.json) as JsonValue;
}

/** Why `value` is not plain JSON (with where in it), or undefined when it is. */
function jsonProblem(value: unknown, at: string, parents: object[], depth: number): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${at} is ${value}`;
  if (typeof value !== 'object') return `${at} is ${value === undefined ? 'undefined' : `a ${typeof value}`}`;
  if (depth >= MAX_DEPTH) return `${at} nests deeper than ${MAX_DEPTH} levels`;
  if (parents.includes(value)) return `${at} refers back to itself`;
  parents.push(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const problem = jsonProblem(value[i], `${at}[${i}]`, parents, depth + 1);
        if (problem !== undefined) return problem;
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null)
      return `${at} is a ${(value as object).constructor?.name ?? 'class instance'}, not a plain object`;
    for (const [key, item] of Object.entries(value)) {
      const problem = jsonProblem(item, `${at}.${key}`, parents, depth + 1);
      if (problem !== undefined) return problem;
    }
    return undefined;
  } finally {
    parents.pop();
  }
}
