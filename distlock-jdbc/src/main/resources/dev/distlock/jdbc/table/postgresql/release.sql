-- Frees the owner's row (it stays: it carries the fencing-token counter for the next grant) and,
-- if it was held, notifies the channel 'distlock_table_release' with the lock's 64-bit key (the
-- first 16 hex digits of lock_key as a signed bigint, computed by the caller), delivered when the
-- release commits: instances waiting for the lock wake up (see listen.sql). One row if released.
UPDATE distlock_lock SET owner = NULL, expires_at = CURRENT_TIMESTAMP
WHERE lock_key = :lockKey AND owner = :owner
RETURNING pg_notify('distlock_table_release', :notifyKey) IS NULL AS notified
