-- Releases a lock if the owner still holds it and tells waiters; a lost lease changes nothing.
-- KEYS[1] lock key   ARGV[1] owner token   ARGV[2] release channel
-- Returns 1 if released, 0 if the owner no longer held the lock.
if redis.call('hget', KEYS[1], 'owner') == ARGV[1] then
	redis.call('del', KEYS[1])
	redis.call('publish', ARGV[2], KEYS[1])
	return 1
end
return 0
