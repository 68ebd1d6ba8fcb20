-- One attempt, one round trip: take the session-level advisory lock without waiting and, only if it
-- was granted, draw the fencing token and record the holder. The CTE is evaluated exactly once.
-- Returns one row: the fencing token, or NULL when another session holds the key.
-- Parameters: lock key, lock key, lock id (UTF-8 bytes), owner token.
WITH attempt AS (
	SELECT CASE WHEN pg_try_advisory_lock(?::bigint) THEN nextval('distlock_fencing_seq') END AS fencing_token
), holder AS (
	INSERT INTO distlock_advisory_holders (lock_key, pid, lock_id, owner, fencing_token, acquired_at)
	SELECT ?::bigint, pg_backend_pid(), ?, ?, attempt.fencing_token, now()
	FROM attempt
	WHERE attempt.fencing_token IS NOT NULL
	ON CONFLICT (lock_key, pid) DO UPDATE SET lock_id = EXCLUDED.lock_id, owner = EXCLUDED.owner,
		fencing_token = EXCLUDED.fencing_token, acquired_at = EXCLUDED.acquired_at
)
SELECT fencing_token FROM attempt
