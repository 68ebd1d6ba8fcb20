-- Waits on the server until this session is granted the advisory key or lock_timeout runs out, then,
-- in the same round trip, draws the fencing token and records the holder as acquire.sql does. The
-- server queues the waiters of every session on the key and grants it, in arrival order, the moment it
-- is released, so no caller polls or races the releasing session. lock_timeout is set for this
-- statement's own transaction only (set_config(..., true) under autocommit); the CASE sets it before
-- the lock is asked for; each CTE is evaluated once. Returns one row: granted (true) and the fencing
-- token; the wait time running out fails with SQLSTATE 55P03 (lock_not_available) and changes nothing.
-- Parameters: lock_timeout (e.g. '250ms', at least 1ms), lock key, lock key, lock id (UTF-8 bytes),
-- owner token.
WITH attempt AS (
	SELECT CASE WHEN set_config('lock_timeout', ?, true) IS NOT NULL
		THEN pg_advisory_lock(?::bigint)::text = '' END AS granted
), token AS (
	SELECT nextval('distlock_fencing_seq') AS fencing_token FROM attempt WHERE attempt.granted
), holder AS (
	INSERT INTO distlock_advisory_holders (lock_key, pid, lock_id, owner, fencing_token, acquired_at)
	SELECT ?::bigint, pg_backend_pid(), ?, ?, token.fencing_token, now()
	FROM token
	ON CONFLICT (lock_key, pid) DO UPDATE SET lock_id = EXCLUDED.lock_id, owner = EXCLUDED.owner,
		fencing_token = EXCLUDED.fencing_token, acquired_at = EXCLUDED.acquired_at
)
SELECT attempt.granted, token.fencing_token FROM attempt LEFT JOIN token ON true
