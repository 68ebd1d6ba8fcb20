-- The advisory lock keys this session holds: proves the connection alive and the locks still ours.
-- A bigint key is stored as classid (high 32 bits) and objid (low 32 bits) with objsubid 1.
SELECT (l.classid::bigint << 32) | l.objid::bigint AS lock_key
FROM pg_locks l
WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted AND l.pid = pg_backend_pid()
