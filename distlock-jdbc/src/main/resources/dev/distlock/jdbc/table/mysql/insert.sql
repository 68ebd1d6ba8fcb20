-- IGNORE turns "duplicate key" (the lock is busy) into "0 rows" instead of an error, which the
-- MariaDB driver would log at WARN on every busy attempt. Every value here is valid for its
-- column, so IGNORE hides nothing else (an owner token over 1,024 characters would be cut).
INSERT IGNORE INTO distlock_lock (lock_key, lock_id, owner, fencing_token, acquired_at, expires_at)
VALUES (:lockKey, :lockId, :owner, 1, UTC_TIMESTAMP(3), TIMESTAMPADD(MICROSECOND, :leaseMillis * 1000, UTC_TIMESTAMP(3)))
