-- Terminates the session holding a lock id's key, but only if it is a distlock lock connection (it has
-- a holder row for that lock id and is named 'distlock:...'): never an application session that
-- happens to use the same key. Waits up to the timeout for the session to end, then notifies the
-- release channel with the key so that waiting instances try at once (see release.sql).
-- Parameters: timeout (ms), lock key, lock id bytes, lock key as text.
WITH evicted AS (
	SELECT pg_terminate_backend(h.pid, ?::bigint) AS terminated
	FROM distlock_advisory_holders h
	JOIN pg_locks l
		ON l.pid = h.pid AND l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted
		AND ((l.classid::bigint << 32) | l.objid::bigint) = h.lock_key
		AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
	JOIN pg_stat_activity a ON a.pid = h.pid AND a.application_name LIKE 'distlock:%'
	WHERE h.lock_key = ?::bigint AND h.lock_id = ?
)
SELECT terminated, CASE WHEN terminated THEN pg_notify('distlock_release', ?) END AS notified
FROM evicted
