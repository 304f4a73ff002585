/**
 * Lua for cluster membership. `…:nodes` is a sorted set of node ids scored by when each one's
 * heartbeat runs out, in Redis's own clock (TIME), so that nodes with skewed clocks agree on who is
 * up; `…:node:<id>` holds what a node says about itself, expiring with it.
 */

/** KEYS: nodes, info. ARGV: node id, ttl ms, info JSON. Returns the node ids up, this one included. */
export const HEARTBEAT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZRANGE', KEYS[1], 0, -1)
`;

/** KEYS: nodes, info. ARGV: node id. Removes the node at once (a clean stop). */
export const LEAVE = `
redis.call('ZREM', KEYS[1], ARGV[1])
return redis.call('DEL', KEYS[2])
`;
