-- Renews many leases in one round trip (all keys share one hash slot on a cluster).
-- KEYS[i] lock key of lease i   ARGV[2i-1] its owner token   ARGV[2i] its lease time in ms
-- Returns one entry per key: 1 if renewed, 0 if that lease is lost.
local renewed = {}
for i, key in ipairs(KEYS) do
	if redis.call('hget', key, 'owner') == ARGV[2 * i - 1] then
		redis.call('pexpire', key, ARGV[2 * i])
		renewed[i] = 1
	else
		renewed[i] = 0
	end
end
return renewed
