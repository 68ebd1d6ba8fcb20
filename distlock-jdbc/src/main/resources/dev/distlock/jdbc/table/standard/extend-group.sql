-- Many leases with one lease time. lock_key IN (...) lets the primary key find the rows; the pair
-- list makes each row match its own owner.
UPDATE distlock_lock
SET expires_at = CURRENT_TIMESTAMP + CAST(:leaseMillis AS BIGINT) * INTERVAL '0.001' SECOND
WHERE lock_key IN (:lockKeys) AND (lock_key, owner) IN (:heldBy) AND expires_at > CURRENT_TIMESTAMP
