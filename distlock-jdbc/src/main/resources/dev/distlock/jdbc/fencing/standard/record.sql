-- Records a token if not lower than the stored one (standard). The table name distlock_fence is replaced with
-- distlock.fencing.table-name; it runs on the caller's connection, in its transaction.
-- One statement: insert the first token of a resource, or raise the stored one if it is not
-- higher; the update count is 0 when the token was refused. The row stays locked until the
-- caller's transaction ends.
MERGE INTO distlock_fence AS stored
USING (VALUES (CAST(:resourceKey AS VARCHAR(64)), CAST(:resource AS VARCHAR(4000)), CAST(:token AS BIGINT)))
	AS checked (resource_key, resource, token)
ON stored.resource_key = checked.resource_key
WHEN MATCHED AND stored.token <= checked.token THEN UPDATE SET token = checked.token
WHEN NOT MATCHED THEN INSERT (resource_key, resource, token)
	VALUES (checked.resource_key, checked.resource, checked.token)
