-- Prepares a new lock connection: returns its connection id, and fails at once if the schema is missing.
SELECT CONNECTION_ID() AS connection_id, (SELECT COUNT(*) FROM distlock_named_locks WHERE 1 = 0) AS schema_check
