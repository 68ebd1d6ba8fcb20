SELECT lock_key, owner FROM distlock_lock
WHERE lock_key IN (:lockKeys) AND (lock_key, owner) IN (:heldBy) AND expires_at > CURRENT_TIMESTAMP
