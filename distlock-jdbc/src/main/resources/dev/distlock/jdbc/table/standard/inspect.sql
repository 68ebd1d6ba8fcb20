SELECT owner, fencing_token, expires_at FROM distlock_lock
WHERE lock_key = :lockKey AND owner IS NOT NULL AND expires_at > CURRENT_TIMESTAMP
