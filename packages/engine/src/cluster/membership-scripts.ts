/**
 * Lua for cluster membership. `…:nodes` is a sorted set of node ids scored by when each one's
 * heartbeat runs out, in Redis's own clock (TIME), so that nodes with skewed clocks agree on who is
 * up; `…:node:<id>` holds what a node says about itself, expiring with it. `…:draining` is the
 * same for nodes that are up but draining: they still hold their players' names (a login elsewhere
 * waits for them to let go), but take no part in the placement of zones.
 */

/**
 * KEYS: nodes, info, draining. ARGV: node id, ttl ms, info JSON, '1' when this node drains. Returns
 * two lists: the node ids up (this one included), and those of them draining.
 */
export const HEARTBEAT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[2])
if ARGV[4] == '1' then
  redis.call('ZADD', KEYS[3], now + tonumber(ARGV[2]), ARGV[1])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
return { redis.call('ZRANGE', KEYS[1], 0, -1), redis.call('ZRANGE', KEYS[3], 0, -1) }
`;

/** KEYS: nodes, info, draining. ARGV: node id. Removes the node at once (a clean stop). */
export const LEAVE = `
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return redis.call('DEL', KEYS[2])
`;
