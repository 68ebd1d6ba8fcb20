SELECT lock_id, owner, fencing_token, expires_at FROM distlock_lock
WHERE owner IS NOT NULL AND expires_at > CURRENT_TIMESTAMP
ORDER BY lock_id
