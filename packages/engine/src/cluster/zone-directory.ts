import type { Redis } from 'ioredis';
import { unavailable } from './redis-client.js';

/** Where a zone runs: the node, and the shard of that node. */
export interface ZoneLocation {
  readonly node: string;
  readonly shard: number;
}

/** Deletes a zone's entry only if it is still the given node's (a newer owner's stays). */
const WITHDRAW = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  return redis.call('HDEL', KEYS[1], ARGV[1])
end
return 0`;

/**
 * Which node and shard run each zone, as the nodes tell it (a Redis hash `lev:<cluster>:zones`,
 * zone → `<shard>@<node>`): a node publishes a zone once it runs it and withdraws it before it
 * unloads it. A node receiving a player whose zone runs elsewhere reads it here, then checks the
 * node is up (a dead node's entries stay until the zone's next owner overwrites them).
 */
export class ZoneDirectory {
  readonly #redis: Redis;
  readonly #key: string;

  constructor(redis: Redis, cluster: string) {
    this.#redis = redis;
    this.#key = `lev:${cluster}:zones`;
  }

  async publish(zone: string, at: ZoneLocation): Promise<void> {
    try {
      await this.#redis.hset(this.#key, zone, `${at.shard}@${at.node}`);
    } catch (error) {
      throw unavailable(`publish zone ${zone}`, error);
    }
  }

  async withdraw(zone: string, at: ZoneLocation): Promise<void> {
    try {
      await this.#redis.eval(WITHDRAW, 1, this.#key, zone, `${at.shard}@${at.node}`);
    } catch (error) {
      throw unavailable(`withdraw zone ${zone}`, error);
    }
  }

  /** Every zone's location, as the nodes last published them. */
  async all(): Promise<Map<string, ZoneLocation>> {
    let entries: Record<string, string>;
    try {
      entries = await this.#redis.hgetall(this.#key);
    } catch (error) {
      throw unavailable('read the zone directory', error);
    }
    const out = new Map<string, ZoneLocation>();
    for (const [zone, value] of Object.entries(entries)) {
      const at = parse(value);
      if (at !== undefined) out.set(zone, at);
    }
    return out;
  }

  async lookup(zone: string): Promise<ZoneLocation | undefined> {
    let value: string | null;
    try {
      value = await this.#redis.hget(this.#key, zone);
    } catch (error) {
      throw unavailable(`look zone ${zone} up`, error);
    }
    return value === null ? undefined : parse(value);
  }
}

/** `<shard>@<node>`; undefined for anything else. */
function parse(value: string): ZoneLocation | undefined {
  const at = value.indexOf('@');
  const shard = Number(value.slice(0, at));
  if (at < 0 || !Number.isInteger(shard)) return undefined;
  return { node: value.slice(at + 1), shard };
}
