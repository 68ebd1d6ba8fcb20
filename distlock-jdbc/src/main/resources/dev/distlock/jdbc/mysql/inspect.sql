-- The holder of one lock name, if the connection that last won it still holds it. Parameter: lock name.
SELECT lock_id, owner, fencing_token, holder_connection
FROM distlock_named_locks
WHERE lock_name = ? AND holder_connection = IS_USED_LOCK(lock_name)
