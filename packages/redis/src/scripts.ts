// The Lua scripts the store runs in Redis: each one is atomic there, and reads the time from
// Redis itself, so the processes of a fleet need not agree on the time.

/**
 * Takes a slot. KEYS: the concurrency set (lease -> deadline), the rate set (lease -> start).
 * ARGV: concurrency (0: none), requests (0: none), per (ms), lease (ms), the lease's id.
 * Returns 0 when the slot is taken, -1 when the concurrency cap is full, or the ms until the
 * oldest start leaves the rate's window.
 */
export const acquire = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local concurrency = tonumber(ARGV[1])
local requests = tonumber(ARGV[2])
local per = tonumber(ARGV[3])
local lease = tonumber(ARGV[4])
if concurrency > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  if redis.call('ZCARD', KEYS[1]) >= concurrency then return -1 end
end
if requests > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - per)
  if redis.call('ZCARD', KEYS[2]) >= requests then
    local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
    return math.max(1, tonumber(oldest[2]) + per - now + 1)
  end
end
if concurrency > 0 then
  redis.call('ZADD', KEYS[1], now + lease, ARGV[5])
  redis.call('PEXPIRE', KEYS[1], lease * 2)
end
if requests > 0 then
  redis.call('ZADD', KEYS[2], now, ARGV[5])
  redis.call('PEXPIRE', KEYS[2], per * 2)
end
return 0
`;

/** Moves the deadline of the leases in ARGV[2..] (those still held) to now + ARGV[1] ms. */
export const renew = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[1])
for i = 2, #ARGV do
  redis.call('ZADD', KEYS[1], 'XX', now + lease, ARGV[i])
end
redis.call('PEXPIRE', KEYS[1], lease * 2)
return 0
`;
