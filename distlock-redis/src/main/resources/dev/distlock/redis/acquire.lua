-- Grants a lock if it is free, in one round trip, with a fencing token generated in the same step.
-- KEYS[1] lock key (a hash: owner, token)   KEYS[2] the lock's fencing counter (same hash tag)
-- ARGV[1] owner token   ARGV[2] lease time in ms   ARGV[3] how long the counter outlives the lease, in ms
-- Returns the fencing token (> 0), or 0 if another owner holds the lock.

-- Redis < 5 replicates scripts verbatim and refuses writes after TIME; effects replication fixes
-- that (and is the only mode, a no-op here, from Redis 7 on).
if redis.replicate_commands then
	redis.replicate_commands()
end

-- Busy whoever holds it, even an equal owner token: a grant is never handed out twice.
if redis.call('exists', KEYS[1]) == 1 then
	return 0
end

-- token = max(last token + 1, server time in microseconds). The counter keeps tokens increasing
-- while it exists, even if the clock steps back; the time floor keeps them increasing when the
-- counter is gone (Redis restarted without persistence, key deleted, counter retention passed),
-- as long as the server clock has not gone back further than that. Doubles hold integers exactly
-- up to 2^53, which microseconds reach in the year 2255.
local now = redis.call('time')
local token = tonumber(now[1]) * 1000000 + tonumber(now[2])
local last = tonumber(redis.call('get', KEYS[2]))
if last and last >= token then
	token = last + 1
end
local text = string.format('%.0f', token)
redis.call('set', KEYS[2], text, 'px', tonumber(ARGV[2]) + tonumber(ARGV[3]))
redis.call('hset', KEYS[1], 'owner', ARGV[1], 'token', text)
redis.call('pexpire', KEYS[1], ARGV[2])
return token
