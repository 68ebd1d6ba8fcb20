-- Records a fencing token for a resource unless a higher one was recorded before, in one step.
-- KEYS[1] the resource's fence key (a string: the highest token accepted)
-- ARGV[1] the token, a positive integer in decimal
-- Returns {1, token} when recorded (also for an equal token), {0, stored token} when refused.

-- Tokens are compared as decimal strings (length first, then digits), not as Lua numbers: doubles
-- would round tokens above 2^53.
local function higher(a, b)
	if #a ~= #b then
		return #a > #b
	end
	return a > b
end

local stored = redis.call('get', KEYS[1])
if stored and higher(stored, ARGV[1]) then
	return {0, stored}
end
redis.call('set', KEYS[1], ARGV[1])
return {1, ARGV[1]}
