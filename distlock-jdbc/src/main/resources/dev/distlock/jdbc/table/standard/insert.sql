INSERT INTO distlock_lock (lock_key, lock_id, owner, fencing_token, acquired_at, expires_at)
VALUES (:lockKey, :lockId, :owner, 1, CURRENT_TIMESTAMP,
	CURRENT_TIMESTAMP + CAST(:leaseMillis AS BIGINT) * INTERVAL '0.001' SECOND)
