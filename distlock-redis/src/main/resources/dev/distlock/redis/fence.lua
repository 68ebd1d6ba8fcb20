-- Redlock's write-back: stamps a node's grant with the token chosen across the nodes and raises the
-- node's fencing counter to it, so any later grant on this node starts above it.
-- KEYS[1] lock key   KEYS[2] the lock's fencing counter (same hash tag)
-- ARGV[1] owner token   ARGV[2] the token this node granted   ARGV[3] the token chosen
-- ARGV[4] how long the counter outlives the lease, in ms
-- Returns 1 if the grant still held the lock and was stamped, 0 otherwise.
local holder = redis.call('hmget', KEYS[1], 'owner', 'token')
if holder[1] ~= ARGV[1] or holder[2] ~= ARGV[2] then
	return 0
end
redis.call('hset', KEYS[1], 'token', ARGV[3])
local last = tonumber(redis.call('get', KEYS[2]))
if not last or last < tonumber(ARGV[3]) then
	local ttl = redis.call('pttl', KEYS[1])
	if ttl < 0 then
		ttl = 0
	end
	redis.call('set', KEYS[2], ARGV[3], 'px', ttl + tonumber(ARGV[4]))
end
return 1
