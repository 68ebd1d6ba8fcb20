-- Records a token if not lower than the stored one (postgresql). The table name distlock_fence is replaced with
-- distlock.fencing.table-name; it runs on the caller's connection, in its transaction.
-- One statement: insert the first token of a resource, or raise the stored one if it is not
-- higher. The row stays locked until the caller's transaction ends (also when the WHERE refuses),
-- so concurrent checks of one resource queue behind it and then see what it committed. RETURNING
-- gives no row when the token was refused.
INSERT INTO distlock_fence AS stored (resource_key, resource, token)
VALUES (:resourceKey, :resource, :token)
ON CONFLICT (resource_key) DO UPDATE SET token = EXCLUDED.token
	WHERE stored.token <= EXCLUDED.token
RETURNING token
