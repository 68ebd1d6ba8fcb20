-- Releases a lock if the grant (owner and fencing token) still holds it and tells waiters; a lost
-- lease changes nothing.
-- KEYS[1] lock key   ARGV[1] owner token   ARGV[2] fencing token   ARGV[3] release channel
-- Returns 1 if released, 0 if the grant no longer held the lock.
local holder = redis.call('hmget', KEYS[1], 'owner', 'token')
if holder[1] == ARGV[1] and holder[2] == ARGV[2] then
	redis.call('del', KEYS[1])
	redis.call('publish', ARGV[3], KEYS[1])
	return 1
end
return 0
