-- One statement for any number of leases, whatever their lease times: the leases travel as three
-- parallel arrays, and RETURNING names the rows that are still ours.
UPDATE distlock_lock AS held
SET expires_at = CURRENT_TIMESTAMP + renewal.lease_millis * INTERVAL '1 millisecond'
FROM unnest(CAST(:lockKeys AS VARCHAR[]), CAST(:owners AS VARCHAR[]), CAST(:leaseMillis AS BIGINT[]))
	AS renewal (lock_key, owner, lease_millis)
WHERE held.lock_key = renewal.lock_key AND held.owner = renewal.owner AND held.expires_at > CURRENT_TIMESTAMP
RETURNING held.lock_key, held.owner
