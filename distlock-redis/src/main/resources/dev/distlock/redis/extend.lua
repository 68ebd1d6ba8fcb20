-- Renews a lease if its grant (owner and fencing token) still holds the lock.
-- KEYS[1] lock key   ARGV[1] owner token   ARGV[2] fencing token   ARGV[3] lease time in ms
-- Returns 1 if renewed, 0 if the lease is lost.
local holder = redis.call('hmget', KEYS[1], 'owner', 'token')
if holder[1] == ARGV[1] and holder[2] == ARGV[2] then
	redis.call('pexpire', KEYS[1], ARGV[3])
	return 1
end
return 0
