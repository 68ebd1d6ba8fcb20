-- Waits on the server until this session is granted the name or the timeout (seconds) runs out: the
-- server queues the waiters of every session and grants the name, in arrival order, the moment it is
-- released, so no caller polls. 1 if granted, 0 if the timeout ran out, NULL on error or KILL QUERY.
-- MariaDB takes fractional seconds; MySQL is given whole seconds, rounded up.
-- Parameters: lock name, timeout in seconds.
SELECT GET_LOCK(?, ?)
