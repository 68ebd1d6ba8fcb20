-- How many milliseconds the holder's lease has left by the database's clock, rounded up (0 or less
-- once it has expired); no row when the lock is free or was never used. A waiter sleeps this long
-- before it tries an expired lease, which notifies nobody.
SELECT CAST(CEIL(EXTRACT(EPOCH FROM (expires_at - CURRENT_TIMESTAMP)) * 1000) AS BIGINT) AS millis_left
FROM distlock_lock
WHERE lock_key = :lockKey AND owner IS NOT NULL
