-- jdbc-table statements in standard SQL, for H2 and databases distlock has no dialect for. Each
-- statement follows a "-- name:" line and ends with ";". The table name distlock_lock is replaced
-- with distlock.jdbc.table-name. Times come from the database's clock (CURRENT_TIMESTAMP). A row is
-- free when its owner is NULL (released) or its lease has expired.
--
-- Acquire takes two round trips in every case: take-over then select-token (a free row), take-over
-- then insert (a new lock: the token is 1), or take-over then a duplicate-key insert (busy).

-- name: take-over
UPDATE distlock_lock
SET owner = :owner, fencing_token = fencing_token + 1, acquired_at = CURRENT_TIMESTAMP,
	expires_at = CURRENT_TIMESTAMP + CAST(:leaseMillis AS BIGINT) * INTERVAL '0.001' SECOND
WHERE lock_key = :lockKey AND (owner IS NULL OR expires_at <= CURRENT_TIMESTAMP);

-- name: select-token
-- Owner tokens are unique per grant, so the row's token belongs to this grant if its owner matches.
SELECT fencing_token FROM distlock_lock WHERE lock_key = :lockKey AND owner = :owner;

-- name: insert
INSERT INTO distlock_lock (lock_key, lock_id, owner, fencing_token, acquired_at, expires_at)
VALUES (:lockKey, :lockId, :owner, 1, CURRENT_TIMESTAMP,
	CURRENT_TIMESTAMP + CAST(:leaseMillis AS BIGINT) * INTERVAL '0.001' SECOND);

-- name: extend
UPDATE distlock_lock
SET expires_at = CURRENT_TIMESTAMP + CAST(:leaseMillis AS BIGINT) * INTERVAL '0.001' SECOND
WHERE lock_key = :lockKey AND owner = :owner AND expires_at > CURRENT_TIMESTAMP;

-- name: extend-group
-- Many leases with one lease time. lock_key IN (...) lets the primary key find the rows; the pair
-- list makes each row match its own owner.
UPDATE distlock_lock
SET expires_at = CURRENT_TIMESTAMP + CAST(:leaseMillis AS BIGINT) * INTERVAL '0.001' SECOND
WHERE lock_key IN (:lockKeys) AND (lock_key, owner) IN (:heldBy) AND expires_at > CURRENT_TIMESTAMP;

-- name: select-held
SELECT lock_key, owner FROM distlock_lock
WHERE lock_key IN (:lockKeys) AND (lock_key, owner) IN (:heldBy) AND expires_at > CURRENT_TIMESTAMP;

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
SELECT COUNT(*) FROM distlock_lock WHERE 1 = 0;
