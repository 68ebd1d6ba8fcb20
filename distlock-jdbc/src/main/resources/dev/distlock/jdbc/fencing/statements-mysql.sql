-- Fencing statements for MySQL and MariaDB. Each statement follows a "-- name:" line and ends
-- with ";". The table name distlock_fence is replaced with distlock.fencing.table-name. They run
-- on the caller's connection, in its transaction.
--
-- Two statements per check, always: the upsert keeps the higher of the two tokens and locks the
-- row until the caller's transaction ends; the locking read then tells which token that was (the
-- update count cannot: "unchanged" looks the same for an equal token and a refused one).

-- name: record
INSERT INTO distlock_fence (resource_key, resource, token)
VALUES (:resourceKey, :resource, :token)
ON DUPLICATE KEY UPDATE token = GREATEST(token, :token);

-- name: stored
-- FOR UPDATE reads the latest committed row, not the transaction's snapshot (REPEATABLE READ).
SELECT token FROM distlock_fence WHERE resource_key = :resourceKey FOR UPDATE;
