-- Releases the session's advisory lock on a key and forgets its holder row, in one round trip.
-- Returns whether the session held the key. Parameters: lock key, lock key.
WITH holder AS (
	DELETE FROM distlock_advisory_holders WHERE lock_key = ?::bigint AND pid = pg_backend_pid()
)
SELECT pg_advisory_unlock(?::bigint) AS released
