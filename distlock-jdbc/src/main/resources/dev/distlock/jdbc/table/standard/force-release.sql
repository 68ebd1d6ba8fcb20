UPDATE distlock_lock SET owner = NULL, expires_at = CURRENT_TIMESTAMP
WHERE lock_key = :lockKey AND owner IS NOT NULL AND expires_at > CURRENT_TIMESTAMP
