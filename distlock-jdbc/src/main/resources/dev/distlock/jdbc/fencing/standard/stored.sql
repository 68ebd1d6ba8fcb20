-- Reads the stored token (standard). The table name distlock_fence is replaced with
-- distlock.fencing.table-name; it runs on the caller's connection, in its transaction.
-- Only after a refusal, for the exception's message.
SELECT token FROM distlock_fence WHERE resource_key = :resourceKey
