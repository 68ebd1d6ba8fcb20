-- Waits on the server until this session is granted the advisory key or lock_timeout runs out: the
-- server queues the waiters of every session on the key and grants it, in arrival order, the moment it
-- is released, so no caller polls or races the releasing session. lock_timeout is set for this
-- statement's own transaction only (set_config(..., true) under autocommit); the CASE sets it before
-- the lock is asked for. Returns true once granted; the wait time running out fails with SQLSTATE
-- 55P03 (lock_not_available). The fencing token is drawn right after, by record-grant.sql.
-- Parameters: lock_timeout (e.g. '250ms', at least 1ms), lock key.
SELECT CASE WHEN set_config('lock_timeout', ?, true) IS NOT NULL
	THEN pg_advisory_lock(?::bigint)::text = '' END AS granted
