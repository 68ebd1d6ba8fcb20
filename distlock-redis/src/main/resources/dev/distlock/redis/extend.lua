-- Renews a lease if its owner still holds it.
-- KEYS[1] lock key   ARGV[1] owner token   ARGV[2] lease time in ms
-- Returns 1 if renewed, 0 if the lease is lost.
if redis.call('hget', KEYS[1], 'owner') == ARGV[1] then
	redis.call('pexpire', KEYS[1], ARGV[2])
	return 1
end
return 0
