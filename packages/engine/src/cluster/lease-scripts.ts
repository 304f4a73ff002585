/**
 * The Lua scripts behind zone leases. Each runs atomically in Redis, so a check and the write that
 * depends on it can never interleave with another node's. Keys per zone: `…:{zone}:lease` holds
 * `node<TAB>token` with a TTL; `…:{zone}:fence` is the zone's token counter. The braces are a hash
 * tag: both keys of a zone fall in one slot, as scripts need on a Redis Cluster.
 */

/**
 * KEYS: lease, fence. ARGV: node, ttl ms, floor.
 * Returns {1, token} when the lease is now the caller's (a new token, or the one it already holds),
 * or {0, owner, remaining ms} when another node holds it.
 *
 * The new token is above both the counter and `floor`, the highest token the store has accepted for
 * the zone: a Redis restarted without its data starts its counters at zero again, and a token at or
 * below one the store has seen would have every save of the new owner refused as stale.
 */
export const ACQUIRE = `
local current = redis.call('GET', KEYS[1])
if current then
  local tab = string.find(current, '\\t', 1, true)
  local owner = string.sub(current, 1, tab - 1)
  if owner ~= ARGV[1] then
    return {0, owner, redis.call('PTTL', KEYS[1])}
  end
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {1, string.sub(current, tab + 1)}
end
local token = redis.call('INCR', KEYS[2])
local floor = tonumber(ARGV[3])
if token <= floor then
  token = floor + 1
  redis.call('SET', KEYS[2], token)
end
redis.call('SET', KEYS[1], ARGV[1] .. '\\t' .. token, 'PX', ARGV[2])
return {1, tostring(token)}
`;

/** KEYS: lease. ARGV: `node<TAB>token`, ttl ms. 1 when extended, 0 when the lease is not that one. */
export const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

/** KEYS: lease. ARGV: `node<TAB>token`. 1 when deleted, 0 when the lease was not that one. */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;
