-- Fencing statements in standard SQL, for H2 and databases distlock has no dialect for. Each
-- statement follows a "-- name:" line and ends with ";". The table name distlock_fence is replaced
-- with distlock.fencing.table-name. They run on the caller's connection, in its transaction.

-- name: record
-- One statement: insert the first token of a resource, or raise the stored one if it is not
-- higher; the update count is 0 when the token was refused. The row stays locked until the
-- caller's transaction ends.
MERGE INTO distlock_fence AS stored
USING (VALUES (CAST(:resourceKey AS VARCHAR(64)), CAST(:resource AS VARCHAR(4000)), CAST(:token AS BIGINT)))
	AS checked (resource_key, resource, token)
ON stored.resource_key = checked.resource_key
WHEN MATCHED AND stored.token <= checked.token THEN UPDATE SET token = checked.token
WHEN NOT MATCHED THEN INSERT (resource_key, resource, token)
	VALUES (checked.resource_key, checked.resource, checked.token);

-- name: stored
-- Only after a refusal, for the exception's message.
SELECT token FROM distlock_fence WHERE resource_key = :resourceKey;
