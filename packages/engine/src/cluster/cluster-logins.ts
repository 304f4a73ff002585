import type { Redis } from 'ioredis';
import { unavailable } from './redis-client.js';

/**
 * KEYS: the player's key, the nodes up (membership-scripts.ts). ARGV: this node. Takes the name
 * when nobody has it, this node has it, or the node that has it is no longer up (its heartbeat ran
 * out: it died with the name). Returns '' when taken, else the node that has it.
 */
const CLAIM = `
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1])
  return ''
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local up = redis.call('ZSCORE', KEYS[2], holder)
if up == false or tonumber(up) <= now then
  redis.call('SET', KEYS[1], ARGV[1])
  return ''
end
return holder
`;

/** KEYS: the player's key. ARGV: this node. Gives the name up if this node has it. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/**
 * One character per name in the whole cluster: the node where a player logs in takes the name in
 * Redis (`lev:<cluster>:player:{<name>}` → node) and gives it up when the player's name is free
 * again on that node. A name held by a node that died is taken over (the membership says who is
 * up), so a crash never locks a character out.
 */
export class ClusterLogins {
  readonly #redis: Redis;
  readonly #cluster: string;
  readonly #node: string;

  constructor(redis: Redis, cluster: string, node: string) {
    this.#redis = redis;
    this.#cluster = cluster;
    this.#node = node;
  }

  /** Takes `username` for this node; resolves undefined when taken, else the node that has it. */
  async claim(username: string): Promise<string | undefined> {
    let holder: unknown;
    try {
      holder = await this.#redis.eval(
        CLAIM,
        2,
        this.#key(username),
        `lev:${this.#cluster}:nodes`,
        this.#node,
      );
    } catch (error) {
      throw unavailable(`claim the name ${username}`, error);
    }
    return holder === '' ? undefined : String(holder);
  }

  /** Gives `username` up, if this node has it. */
  async release(username: string): Promise<void> {
    try {
      await this.#redis.eval(RELEASE, 1, this.#key(username), this.#node);
    } catch (error) {
      throw unavailable(`release the name ${username}`, error);
    }
  }

  #key(username: string): string {
    return `lev:${this.#cluster}:player:{${username}}`;
  }
}
