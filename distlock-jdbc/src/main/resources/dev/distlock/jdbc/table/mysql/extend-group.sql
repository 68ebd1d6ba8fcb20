-- Many leases with one lease time. lock_key IN (...) lets the primary key find the rows; the pair
-- list makes each row match its own owner.
UPDATE distlock_lock
SET expires_at = TIMESTAMPADD(MICROSECOND, :leaseMillis * 1000, UTC_TIMESTAMP(3))
WHERE lock_key IN (:lockKeys) AND (lock_key, owner) IN (:heldBy) AND expires_at > UTC_TIMESTAMP(3)
