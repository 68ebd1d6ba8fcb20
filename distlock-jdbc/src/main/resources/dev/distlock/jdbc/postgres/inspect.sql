-- The holder of one lock id, if a live session holds its key. Parameters: lock key, lock id bytes.
SELECT h.owner, h.fencing_token
FROM distlock_advisory_holders h
JOIN pg_locks l
	ON l.pid = h.pid AND l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted
	AND ((l.classid::bigint << 32) | l.objid::bigint) = h.lock_key
	AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
WHERE h.lock_key = ?::bigint AND h.lock_id = ?
