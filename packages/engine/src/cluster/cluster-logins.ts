import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { unavailable } from './redis-client.js';

/**
 * How long a session's resume token stays valid in the cluster while its session lives, in ms. Its
 * node shortens it to the grace period when the session ends; this bounds a token whose node died.
 */
const RESUME_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

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

/** KEYS: the token's key. ARGV: a token's hash. Deletes the key when it holds that hash: 1, else 0. */
const CONSUME = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/** KEYS: the token's key. ARGV: a token's hash, ms. Shortens the key's life when it holds that hash. */
const EXPIRE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

/**
 * One character per name in the whole cluster: the node where a player logs in takes the name in
 * Redis (`lev:<cluster>:player:{<name>}` → node) and gives it up when the player's name is free
 * again on that node. A name held by a node that died is taken over (the membership says who is
 * up), so a crash never locks a character out.
 *
 * The session's resume token is the cluster's too (`lev:<cluster>:resume:{<name>}` → its SHA-256):
 * presented on another node (after a drain, a zone move or the death of its node), it takes the
 * character over there even where `sessions.duplicateLogin` refuses a second login. Only the hash
 * is kept, so reading Redis does not give a token away; a token is spent by its first use.
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

  /** Makes `token` the one that resumes `username` anywhere in the cluster (replacing the last). */
  async rememberResume(username: string, token: string): Promise<void> {
    try {
      await this.#redis.set(this.#resumeKey(username), hashOf(token), 'PX', RESUME_TOKEN_TTL_MS);
    } catch (error) {
      throw unavailable(`keep the resume token of ${username}`, error);
    }
  }

  /** Whether `token` is the one that resumes `username`; a match spends it. */
  async consumeResume(username: string, token: string): Promise<boolean> {
    try {
      return (await this.#redis.eval(CONSUME, 1, this.#resumeKey(username), hashOf(token))) === 1;
    } catch (error) {
      throw unavailable(`check the resume token of ${username}`, error);
    }
  }

  /** The session of `token` ended here: the token lives `ms` more, unless a newer one replaced it. */
  async expireResume(username: string, token: string, ms: number): Promise<void> {
    try {
      await this.#redis.eval(EXPIRE, 1, this.#resumeKey(username), hashOf(token), Math.max(1, ms));
    } catch (error) {
      throw unavailable(`expire the resume token of ${username}`, error);
    }
  }

  #resumeKey(username: string): string {
    return `lev:${this.#cluster}:resume:{${username}}`;
  }

  #key(username: string): string {
    return `lev:${this.#cluster}:player:{${username}}`;
  }
}

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
