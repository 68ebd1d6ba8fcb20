-- The row stays: it carries the fencing-token counter for the next grant.
UPDATE distlock_lock SET owner = NULL, expires_at = UTC_TIMESTAMP(3)
WHERE lock_key = :lockKey AND owner = :owner
