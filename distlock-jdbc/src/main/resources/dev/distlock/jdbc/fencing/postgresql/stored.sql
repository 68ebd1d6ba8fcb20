-- Reads the stored token (postgresql). The table name distlock_fence is replaced with
-- distlock.fencing.table-name; it runs on the caller's connection, in its transaction.
-- Only after a refusal, for the exception's message: the row is locked by the refused upsert.
SELECT token FROM distlock_fence WHERE resource_key = :resourceKey
