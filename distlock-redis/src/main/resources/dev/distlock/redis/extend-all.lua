-- Renews many leases in one round trip (all keys share one hash slot on a cluster).
-- KEYS[i] lock key of lease i   ARGV[3i-2] its owner token   ARGV[3i-1] its fencing token
-- ARGV[3i] its lease time in ms
-- Returns one entry per key: 1 if renewed, 0 if that lease is lost.
local renewed = {}
for i, key in ipairs(KEYS) do
	local holder = redis.call('hmget', key, 'owner', 'token')
	if holder[1] == ARGV[3 * i - 2] and holder[2] == ARGV[3 * i - 1] then
		redis.call('pexpire', key, ARGV[3 * i])
		renewed[i] = 1
	else
		renewed[i] = 0
	end
end
return renewed
