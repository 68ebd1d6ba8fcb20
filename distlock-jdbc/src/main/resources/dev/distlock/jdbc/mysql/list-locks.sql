-- Every name whose last winner still holds it. Reads the whole table (one row per lock id ever used):
-- an operator query, not for hot paths.
SELECT lock_id, owner, fencing_token
FROM distlock_named_locks
WHERE holder_connection = IS_USED_LOCK(lock_name)
