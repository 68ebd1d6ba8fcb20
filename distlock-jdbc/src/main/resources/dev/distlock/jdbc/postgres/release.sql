-- Releases the session's advisory lock on a key, forgets its holder row and, if the key was held,
-- notifies the channel 'distlock_release' with the key, in one round trip: instances waiting for the
-- key wake up when the release commits (see listen.sql). Returns whether the session held the key.
-- Parameters: lock key, lock key, lock key as text.
WITH holder AS (
	DELETE FROM distlock_advisory_holders WHERE lock_key = ?::bigint AND pid = pg_backend_pid()
), unlocked AS (
	SELECT pg_advisory_unlock(?::bigint) AS released
)
SELECT released, CASE WHEN released THEN pg_notify('distlock_release', ?) END AS notified
FROM unlocked
