-- Right after await-lock.sql granted the session the key: draws the fencing token and records the
-- holder in one round trip, as acquire.sql does in its grant. Returns the fencing token.
-- Parameters: lock key, lock id (UTF-8 bytes), owner token.
WITH token AS (
	SELECT nextval('distlock_fencing_seq') AS fencing_token
), holder AS (
	INSERT INTO distlock_advisory_holders (lock_key, pid, lock_id, owner, fencing_token, acquired_at)
	SELECT ?::bigint, pg_backend_pid(), ?, ?, token.fencing_token, now()
	FROM token
	ON CONFLICT (lock_key, pid) DO UPDATE SET lock_id = EXCLUDED.lock_id, owner = EXCLUDED.owner,
		fencing_token = EXCLUDED.fencing_token, acquired_at = EXCLUDED.acquired_at
)
SELECT fencing_token FROM token
