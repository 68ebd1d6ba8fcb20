-- jdbc-table in standard SQL, for H2 and databases distlock has no dialect for (and the statements
-- the PostgreSQL and MySQL dialects share with it). Times come from the database's clock
-- (CURRENT_TIMESTAMP). A row is free when its owner is NULL (released) or its lease has expired.
--
-- Acquire takes two round trips in every case: take-over then select-token (a free row), take-over
-- then insert (a new lock: the token is 1), or take-over then a duplicate-key insert (busy).
UPDATE distlock_lock
SET owner = :owner, fencing_token = fencing_token + 1, acquired_at = CURRENT_TIMESTAMP,
	expires_at = CURRENT_TIMESTAMP + CAST(:leaseMillis AS BIGINT) * INTERVAL '0.001' SECOND
WHERE lock_key = :lockKey AND (owner IS NULL OR expires_at <= CURRENT_TIMESTAMP)
