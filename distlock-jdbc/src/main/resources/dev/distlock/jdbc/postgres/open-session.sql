-- Prepares a new lock connection in one round trip: names the session after the instance (visible in
-- pg_stat_activity), deletes holder rows no live session can own (this brand-new session holds
-- nothing yet, so rows under its reused pid are stale too) and returns the backend pid.
-- Fails at once if the schema is missing. Parameter: application name.
WITH stale AS (
	DELETE FROM distlock_advisory_holders h
	WHERE h.pid = pg_backend_pid()
		OR NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = h.pid)
)
SELECT pg_backend_pid() AS pid, set_config('application_name', ?, false) AS application_name
