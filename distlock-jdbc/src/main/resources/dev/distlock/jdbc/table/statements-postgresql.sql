-- jdbc-table statements for PostgreSQL. Each statement follows a "-- name:" line and ends with ";".
-- The table name distlock_lock is replaced with distlock.jdbc.table-name. Times come from the
-- database's clock (CURRENT_TIMESTAMP, the start of the statement's own autocommit transaction).
-- A row is free when its owner is NULL (released) or its lease has expired.

-- name: acquire
-- One round trip: insert the row for a new lock, or take over a free one; RETURNING gives the
-- new fencing token, and no row at all when the lock is held.
INSERT INTO distlock_lock AS existing (lock_key, lock_id, owner, fencing_token, acquired_at, expires_at)
VALUES (:lockKey, :lockId, :owner, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP + CAST(:leaseMillis AS BIGINT) * INTERVAL '1 millisecond')
ON CONFLICT (lock_key) DO UPDATE
	SET owner = EXCLUDED.owner, fencing_token = existing.fencing_token + 1,
		acquired_at = EXCLUDED.acquired_at, expires_at = EXCLUDED.expires_at
	WHERE existing.owner IS NULL OR existing.expires_at <= CURRENT_TIMESTAMP
RETURNING fencing_token;

-- name: extend
UPDATE distlock_lock
SET expires_at = CURRENT_TIMESTAMP + CAST(:leaseMillis AS BIGINT) * INTERVAL '1 millisecond'
WHERE lock_key = :lockKey AND owner = :owner AND expires_at > CURRENT_TIMESTAMP;

-- name: extend-all
-- One statement for any number of leases, whatever their lease times: the leases travel as three
-- parallel arrays, and RETURNING names the rows that are still ours.
UPDATE distlock_lock AS held
SET expires_at = CURRENT_TIMESTAMP + renewal.lease_millis * INTERVAL '1 millisecond'
FROM unnest(CAST(:lockKeys AS VARCHAR[]), CAST(:owners AS VARCHAR[]), CAST(:leaseMillis AS BIGINT[]))
	AS renewal (lock_key, owner, lease_millis)
WHERE held.lock_key = renewal.lock_key AND held.owner = renewal.owner AND held.expires_at > CURRENT_TIMESTAMP
RETURNING held.lock_key, held.owner;

-- name: release
-- The row stays: it carries the fencing-token counter for the next grant.
UPDATE distlock_lock SET owner = NULL, expires_at = CURRENT_TIMESTAMP
WHERE lock_key = :lockKey AND owner = :owner;

-- name: force-release
UPDATE distlock_lock SET owner = NULL, expires_at = CURRENT_TIMESTAMP
WHERE lock_key = :lockKey AND owner IS NOT NULL AND expires_at > CURRENT_TIMESTAMP;

-- name: inspect
SELECT owner, fencing_token, expires_at FROM distlock_lock
WHERE lock_key = :lockKey AND owner IS NOT NULL AND expires_at > CURRENT_TIMESTAMP;

-- name: list
SELECT lock_id, owner, fencing_token, expires_at FROM distlock_lock
WHERE owner IS NOT NULL AND expires_at > CURRENT_TIMESTAMP
ORDER BY lock_id;

-- name: health
-- Cheap, and proves the table is there: the planner answers without reading a row.
SELECT COUNT(*) FROM distlock_lock WHERE 1 = 0;
