UPDATE distlock_lock
SET expires_at = CURRENT_TIMESTAMP + CAST(:leaseMillis AS BIGINT) * INTERVAL '0.001' SECOND
WHERE lock_key = :lockKey AND owner = :owner AND expires_at > CURRENT_TIMESTAMP
