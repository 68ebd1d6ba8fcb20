-- Records a token if not lower than the stored one (mysql). The table name distlock_fence is replaced with
-- distlock.fencing.table-name; it runs on the caller's connection, in its transaction.
-- Two statements per check, always: this upsert keeps the higher token and locks the row until the
-- caller's transaction ends; the locking read (stored.sql) then tells which token that was.
INSERT INTO distlock_fence (resource_key, resource, token)
VALUES (:resourceKey, :resource, :token)
ON DUPLICATE KEY UPDATE token = GREATEST(token, :token)
