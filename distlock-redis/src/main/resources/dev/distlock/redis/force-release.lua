-- Releases a lock whoever holds it (operators) and tells waiters. The fencing counter stays, so the
-- next grant gets a higher token and a fencing-aware resource refuses the evicted holder.
-- KEYS[1] lock key   ARGV[1] release channel
-- Returns 1 if a lock was held, 0 otherwise.
if redis.call('del', KEYS[1]) == 1 then
	redis.call('publish', ARGV[1], KEYS[1])
	return 1
end
return 0
