-- Counts rows matched, not changed (the drivers' default, useAffectedRows=false): an extension in
-- the same millisecond as the grant changes nothing but still matches.
UPDATE distlock_lock
SET expires_at = TIMESTAMPADD(MICROSECOND, :leaseMillis * 1000, UTC_TIMESTAMP(3))
WHERE lock_key = :lockKey AND owner = :owner AND expires_at > UTC_TIMESTAMP(3)
