-- Frees a held row whoever holds it and notifies waiters as release.sql does. One row if released.
UPDATE distlock_lock SET owner = NULL, expires_at = CURRENT_TIMESTAMP
WHERE lock_key = :lockKey AND owner IS NOT NULL AND expires_at > CURRENT_TIMESTAMP
RETURNING pg_notify('distlock_table_release', :notifyKey) IS NULL AS notified
