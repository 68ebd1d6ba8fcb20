-- The floor's release: compare the owner and delete, nothing more.
if redis.call('get', KEYS[1]) == ARGV[1] then
	return redis.call('del', KEYS[1])
end
return 0
