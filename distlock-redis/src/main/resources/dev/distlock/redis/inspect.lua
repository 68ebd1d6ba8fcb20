-- Who holds a lock, for operators.
-- KEYS[1] lock key
-- Returns {owner, fencing token, expiry in ms since the epoch by the server's clock or -1 if the key
-- has no expiry}, or nil if the lock is free.
local holder = redis.call('hmget', KEYS[1], 'owner', 'token')
if not holder[1] then
	return nil
end
local ttl = redis.call('pttl', KEYS[1])
if ttl < 0 then
	return { holder[1], tonumber(holder[2]), -1 }
end
local now = redis.call('time')
return { holder[1], tonumber(holder[2]), tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) + ttl }
