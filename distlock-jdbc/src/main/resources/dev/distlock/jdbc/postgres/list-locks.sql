-- Advisory locks held in this database by distlock lock connections (all instances): those with a
-- holder row, plus any held by a session named 'distlock:...' whose row is missing (shown by key).
SELECT (l.classid::bigint << 32) | l.objid::bigint AS lock_key, l.pid, h.lock_id, h.owner, h.fencing_token,
	a.application_name
FROM pg_locks l
LEFT JOIN distlock_advisory_holders h
	ON h.pid = l.pid AND h.lock_key = ((l.classid::bigint << 32) | l.objid::bigint)
LEFT JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted
	AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
	AND (h.pid IS NOT NULL OR a.application_name LIKE 'distlock:%')
