UPDATE distlock_lock SET owner = NULL, expires_at = UTC_TIMESTAMP(3)
WHERE lock_key = :lockKey AND owner IS NOT NULL AND expires_at > UTC_TIMESTAMP(3)
