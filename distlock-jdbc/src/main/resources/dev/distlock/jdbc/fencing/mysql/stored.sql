-- Reads the stored token (mysql). The table name distlock_fence is replaced with
-- distlock.fencing.table-name; it runs on the caller's connection, in its transaction.
-- FOR UPDATE reads the latest committed row, not the transaction's snapshot (REPEATABLE READ).
SELECT token FROM distlock_fence WHERE resource_key = :resourceKey FOR UPDATE
